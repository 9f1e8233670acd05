/**
 * The pending-version chores of rotations that will not finish: a test rotation's set-up and
 * clean-up, and the clean-up after an abandoned rotation (I4: no orphan left at the source).
 */
import type { PendingDiscarder } from './discard.ts';
import { RotationCleanupError } from './errors.ts';
import { describe, type SecretsManagerPort } from './port.ts';

export interface PendingVersion {
  port: SecretsManagerPort;
  secretArn: string;
  versionId: string;
  region: string;
}

/**
 * Discards the credential minted for the version at the source (when `discarder` is given), then
 * takes AWSPENDING off the version if it is still there.
 *
 * @throws {RotationCleanupError} when the discard failed (AWSPENDING is removed all the same).
 * @example
 * ```ts
 * await cleanUpPending({ port, secretArn, versionId, region }, discarder);
 * ```
 */
export async function cleanUpPending(
  pending: PendingVersion,
  discarder: PendingDiscarder | undefined,
): Promise<void> {
  const { port, secretArn, versionId, region } = pending;
  let failure: unknown;
  if (discarder) {
    await discarder.discard({ secretArn, versionId, region }).catch((error: unknown) => {
      failure = error;
    });
  }
  const described = await describe(port, secretArn, region);
  if (described.VersionIdsToStages?.[versionId]?.includes('AWSPENDING')) {
    await port.call(
      'UpdateSecretVersionStage',
      { SecretId: secretArn, VersionStage: 'AWSPENDING', RemoveFromVersionId: versionId },
      region,
    );
  }
  if (failure !== undefined) {
    throw new RotationCleanupError(
      `Could not discard the credential minted for version ${versionId} of ${secretArn} at the source.`,
      { cause: failure },
    );
  }
}

/** Fills the pending version with a copy of AWSCURRENT, for a test rotation that mints nothing. */
export async function copyCurrentToPending(pending: PendingVersion): Promise<void> {
  const { port, secretArn, versionId, region } = pending;
  const current = await port.call('GetSecretValue', { SecretId: secretArn }, region);
  await port.call(
    'PutSecretValue',
    {
      SecretId: secretArn,
      ClientRequestToken: versionId,
      VersionStages: ['AWSPENDING'],
      ...(current.SecretString === undefined
        ? { SecretBinary: current.SecretBinary }
        : { SecretString: current.SecretString }),
    },
    region,
  );
}
