/** CreateSecret, DescribeSecret and UpdateSecret. */
import { randomUUID } from 'node:crypto';
import { compact, type Operation } from './context.ts';
import { InvalidParameterError, InvalidRequestError, ResourceExistsError } from './errors.ts';
import {
  readClientRequestToken,
  readDescription,
  readKmsKeyId,
  readName,
  readSecretId,
  readSecretValue,
  readTags,
  readType,
} from './members.ts';
import { NAME_SCHEDULED_FOR_DELETION, nameTaken, tokenInUse } from './messages.ts';
import { AWSCURRENT, type SecretRecord, type Tag } from './model.ts';
import { addReplicas, readReplicaRegions, replicationStatusView } from './replication-operations.ts';
import { optionalBoolean } from './validation.ts';
import {
  abandonRotationAfterManualWrite,
  addVersion,
  assertTypeChangeAllowed,
  attachLabel,
  sameValue,
} from './versions.ts';
import { describeView } from './views.ts';

/** Tag keys are unique per secret; `aws:` keys are reserved for AWS. */
export function checkTagKeys(tags: Tag[]): void {
  const keys = new Set<string>();
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:')) {
      throw new InvalidParameterError(`The tag key ${tag.Key} uses the reserved prefix aws:.`);
    }
    if (keys.has(tag.Key)) throw new InvalidParameterError(`The tag key ${tag.Key} appears more than once.`);
    keys.add(tag.Key);
  }
}

export const createSecret: Operation = (ctx, input) => {
  const name = readName(input);
  const token = readClientRequestToken(input);
  const description = readDescription(input);
  const kmsKeyId = readKmsKeyId(input);
  const value = readSecretValue(input);
  const tags = readTags(input) ?? [];
  const type = readType(input);
  checkTagKeys(tags);
  const forceOverwrite = optionalBoolean(input, 'ForceOverwriteReplicaSecret') ?? false;
  const replicaRegions = readReplicaRegions(input);

  const existing = ctx.store.findByName(name);
  if (existing !== undefined) {
    if (existing.deletedDate !== undefined) throw new InvalidRequestError(NAME_SCHEDULED_FOR_DELETION);
    // A retried CreateSecret: the token names the initial version.
    const retried = token === undefined ? undefined : existing.versions.get(token);
    if (token !== undefined && retried?.value !== undefined && value !== undefined) {
      if (!sameValue(retried.value, value)) throw new ResourceExistsError(tokenInUse(token, existing.arn));
      return { ARN: existing.arn, Name: existing.name, VersionId: token };
    }
    throw new ResourceExistsError(nameTaken(name));
  }

  const secret: SecretRecord = {
    arn: ctx.store.newArn(name),
    name,
    region: ctx.region,
    description,
    kmsKeyId,
    type,
    tags,
    createdDate: ctx.now,
    lastChangedDate: ctx.now,
    versions: new Map(),
    labels: new Map(),
  };
  let versionId: string | undefined;
  if (value !== undefined) {
    versionId = token ?? randomUUID();
    addVersion(secret, versionId, value, ctx.now, ctx.options);
    attachLabel(secret, AWSCURRENT, versionId);
  }
  ctx.store.add(secret);
  if (replicaRegions !== undefined) addReplicas(ctx, secret, replicaRegions, forceOverwrite);
  return compact({
    ARN: secret.arn,
    Name: secret.name,
    VersionId: versionId,
    ReplicationStatus: secret.replicas === undefined ? undefined : replicationStatusView(secret.replicas),
  });
};

export const describeSecret: Operation = (ctx, input) => describeView(ctx.store.get(readSecretId(input)));

export const updateSecret: Operation = (ctx, input) => {
  const secretId = readSecretId(input);
  const token = readClientRequestToken(input);
  const description = readDescription(input);
  const kmsKeyId = readKmsKeyId(input);
  const value = readSecretValue(input);
  const type = readType(input);
  const secret = ctx.store.getActive(secretId);
  assertTypeChangeAllowed(secret, type, ctx.options);

  let versionId: string | undefined;
  if (value !== undefined) {
    versionId = token ?? randomUUID();
    // UpdateSecret has no idempotent retry: any token naming an existing version is refused.
    if (secret.versions.has(versionId)) throw new ResourceExistsError(tokenInUse(versionId, secret.arn));
    addVersion(secret, versionId, value, ctx.now, ctx.options);
    attachLabel(secret, AWSCURRENT, versionId);
    abandonRotationAfterManualWrite(secret, ctx.options);
  }
  if (type !== undefined) secret.type = type;
  if (description !== undefined) secret.description = description;
  if (kmsKeyId !== undefined) secret.kmsKeyId = kmsKeyId;
  secret.lastChangedDate = ctx.now;
  return compact({ ARN: secret.arn, Name: secret.name, VersionId: versionId });
};
