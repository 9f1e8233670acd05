/**
 * One resolver for a secret's partner configuration. On the local stack (and MES) the partner type
 * and metadata are first-class fields (`Type`, `ExternalSecretRotationMetadata`); on real AWS,
 * where `Type` is reserved for AWS-hosted partners, they are tags (`rotor:type`,
 * `rotor:meta:<key>`). Fields win over tags.
 */
import type { DescribeSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import { InvalidConfigurationError } from '../engine/errors.ts';

export const TYPE_TAG = 'rotor:type';
export const METADATA_TAG_PREFIX = 'rotor:meta:';
/** Engine setting (metadata key or tag): seconds a rotated-out credential keeps working. */
export const GRACE_PERIOD_KEY = 'rotor:grace-period';
/**
 * Engine setting (metadata key or tag): the longest time, in seconds, a consumer caches the value
 * (Secrets Manager Agent: 300 s). Rotor refuses a grace period shorter than it: the old credential
 * would be revoked while a consumer still serves it from cache.
 */
export const CONSUMER_TTL_KEY = 'rotor:consumer-ttl';
/** Longest grace period accepted: Salesforce's rotated pairs die after 30 days anyway. */
export const MAX_GRACE_PERIOD_SECONDS = 30 * 24 * 3600;

export interface PartnerConfig {
  type: string;
  /** Partner metadata, engine keys removed. */
  metadata: Record<string, string>;
  /** The secret's own grace period, when it sets one. */
  gracePeriodSeconds: number | undefined;
  /** The declared consumer cache TTL, when the secret declares one. */
  consumerTtlSeconds: number | undefined;
  /** Where the type came from. */
  source: 'fields' | 'tags';
}

function parseSeconds(raw: string, key: string): number {
  if (!/^[0-9]{1,8}$/.test(raw) || Number(raw) > MAX_GRACE_PERIOD_SECONDS) {
    throw new InvalidConfigurationError(
      `Invalid ${key}: must be a whole number of seconds from 0 to ${MAX_GRACE_PERIOD_SECONDS}.`,
      { field: key },
    );
  }
  return Number(raw);
}

/**
 * The grace period a rotation uses: the secret's own, else the engine default. Refuses one shorter
 * than the declared consumer TTL (I1 for cached consumers).
 *
 * @throws {InvalidConfigurationError} naming both fields and the fix.
 * @example
 * ```ts
 * const grace = effectiveGracePeriod(resolvePartnerConfig(describe), 3600);
 * ```
 */
export function effectiveGracePeriod(config: PartnerConfig, defaultSeconds: number): number {
  const grace = config.gracePeriodSeconds ?? defaultSeconds;
  const ttl = config.consumerTtlSeconds;
  if (ttl !== undefined && grace < ttl) {
    throw new InvalidConfigurationError(
      `${GRACE_PERIOD_KEY} (${grace} s${config.gracePeriodSeconds === undefined ? ', the default' : ''}) is shorter than ${CONSUMER_TTL_KEY} (${ttl} s): consumers would still use the old credential after it is revoked. Raise ${GRACE_PERIOD_KEY} to at least ${ttl}, or lower ${CONSUMER_TTL_KEY}.`,
      { field: GRACE_PERIOD_KEY },
    );
  }
  return grace;
}

/**
 * @throws {InvalidConfigurationError} when no partner type is set or a key is duplicated.
 * @example
 * ```ts
 * const { type, metadata } = resolvePartnerConfig(await store.describe(secretId));
 * ```
 */
export function resolvePartnerConfig(describe: DescribeSecretCommandOutput): PartnerConfig {
  const tags = new Map((describe.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  const type = describe.Type || tags.get(TYPE_TAG);
  if (!type) {
    throw new InvalidConfigurationError(
      `Secret ${describe.ARN ?? describe.Name} has no partner type; set its Type (local stack) or the tag ${TYPE_TAG}.`,
      { field: 'Type' },
    );
  }

  const entries: [string, string][] = describe.ExternalSecretRotationMetadata?.length
    ? describe.ExternalSecretRotationMetadata.map((item) => [item.Key ?? '', item.Value ?? ''])
    : [...tags]
        .filter(([key]) => key.startsWith(METADATA_TAG_PREFIX))
        .map(([key, value]) => [key.slice(METADATA_TAG_PREFIX.length), value]);

  const metadata: Record<string, string> = Object.create(null);
  let gracePeriodSeconds: number | undefined;
  let consumerTtlSeconds: number | undefined;
  const seen = new Set<string>();
  for (const [key, value] of entries) {
    // Engine settings and partner keys alike: a key given twice is ambiguous, never "last one wins".
    if (seen.has(key)) {
      throw new InvalidConfigurationError(`Rotation metadata key "${key}" is given twice; keep one.`, {
        field: key,
      });
    }
    seen.add(key);
    if (key === GRACE_PERIOD_KEY) {
      gracePeriodSeconds = parseSeconds(value, GRACE_PERIOD_KEY);
      continue;
    }
    if (key === CONSUMER_TTL_KEY) {
      consumerTtlSeconds = parseSeconds(value, CONSUMER_TTL_KEY);
      continue;
    }
    if (Object.hasOwn(metadata, key)) {
      throw new InvalidConfigurationError(`Rotation metadata key "${key}" is given twice; keep one.`, {
        field: key,
      });
    }
    metadata[key] = value;
  }
  const graceTag = tags.get(GRACE_PERIOD_KEY);
  if (gracePeriodSeconds === undefined && graceTag !== undefined)
    gracePeriodSeconds = parseSeconds(graceTag, GRACE_PERIOD_KEY);
  const ttlTag = tags.get(CONSUMER_TTL_KEY);
  if (consumerTtlSeconds === undefined && ttlTag !== undefined)
    consumerTtlSeconds = parseSeconds(ttlTag, CONSUMER_TTL_KEY);

  return {
    type,
    metadata: { ...metadata },
    gracePeriodSeconds,
    consumerTtlSeconds,
    source: describe.Type ? 'fields' : 'tags',
  };
}
