/**
 * Discards, at the partner, a credential minted for a rotation that will never finish: a test
 * rotation (RotateImmediately=false) or an abandoned one (I4: no orphan). It binds the partner as
 * the engine does (`src/engine/partner-binding.ts`: resolver, catalog, schema and egress checks)
 * and calls the plugin's `discard` hook; unlike `RotationEngine.discardPending` it plays Secrets
 * Manager, reading values in process with no caller identity, and leaves the label to its caller
 * (`cleanup.ts`). Local stack only.
 */
import type { DescribeSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import { DEFAULT_GRACE_PERIOD_SECONDS } from '../../engine/engine.ts';
import { bindPartner, checkSecretValue } from '../../engine/partner-binding.ts';
import { Redactor } from '../../engine/redactor.ts';
import { PartnerCatalog } from '../../runtime/catalog.ts';
import { type RotationLogger, silentLogger } from '../../runtime/logger.ts';
import { parseSecretString } from '../../runtime/validation.ts';
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
      const redactor = new Redactor();
      const { manifest, rotator, context } = await bindPartner(
        {
          ...described,
          LastRotatedDate:
            described.LastRotatedDate === undefined ? undefined : new Date(described.LastRotatedDate * 1000),
          CreatedDate: undefined,
          DeletedDate: undefined,
        } as DescribeSecretCommandOutput,
        {
          secretId: secretArn,
          token: versionId,
          logFor: () => log,
          readSecret: async (otherId) => {
            const text = await readValue(options.port, { SecretId: otherId }, region);
            const value = parseSecretString(text, `secret ${otherId}`);
            redactor.addValues(value);
            return value;
          },
        },
        {
          catalog,
          simulatorMode,
          simulatorUrls: simulatorUrls ?? {},
          defaultGracePeriodSeconds: options.gracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS,
          now,
        },
      );
      const pending = checkSecretValue(manifest, pendingText, 'pending value', { simulatorMode, redactor });
      const current = checkSecretValue(manifest, currentText, 'AWSCURRENT value', {
        simulatorMode,
        redactor,
      });
      try {
        await rotator.discard({ current, pending }, context);
      } catch (error) {
        // The cleanup error that chains this one reaches the audit log: no value may ride along.
        throw redactor.scrubError(error);
      }
      log.info('Discarded the credential minted for an unfinished rotation', {
        secretId: secretArn,
        partnerType: manifest.type,
      });
      return 'discarded';
    },
  };
}
