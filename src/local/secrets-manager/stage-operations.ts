/** UpdateSecretVersionStage and ListSecretVersionIds. */
import { compact, type Operation } from './context.ts';
import { InvalidParameterError, InvalidRequestError, ResourceNotFoundError } from './errors.ts';
import { readSecretId, readVersionId } from './members.ts';
import { removeFromVersionIdRequired, versionNotFound } from './messages.ts';
import { AWSCURRENT, AWSPENDING } from './model.ts';
import { paginate } from './pagination.ts';
import { optionalBoolean, optionalInteger, optionalString, requiredString } from './validation.ts';
import { attachLabel, isDeprecated, stagesOf } from './versions.ts';
import { epochSeconds } from './views.ts';

export const updateSecretVersionStage: Operation = (ctx, input) => {
  const secretId = readSecretId(input);
  const label = requiredString(input, 'VersionStage', { min: 1, max: 256 });
  const removeFrom = readVersionId(input, 'RemoveFromVersionId');
  const moveTo = readVersionId(input, 'MoveToVersionId');
  const secret = ctx.store.getActive(secretId);
  const result = { ARN: secret.arn, Name: secret.name };
  for (const versionId of [moveTo, removeFrom]) {
    if (versionId !== undefined && !secret.versions.has(versionId)) {
      throw new ResourceNotFoundError(versionNotFound(versionId));
    }
  }

  const holder = secret.labels.get(label);
  // Already in place: a retried finishSecret succeeds without change.
  if (moveTo !== undefined && holder === moveTo) return result;
  if (removeFrom !== undefined && holder !== removeFrom) {
    throw new InvalidParameterError(`Staging label ${label} is not attached to version ${removeFrom}.`);
  }

  if (moveTo === undefined) {
    if (removeFrom === undefined) {
      throw new InvalidParameterError('You must specify MoveToVersionId, RemoveFromVersionId, or both.');
    }
    if (label === AWSCURRENT && !ctx.options.allowCurrentLabelRemoval) {
      throw new InvalidParameterError(
        "You can't remove the staging label AWSCURRENT without moving it to another version with MoveToVersionId.",
      );
    }
    secret.labels.delete(label);
  } else {
    if (holder !== undefined && removeFrom === undefined) {
      throw new InvalidParameterError(removeFromVersionIdRequired(label, holder));
    }
    if (label === AWSCURRENT && secret.versions.get(moveTo)?.value === undefined) {
      throw new InvalidRequestError(
        `Version ${moveTo} holds no secret value yet, so it can't become AWSCURRENT.`,
      );
    }
    // AWSCURRENT landing on the AWSPENDING version is a rotation finishing.
    const finishesRotation = label === AWSCURRENT && secret.labels.get(AWSPENDING) === moveTo;
    attachLabel(secret, label, moveTo);
    if (finishesRotation) {
      secret.labels.delete(AWSPENDING);
      secret.lastRotatedDate = ctx.now;
    }
  }
  secret.lastChangedDate = ctx.now;
  return result;
};

export const listSecretVersionIds: Operation = (ctx, input) => {
  const secretId = readSecretId(input);
  const includeDeprecated = optionalBoolean(input, 'IncludeDeprecated') ?? false;
  const maxResults = optionalInteger(input, 'MaxResults', { min: 1, max: 100 }) ?? 100;
  const nextToken = optionalString(input, 'NextToken', { min: 1, max: 4096 });
  const secret = ctx.store.getActive(secretId);
  const versions = [...secret.versions.values()].filter(
    (version) => includeDeprecated || !isDeprecated(secret, version.versionId),
  );
  const page = paginate(versions, maxResults, nextToken, `ListSecretVersionIds:${secret.arn}`);
  return compact({
    Versions: page.items.map((version) => {
      const stages = stagesOf(secret, version.versionId);
      return compact({
        VersionId: version.versionId,
        VersionStages: stages.length === 0 ? undefined : stages,
        LastAccessedDate:
          version.lastAccessedDate === undefined ? undefined : epochSeconds(version.lastAccessedDate),
        CreatedDate: epochSeconds(version.createdDate),
      });
    }),
    NextToken: page.nextToken,
    ARN: secret.arn,
    Name: secret.name,
  });
};
