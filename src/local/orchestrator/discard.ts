/**
 * Discards, at the partner, a credential minted for a rotation that will never finish: a test
 * rotation (RotateImmediately=false) or an abandoned one (I4: no orphan). The engine exposes no
 * discard entry point (it discards only when its own store write fails), so this resolves the
 * partner the same way — resolver, catalog, schema and egress checks — and calls the plugin's
 * `discard` hook. Local stack only: it reads the values in process, as Secrets Manager would.
 */
import type { DescribeSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import { resolvePartnerConfig } from '../../aws/resolver.ts';
import { PartnerCatalog } from '../../runtime/catalog.ts';
import { assertEgressAllowed } from '../../runtime/egress.ts';
import { httpClientFor } from '../../runtime/egress-http.ts';
import { type RotationLogger, silentLogger } from '../../runtime/logger.ts';
import type { HookContext, SecretValue } from '../../runtime/partner.ts';
import { assertValid, parseSecretString } from '../../runtime/validation.ts';
import { describe, type SecretsManagerPort } from './port.ts';

export interface PendingDiscarder {
  /** Discards the credential stored in version `versionId` (if it holds one) at its partner. */
  discard(request: {
    secretArn: string;
    versionId: string;
    region: string;
  }): Promise<'discarded' | 'no-value'>;
}

export interface CatalogDiscarderOptions {
  port: SecretsManagerPort;
  catalog?: PartnerCatalog;
  /** Simulator base URL per partner type (the stack's `ROTOR_SIMULATOR_URLS`); turns on simulator mode. */
  simulatorUrls?: Readonly<Record<string, string>>;
  logger?: RotationLogger;
  now?: () => Date;
  /** Engine default when the secret sets none (only read by hooks that care). */
  gracePeriodSeconds?: number;
}

async function readValue(
  port: SecretsManagerPort,
  input: Record<string, unknown>,
  region: string,
): Promise<string | undefined> {
  try {
    const output = await port.call('GetSecretValue', input, region);
    return typeof output.SecretString === 'string' ? output.SecretString : undefined;
  } catch (error) {
    if ((error as { type?: string }).type === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * @example
 * ```ts
 * const discarder = catalogDiscarder({ port: servicePort(service), simulatorUrls });
 * await discarder.discard({ secretArn, versionId, region: 'us-east-1' });
 * ```
 */
export function catalogDiscarder(options: CatalogDiscarderOptions): PendingDiscarder {
  const catalog = options.catalog ?? new PartnerCatalog();
  const simulatorUrls = options.simulatorUrls;
  const simulatorMode = simulatorUrls !== undefined;
  const now = options.now ?? (() => new Date());
  const log = options.logger ?? silentLogger;
  return {
    async discard({ secretArn, versionId, region }) {
      const pendingText = await readValue(
        options.port,
        { SecretId: secretArn, VersionId: versionId },
        region,
      );
      if (pendingText === undefined) return 'no-value';
      const described = await describe(options.port, secretArn, region);
      const currentText = await readValue(options.port, { SecretId: secretArn }, region);
      const config = resolvePartnerConfig({
        ...described,
        LastRotatedDate: undefined,
        CreatedDate: undefined,
        DeletedDate: undefined,
      } as DescribeSecretCommandOutput);
      const manifest = await catalog.resolve(config.type);
      assertValid(manifest.metadataSchema, config.metadata, `${manifest.type} rotation metadata`);
      const check = (text: string | undefined, what: string): SecretValue => {
        const value = parseSecretString(text, `${manifest.type} ${what}`);
        assertValid(manifest.secretSchema, value, `${manifest.type} ${what}`);
        for (const target of manifest.egress.targets(value)) {
          assertEgressAllowed(target.url, {
            field: target.field,
            allowedHosts: manifest.egress.allowedHosts,
            simulatorMode,
            partner: manifest.type,
          });
        }
        return value;
      };
      const pending = check(pendingText, 'pending value');
      const current = check(currentText, 'AWSCURRENT value');
      const rotator = await manifest.loadRotator();
      const context: HookContext = {
        secretId: secretArn,
        token: versionId,
        metadata: config.metadata,
        lastRotatedAt:
          described.LastRotatedDate === undefined ? undefined : new Date(described.LastRotatedDate * 1000),
        gracePeriodSeconds: config.gracePeriodSeconds ?? options.gracePeriodSeconds ?? 3600,
        simulatorMode,
        simulatorUrl: simulatorUrls?.[manifest.type],
        http: httpClientFor(manifest, simulatorMode),
        log,
        now,
        readSecret: async (otherId) => {
          const text = await readValue(options.port, { SecretId: otherId }, region);
          return parseSecretString(text, `secret ${otherId}`);
        },
      };
      await rotator.discard({ current, pending }, context);
      log.info('Discarded the credential minted for an unfinished rotation', {
        secretId: secretArn,
        partnerType: manifest.type,
      });
      return 'discarded';
    },
  };
}
