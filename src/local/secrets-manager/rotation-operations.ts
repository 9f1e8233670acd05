/** RotateSecret and CancelRotateSecret. The four rotation steps run elsewhere, via onRotationRequested. */
import { randomUUID } from 'node:crypto';
import { RotationRulesError } from '../orchestrator/errors.ts';
import { parseRotationRules } from '../orchestrator/rotation-rules.ts';
import { compact, type Operation } from './context.ts';
import { InvalidParameterError, InvalidRequestError, ResourceExistsError } from './errors.ts';
import { readClientRequestToken, readExternalMetadata, readRotationRules, readSecretId } from './members.ts';
import { NO_ROTATION_CONFIGURED, ROTATION_IN_PROGRESS, tokenInUse } from './messages.ts';
import { AWSPENDING, type RotationRules } from './model.ts';
import { optionalBoolean, optionalString } from './validation.ts';
import { addVersion, attachLabel, pendingRotationVersion } from './versions.ts';

/** The schedule rules beyond shape (rate minimum, cron dialect, window fit), before anything changes. */
function checkSchedule(rules: RotationRules | undefined): RotationRules | undefined {
  if (rules === undefined) return undefined;
  try {
    parseRotationRules(rules);
  } catch (error) {
    if (error instanceof RotationRulesError) throw new InvalidParameterError(error.message);
    throw error;
  }
  return rules;
}

export const rotateSecret: Operation = (ctx, input) => {
  const secretId = readSecretId(input);
  const token = readClientRequestToken(input);
  // An empty RotationLambdaARN means "no function" (managed rotation, managed external secrets).
  const lambdaArn = optionalString(input, 'RotationLambdaARN', { max: 2048 }) || undefined;
  const rules = checkSchedule(readRotationRules(input));
  const rotateImmediately = optionalBoolean(input, 'RotateImmediately') ?? true;
  const metadata = readExternalMetadata(input);
  const roleArn = optionalString(input, 'ExternalSecretRotationRoleArn', { min: 20, max: 2048 });
  const secret = ctx.store.getActive(secretId);

  if (token !== undefined) {
    const existing = secret.versions.get(token);
    // A retried RotateSecret: same VersionId, no second version, no second rotation request.
    if (existing?.createdByRotation) return { ARN: secret.arn, Name: secret.name, VersionId: token };
    if (existing !== undefined) throw new ResourceExistsError(tokenInUse(token, secret.arn));
  }
  const hasFunction = (lambdaArn ?? secret.rotationLambdaArn) !== undefined;
  const isExternal =
    secret.type !== undefined || (roleArn ?? secret.externalSecretRotationRoleArn) !== undefined;
  if (!hasFunction && !isExternal) throw new InvalidRequestError(NO_ROTATION_CONFIGURED);
  if (pendingRotationVersion(secret) !== undefined) throw new InvalidRequestError(ROTATION_IN_PROGRESS);

  // The AWSPENDING version exists, without a value, before the first rotation step runs.
  const versionId = token ?? randomUUID();
  addVersion(secret, versionId, undefined, ctx.now, ctx.options, true);
  attachLabel(secret, AWSPENDING, versionId);
  // Given configuration replaces the stored one, member by member; missing members keep theirs.
  if (lambdaArn !== undefined) secret.rotationLambdaArn = lambdaArn;
  if (rules !== undefined) secret.rotationRules = rules;
  if (metadata !== undefined) secret.externalSecretRotationMetadata = metadata;
  if (roleArn !== undefined) secret.externalSecretRotationRoleArn = roleArn;
  secret.rotationEnabled = true;
  secret.lastChangedDate = ctx.now;

  ctx.requestRotation({ secretArn: secret.arn, versionId, rotateImmediately, region: ctx.region });
  return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
};

/** Turns rotation off; keeps AWSPENDING and the rotation configuration, as AWS does. */
export const cancelRotateSecret: Operation = (ctx, input) => {
  const secret = ctx.store.getActive(readSecretId(input));
  secret.rotationEnabled = false;
  secret.lastChangedDate = ctx.now;
  return compact({ ARN: secret.arn, Name: secret.name, VersionId: pendingRotationVersion(secret) });
};
