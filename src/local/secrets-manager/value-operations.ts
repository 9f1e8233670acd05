/** GetSecretValue and PutSecretValue. */
import { randomUUID } from 'node:crypto';
import type { Operation } from './context.ts';
import { InvalidParameterError, ResourceExistsError, ResourceNotFoundError } from './errors.ts';
import {
  checkRotationToken,
  readClientRequestToken,
  readSecretId,
  readSecretValue,
  readVersionId,
} from './members.ts';
import { NO_VALUE_GIVEN, stageNotFound, tokenInUse, versionNotFound } from './messages.ts';
import { AWSCURRENT, type SecretVersion } from './model.ts';
import { optionalString, optionalStringList } from './validation.ts';
import { abandonRotationAfterManualWrite, addVersion, attachLabel, sameValue, stagesOf } from './versions.ts';
import { epochSeconds, startOfUtcDay, valueMembers } from './views.ts';

export const getSecretValue: Operation = (ctx, input) => {
  const secretId = readSecretId(input);
  const versionId = readVersionId(input, 'VersionId');
  const stage = optionalString(input, 'VersionStage', { min: 1, max: 256 });
  const secret = ctx.store.getActive(secretId);

  let version: SecretVersion | undefined;
  if (versionId !== undefined) {
    version = secret.versions.get(versionId);
    // A version without a value (pre-created by RotateSecret) is "not found" until PutSecretValue fills it.
    if (version?.value === undefined) throw new ResourceNotFoundError(versionNotFound(versionId));
    if (stage !== undefined && secret.labels.get(stage) !== versionId) {
      throw new ResourceNotFoundError(stageNotFound(stage));
    }
  } else {
    const label = stage ?? AWSCURRENT;
    const holder = secret.labels.get(label);
    version = holder === undefined ? undefined : secret.versions.get(holder);
    if (version?.value === undefined) throw new ResourceNotFoundError(stageNotFound(label));
  }

  const accessDay = startOfUtcDay(ctx.now);
  secret.lastAccessedDate = accessDay;
  version.lastAccessedDate = accessDay;
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    ...valueMembers(version.value!),
    VersionStages: stagesOf(secret, version.versionId),
    CreatedDate: epochSeconds(version.createdDate),
  };
};

export const putSecretValue: Operation = (ctx, input) => {
  const secretId = readSecretId(input);
  const token = readClientRequestToken(input) ?? randomUUID();
  const value = readSecretValue(input);
  const stages = optionalStringList(input, 'VersionStages', {
    minItems: 1,
    maxItems: 20,
    item: { min: 1, max: 256 },
  });
  // RotationToken: shape-checked, then dropped. It is never stored, echoed or logged.
  checkRotationToken(input);
  if (value === undefined) throw new InvalidParameterError(NO_VALUE_GIVEN);
  const secret = ctx.store.getActive(secretId);
  const response = () => ({
    ARN: secret.arn,
    Name: secret.name,
    VersionId: token,
    VersionStages: stagesOf(secret, token),
  });

  const existing = secret.versions.get(token);
  if (existing?.value !== undefined) {
    // Idempotent retry: the same data is ignored, different data under the same token is refused.
    if (!sameValue(existing.value, value)) throw new ResourceExistsError(tokenInUse(token, secret.arn));
    return response();
  }

  const labels = [...new Set(stages ?? [AWSCURRENT])];
  if (existing === undefined) addVersion(secret, token, value, ctx.now, ctx.options);
  else existing.value = value; // fills the version RotateSecret pre-created (a rotation's createSecret)
  for (const label of labels) attachLabel(secret, label, token);
  if (labels.includes(AWSCURRENT)) abandonRotationAfterManualWrite(secret, ctx.options);
  secret.lastChangedDate = ctx.now;
  return response();
};
