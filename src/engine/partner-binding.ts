/**
 * What runs before any partner hook, wherever the hook is called from (the engine's steps, the
 * local stack's discard of an unfinished rotation): resolve the partner from the secret, check the
 * metadata, load the plugin, bind its hook context — and check every value a hook will see
 * (schema, then egress), fail closed (I6, I8).
 */
import type { DescribeSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import { effectiveGracePeriod, resolvePartnerConfig } from '../aws/resolver.ts';
import type { AnyPartnerManifest, PartnerCatalog } from '../runtime/catalog.ts';
import { assertEgressAllowed } from '../runtime/egress.ts';
import { httpClientFor } from '../runtime/egress-http.ts';
import type { RotationLogger } from '../runtime/logger.ts';
import type { HookContext, PartnerRotatorV1, SecretValue } from '../runtime/partner.ts';
import { assertValid, parseSecretString } from '../runtime/validation.ts';
import type { Redactor } from './redactor.ts';

/** Wraps every partner hook call, e.g. to open a trace subsegment per call. */
export type HookWrapper = <T>(
  hook: keyof PartnerRotatorV1,
  partnerType: string,
  call: () => Promise<T>,
) => Promise<T>;

/** The rotator with every hook routed through `wrap` (identity when no wrapper is given). */
function wrapRotator(rotator: PartnerRotatorV1, partnerType: string, wrap?: HookWrapper): PartnerRotatorV1 {
  if (!wrap) return rotator;
  const hooks = ['create', 'discard', 'set', 'test', 'promote', 'revoke', 'preflight'] as const;
  const wrapped: Record<string, unknown> = { ...rotator };
  for (const hook of hooks) {
    const original = rotator[hook] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (!original) continue;
    wrapped[hook] = (...args: unknown[]) => wrap(hook, partnerType, () => original.apply(rotator, args));
  }
  return wrapped as unknown as PartnerRotatorV1;
}

export interface PartnerBindingOptions {
  catalog: PartnerCatalog;
  /** Accept loopback partner URLs (simulators). */
  simulatorMode: boolean;
  simulatorUrls: Readonly<Record<string, string>>;
  defaultGracePeriodSeconds: number;
  now: () => Date;
  hookWrapper?: HookWrapper;
}

export interface BoundPartner {
  manifest: AnyPartnerManifest;
  rotator: PartnerRotatorV1;
  context: HookContext;
}

/**
 * Resolves the secret's partner and binds its plugin for one token.
 *
 * @param describe - the secret's DescribeSecret answer (Type and metadata, or Rotor's tags).
 * @param request - `logFor` gives the hooks' logger once the partner type is known.
 * @throws {InvalidConfigurationError} for an unknown partner or invalid metadata.
 * @example
 * ```ts
 * const { manifest, rotator, context } = await bindPartner(describe, { secretId, token, logFor, readSecret }, options);
 * ```
 */
export async function bindPartner(
  describe: DescribeSecretCommandOutput,
  request: {
    secretId: string;
    token: string;
    logFor: (partnerType: string) => RotationLogger;
    readSecret: HookContext['readSecret'];
  },
  options: PartnerBindingOptions,
): Promise<BoundPartner> {
  const config = resolvePartnerConfig(describe);
  const manifest = await options.catalog.resolve(config.type);
  assertValid(manifest.metadataSchema, config.metadata, `${manifest.type} rotation metadata`);
  const rotator = wrapRotator(await manifest.loadRotator(), manifest.type, options.hookWrapper);
  const context: HookContext = {
    secretId: request.secretId,
    token: request.token,
    metadata: config.metadata,
    lastRotatedAt: describe.LastRotatedDate,
    gracePeriodSeconds: effectiveGracePeriod(config, options.defaultGracePeriodSeconds),
    simulatorMode: options.simulatorMode,
    simulatorUrl: options.simulatorMode ? options.simulatorUrls[manifest.type] : undefined,
    log: request.logFor(manifest.type),
    now: options.now,
    http: httpClientFor(manifest, options.simulatorMode),
    readSecret: request.readSecret,
  };
  return { manifest, rotator, context };
}

/**
 * Parses a stored value and checks it before any hook sees it: the partner's schema, then every
 * URL it holds against the manifest's allowed hosts. Its sensitive fields go to `redactor` first,
 * so no error message can carry them.
 *
 * @throws {InvalidConfigurationError} or {EgressDeniedError}, naming the field.
 * @example
 * ```ts
 * const pending = checkSecretValue(manifest, version.secretString, 'AWSPENDING value', { simulatorMode: false, redactor });
 * ```
 */
export function checkSecretValue(
  manifest: AnyPartnerManifest,
  secretString: string | undefined,
  what: string,
  options: { simulatorMode: boolean; redactor?: Redactor },
): SecretValue {
  const value = parseSecretString(secretString, `${manifest.type} ${what}`);
  options.redactor?.addValues(value, manifest.sensitiveFields);
  assertValid(manifest.secretSchema, value, `${manifest.type} ${what}`);
  assertEgressTargets(manifest, value, options.simulatorMode);
  return value;
}

/**
 * Checks every partner URL a value holds against the manifest's allowed hosts (I8).
 *
 * @throws {EgressDeniedError} naming the field.
 * @example
 * ```ts
 * assertEgressTargets(manifest, value, false);
 * ```
 */
export function assertEgressTargets(
  manifest: AnyPartnerManifest,
  value: SecretValue,
  simulatorMode: boolean,
): void {
  for (const target of manifest.egress.targets(value)) {
    assertEgressAllowed(target.url, {
      field: target.field,
      allowedHosts: manifest.egress.allowedHosts,
      simulatorMode,
      partner: manifest.type,
    });
  }
}
