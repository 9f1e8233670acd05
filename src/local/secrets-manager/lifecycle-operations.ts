/** DeleteSecret, RestoreSecret, TagResource and UntagResource. */
import type { Operation } from './context.ts';
import { InvalidParameterError, InvalidRequestError } from './errors.ts';
import { MAX_TAGS, readSecretId, readTags } from './members.ts';
import {
  DELETE_REPLICATED_PRIMARY,
  FORCE_DELETE_WITH_WINDOW,
  MARKED_FOR_DELETION,
  RECOVERY_WINDOW_RANGE,
} from './messages.ts';
import { checkTagKeys } from './secret-operations.ts';
import { constraintError, optionalBoolean, optionalInteger, optionalStringList } from './validation.ts';
import { epochSeconds } from './views.ts';

const DAY_MS = 86_400_000;
const DEFAULT_RECOVERY_WINDOW_DAYS = 30;

export const deleteSecret: Operation = (ctx, input) => {
  const secretId = readSecretId(input);
  const window = optionalInteger(input, 'RecoveryWindowInDays', {
    min: Number.MIN_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
  });
  const force = optionalBoolean(input, 'ForceDeleteWithoutRecovery') ?? false;
  if (force && window !== undefined) throw new InvalidParameterError(FORCE_DELETE_WITH_WINDOW);
  if (window !== undefined && (window < 7 || window > 30))
    throw new InvalidParameterError(RECOVERY_WINDOW_RANGE);
  const secret = ctx.store.get(secretId);
  if ((secret.replicas?.length ?? 0) > 0) throw new InvalidRequestError(DELETE_REPLICATED_PRIMARY);

  if (force) {
    // Gone now: the name is free at once, nothing can restore it.
    ctx.store.remove(secret);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(ctx.now) };
  }
  if (secret.deletedDate !== undefined) throw new InvalidRequestError(MARKED_FOR_DELETION);
  secret.deletedDate = new Date(ctx.now.getTime() + (window ?? DEFAULT_RECOVERY_WINDOW_DAYS) * DAY_MS);
  return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(secret.deletedDate) };
};

/** Cancels a scheduled deletion; a secret not scheduled for deletion is left as it is. */
export const restoreSecret: Operation = (ctx, input) => {
  const secret = ctx.store.get(readSecretId(input));
  if (secret.deletedDate !== undefined) {
    delete secret.deletedDate;
    secret.lastChangedDate = ctx.now;
  }
  return { ARN: secret.arn, Name: secret.name };
};

/** Adds tags; a tag whose key exists replaces that tag's value. */
export const tagResource: Operation = (ctx, input) => {
  const secretId = readSecretId(input);
  const tags = readTags(input);
  if (tags === undefined) throw constraintError('Tags', 'Member must not be null');
  checkTagKeys(tags);
  const secret = ctx.store.getActive(secretId);
  const merged = secret.tags.map((tag) => ({ ...tag }));
  for (const tag of tags) {
    const existing = merged.find((candidate) => candidate.Key === tag.Key);
    if (existing === undefined) merged.push({ ...tag });
    else existing.Value = tag.Value;
  }
  if (merged.length > MAX_TAGS)
    throw new InvalidParameterError(`A secret can have at most ${MAX_TAGS} tags.`);
  secret.tags = merged;
  secret.lastChangedDate = ctx.now;
  return {};
};

export const untagResource: Operation = (ctx, input) => {
  const secretId = readSecretId(input);
  const keys = optionalStringList(input, 'TagKeys', { item: { min: 1, max: 128 } });
  if (keys === undefined) throw constraintError('TagKeys', 'Member must not be null');
  const secret = ctx.store.getActive(secretId);
  secret.tags = secret.tags.filter((tag) => !keys.includes(tag.Key));
  secret.lastChangedDate = ctx.now;
  return {};
};
