/** Version and staging-label semantics of one secret (reference section 3). */
import { InvalidRequestError, LimitExceededError } from './errors.ts';
import { versionLimit } from './messages.ts';
import {
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  type ResolvedOptions,
  type SecretRecord,
  type SecretValue,
} from './model.ts';

/** The labels on a version, in the order they were first attached to the secret. */
export function stagesOf(secret: SecretRecord, versionId: string): string[] {
  const stages: string[] = [];
  for (const [label, holder] of secret.labels) if (holder === versionId) stages.push(label);
  return stages;
}

/** Labelled versions only: a version with no label is deprecated and left out. */
export function versionIdsToStages(secret: SecretRecord): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const versionId of secret.versions.keys()) {
    const stages = stagesOf(secret, versionId);
    if (stages.length > 0) map[versionId] = stages;
  }
  return map;
}

export function isDeprecated(secret: SecretRecord, versionId: string): boolean {
  for (const holder of secret.labels.values()) if (holder === versionId) return false;
  return true;
}

/**
 * Puts `label` on `versionId`, taking it off whichever version had it. Moving AWSCURRENT moves
 * AWSPREVIOUS to the version AWSCURRENT left.
 */
export function attachLabel(secret: SecretRecord, label: string, versionId: string): void {
  const previousHolder = secret.labels.get(label);
  if (previousHolder === versionId) return;
  secret.labels.set(label, versionId);
  if (label === AWSCURRENT && previousHolder !== undefined) secret.labels.set(AWSPREVIOUS, previousHolder);
}

/** The version AWSPENDING marks while a rotation is in progress (AWSPENDING not on AWSCURRENT's version). */
export function pendingRotationVersion(secret: SecretRecord): string | undefined {
  const pending = secret.labels.get(AWSPENDING);
  return pending !== undefined && pending !== secret.labels.get(AWSCURRENT) ? pending : undefined;
}

export function sameValue(a: SecretValue, b: SecretValue): boolean {
  if (a.kind === 'string' && b.kind === 'string') return a.text === b.text;
  if (a.kind === 'binary' && b.kind === 'binary') return a.bytes.equals(b.bytes);
  return false;
}

/**
 * Makes room for one more version: drops the oldest deprecated versions older than the minimum age
 * while the secret is at the cap. @throws LimitExceededError when that is not enough.
 */
export function ensureVersionCapacity(secret: SecretRecord, now: Date, options: ResolvedOptions): void {
  if (secret.versions.size < options.maxVersions) return;
  const cutoff = now.getTime() - options.deprecatedVersionMinAgeMs;
  for (const version of secret.versions.values()) {
    if (secret.versions.size < options.maxVersions) return;
    if (version.createdDate.getTime() <= cutoff && isDeprecated(secret, version.versionId)) {
      secret.versions.delete(version.versionId);
    }
  }
  if (secret.versions.size >= options.maxVersions) {
    throw new LimitExceededError(versionLimit(options.maxVersions, secret.arn));
  }
}

/** Adds a version (after making room). The caller attaches its labels. */
export function addVersion(
  secret: SecretRecord,
  versionId: string,
  value: SecretValue | undefined,
  now: Date,
  options: ResolvedOptions,
  createdByRotation = false,
): void {
  ensureVersionCapacity(secret, now, options);
  secret.versions.set(versionId, {
    versionId,
    value,
    createdDate: now,
    lastAccessedDate: undefined,
    createdByRotation,
  });
}

/**
 * A manual write that made a new version AWSCURRENT abandons a rotation in progress: its
 * AWSPENDING label goes, so later rotations can start (AWS's RotationAbandoned).
 */
export function abandonRotationAfterManualWrite(secret: SecretRecord, options: ResolvedOptions): void {
  if (options.abandonRotationOnManualWrite && pendingRotationVersion(secret) !== undefined) {
    secret.labels.delete(AWSPENDING);
  }
}

/** Setting `Type` is allowed; changing an existing one is not (unless the option allows it). */
export function assertTypeChangeAllowed(
  secret: SecretRecord,
  type: string | undefined,
  options: ResolvedOptions,
): void {
  if (type === undefined || type === secret.type || secret.type === undefined || options.allowTypeChange)
    return;
  throw new InvalidRequestError(`You can't change the Type of secret ${secret.arn}.`);
}
