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
/** Longest grace period accepted: Salesforce's rotated pairs die after 30 days anyway. */
export const MAX_GRACE_PERIOD_SECONDS = 30 * 24 * 3600;

export interface PartnerConfig {
  type: string;
  /** Partner metadata, engine keys removed. */
  metadata: Record<string, string>;
  /** The secret's own grace period, when it sets one. */
  gracePeriodSeconds: number | undefined;
  /** Where the type came from. */
  source: 'fields' | 'tags';
}

function parseGracePeriod(raw: string): number {
  if (!/^[0-9]{1,8}$/.test(raw) || Number(raw) > MAX_GRACE_PERIOD_SECONDS) {
    throw new InvalidConfigurationError(
      `Invalid ${GRACE_PERIOD_KEY}: must be a whole number of seconds from 0 to ${MAX_GRACE_PERIOD_SECONDS}.`,
      { field: GRACE_PERIOD_KEY },
    );
  }
  return Number(raw);
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
  for (const [key, value] of entries) {
    if (key === GRACE_PERIOD_KEY) {
      gracePeriodSeconds = parseGracePeriod(value);
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
    gracePeriodSeconds = parseGracePeriod(graceTag);

  return {
    type,
    metadata: { ...metadata },
    gracePeriodSeconds,
    source: describe.Type ? 'fields' : 'tags',
  };
}
