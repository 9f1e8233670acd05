/**
 * The Secrets Manager operations a rotation uses, over an injected SDK v3 client. One method per
 * operation; every failure is a typed Rotor error. `RotationToken` is passed through and never
 * logged.
 */
import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { RotorError } from '../engine/errors.ts';
import { awsErrorName, classifyAwsError } from './errors.ts';
import type { VersionCache } from './version-cache.ts';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPENDING = 'AWSPENDING';
export const AWSPREVIOUS = 'AWSPREVIOUS';

export interface StoredVersion {
  versionId: string;
  secretString: string | undefined;
  createdDate: Date | undefined;
}

export class SecretStore {
  /**
   * @param cache - optional cache of immutable versions by id; reads that name a version id are
   * served from it, and values this store writes are added to it.
   */
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly cache?: VersionCache,
  ) {}

  async #send<T>(action: string, secretId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof RotorError) throw error;
      throw classifyAwsError(error, 'Secrets Manager', `${action} on ${secretId}`);
    }
  }

  /** `DescribeSecret`. */
  describe(secretId: string): Promise<DescribeSecretCommandOutput> {
    return this.#send('DescribeSecret', secretId, () =>
      this.client.send(new DescribeSecretCommand({ SecretId: secretId })),
    );
  }

  /**
   * `GetSecretValue` of a version, by id and/or stage. With a version id and a cache, a cached
   * value is returned without a call: the caller has just checked (DescribeSecret) that the
   * version carries the stage.
   */
  async getVersion(secretId: string, select: { versionId?: string; stage?: string }): Promise<StoredVersion> {
    const cached = select.versionId ? this.cache?.get(secretId, select.versionId) : undefined;
    if (cached !== undefined && select.versionId) {
      return { versionId: select.versionId, secretString: cached, createdDate: undefined };
    }
    const output = await this.#send('GetSecretValue', secretId, () =>
      this.client.send(
        new GetSecretValueCommand({
          SecretId: secretId,
          VersionId: select.versionId,
          VersionStage: select.stage,
        }),
      ),
    );
    if (output.VersionId && output.SecretString !== undefined) {
      this.cache?.set(secretId, output.VersionId, output.SecretString);
    }
    return {
      versionId: output.VersionId ?? '',
      secretString: output.SecretString,
      createdDate: output.CreatedDate,
    };
  }

  /** Like {@link getVersion}, but `undefined` when no such value exists yet (`ResourceNotFoundException`). */
  async findVersion(
    secretId: string,
    select: { versionId?: string; stage?: string },
  ): Promise<StoredVersion | undefined> {
    try {
      return await this.getVersion(secretId, select);
    } catch (error) {
      if (error instanceof RotorError && awsErrorName(error.cause) === 'ResourceNotFoundException')
        return undefined;
      throw error;
    }
  }

  /** `PutSecretValue` of the pending value under `AWSPENDING`, with the rotation's tokens. */
  async putPending(
    secretId: string,
    token: string,
    secretString: string,
    rotationToken: string | undefined,
  ): Promise<void> {
    await this.#send('PutSecretValue', secretId, () =>
      this.client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: secretString,
          VersionStages: [AWSPENDING],
          ...(rotationToken ? { RotationToken: rotationToken } : {}),
        }),
      ),
    );
    this.cache?.set(secretId, token, secretString);
  }

  /** The one `UpdateSecretVersionStage` that finishes a rotation: AWSCURRENT from `fromVersionId` to `token`. */
  async moveCurrent(secretId: string, token: string, fromVersionId: string | undefined): Promise<void> {
    await this.#send('UpdateSecretVersionStage', secretId, () =>
      this.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: AWSCURRENT,
          MoveToVersionId: token,
          RemoveFromVersionId: fromVersionId,
        }),
      ),
    );
  }
  /**
   * Removes AWSPENDING from an abandoned rotation's version. Repair only: a rotation never removes
   * AWSPENDING with a separate call. Never touches AWSCURRENT.
   */
  async clearPending(secretId: string, versionId: string): Promise<void> {
    await this.#send('UpdateSecretVersionStage', secretId, () =>
      this.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: AWSPENDING,
          RemoveFromVersionId: versionId,
        }),
      ),
    );
  }
}

/** The version id carrying `stage`, from `VersionIdsToStages`. */
export function versionWithStage(describe: DescribeSecretCommandOutput, stage: string): string | undefined {
  for (const [versionId, stages] of Object.entries(describe.VersionIdsToStages ?? {})) {
    if (stages.includes(stage)) return versionId;
  }
  return undefined;
}
