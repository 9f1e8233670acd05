/** RotateSecret and CancelRotateSecret, and a full four-step rotation driven through the endpoint. */
import { randomUUID } from 'node:crypto';
import {
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, type RotationRequest } from '../../src/local/secrets-manager/index.ts';
import {
  expectAwsError,
  guard,
  type Harness,
  START,
  startHarness,
  uniqueName,
  waitForRotations,
} from './local-secrets-manager-harness.ts';

const LAMBDA_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:rotor-rotation';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/rotor-mes';

describe('Class: SecretsManagerService', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  async function secretWithValue(extra: { Type?: string } = {}) {
    const name = uniqueName('rot');
    const created = await harness.client.send(
      new CreateSecretCommand({ Name: name, SecretString: 'current', ...extra }),
    );
    return { name, arn: created.ARN!, current: created.VersionId! };
  }

  async function describeSecret(name: string) {
    return harness.client.send(new DescribeSecretCommand({ SecretId: name }));
  }

  describe('Operation: RotateSecret', () => {
    it('stores the configuration, creates a value-less AWSPENDING version and requests the rotation', async () => {
      // Prepare
      const { name, arn, current } = await secretWithValue();
      const token = randomUUID();
      const before = harness.rotations.length;

      // Act
      const rotated = await harness.client.send(
        new RotateSecretCommand({
          SecretId: name,
          ClientRequestToken: token,
          RotationLambdaARN: LAMBDA_ARN,
          RotationRules: { ScheduleExpression: 'rate(10 days)', Duration: '3h' },
        }),
      );
      const rotations = await waitForRotations(harness, before + 1);
      const described = await describeSecret(name);

      // Assess
      expect(rotated).toMatchObject({ ARN: arn, Name: name, VersionId: token });
      expect(rotations[before]).toEqual({
        secretArn: arn,
        versionId: token,
        rotateImmediately: true,
        region: 'us-east-1',
      });
      expect(described).toMatchObject({
        RotationEnabled: true,
        RotationLambdaARN: LAMBDA_ARN,
        RotationRules: { ScheduleExpression: 'rate(10 days)', Duration: '3h' },
        VersionIdsToStages: { [current]: ['AWSCURRENT'], [token]: ['AWSPENDING'] },
      });
      expect(described.LastRotatedDate).toBeUndefined();
    });

    it('answers GetSecretValue on the pending version with ResourceNotFoundException until it is filled', async () => {
      // Prepare
      const { name } = await secretWithValue();
      const { VersionId: token } = await harness.client.send(
        new RotateSecretCommand({ SecretId: name, RotationLambdaARN: LAMBDA_ARN }),
      );

      // Act
      const byId = guard(
        harness.client.send(
          new GetSecretValueCommand({ SecretId: name, VersionId: token, VersionStage: 'AWSPENDING' }),
        ),
      );
      const byStage = guard(
        harness.client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPENDING' })),
      );
      await expectAwsError(byId, 'ResourceNotFoundException', messages.versionNotFound(token!));
      await expectAwsError(byStage, 'ResourceNotFoundException', messages.stageNotFound('AWSPENDING'));
      const filled = await harness.client.send(
        new PutSecretValueCommand({
          SecretId: name,
          ClientRequestToken: token,
          SecretString: 'next',
          VersionStages: ['AWSPENDING'],
        }),
      );
      const pending = await harness.client.send(
        new GetSecretValueCommand({ SecretId: name, VersionId: token, VersionStage: 'AWSPENDING' }),
      );

      // Assess
      expect(filled).toMatchObject({ VersionId: token, VersionStages: ['AWSPENDING'] });
      expect(pending.SecretString).toBe('next');
    });

    it('refuses a new rotation while AWSPENDING sits on another version than AWSCURRENT', async () => {
      // Prepare
      const { name } = await secretWithValue();
      await harness.client.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: LAMBDA_ARN }));

      // Act
      const call = guard(harness.client.send(new RotateSecretCommand({ SecretId: name })));

      // Assess
      await expectAwsError(call, 'InvalidRequestException', messages.ROTATION_IN_PROGRESS);
    });

    it('answers a retry with the same token with the same VersionId, no second version and no second request', async () => {
      // Prepare
      const { name } = await secretWithValue();
      const token = randomUUID();
      const before = harness.rotations.length;
      await harness.client.send(
        new RotateSecretCommand({ SecretId: name, ClientRequestToken: token, RotationLambdaARN: LAMBDA_ARN }),
      );
      await waitForRotations(harness, before + 1);

      // Act
      const retry = await harness.client.send(
        new RotateSecretCommand({ SecretId: name, ClientRequestToken: token }),
      );
      const versions = await harness.client.send(
        new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
      );
      // A later, unrelated request shows whether the retry queued one of its own.
      const other = await secretWithValue();
      await harness.client.send(
        new RotateSecretCommand({ SecretId: other.name, RotationLambdaARN: LAMBDA_ARN }),
      );
      await waitForRotations(harness, before + 2);

      // Assess
      expect(retry.VersionId).toBe(token);
      expect(versions.Versions).toHaveLength(2);
      expect(harness.rotations.slice(before).map((request) => request.secretArn)).toEqual([
        harness.rotations[before]!.secretArn,
        other.arn,
      ]);
    });

    it('refuses rotation with no function and no managed-external configuration', async () => {
      // Prepare
      const { name } = await secretWithValue();

      // Act
      const call = guard(harness.client.send(new RotateSecretCommand({ SecretId: name })));

      // Assess
      await expectAwsError(call, 'InvalidRequestException', messages.NO_ROTATION_CONFIGURED);
    });

    it('rotates a managed external secret and echoes its configuration in Describe and List', async () => {
      // Prepare
      const { name } = await secretWithValue({ Type: 'SalesforceClientSecret' });
      const metadata = [
        { Key: 'adminSecretArn', Value: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:admin-AbCdEf' },
      ];
      const before = harness.rotations.length;

      // Act
      await harness.client.send(
        new RotateSecretCommand({
          SecretId: name,
          ExternalSecretRotationMetadata: metadata,
          ExternalSecretRotationRoleArn: ROLE_ARN,
          RotateImmediately: false,
          RotationRules: { AutomaticallyAfterDays: 30 },
        }),
      );
      const rotations = await waitForRotations(harness, before + 1);
      const described = await describeSecret(name);
      const listed = await harness.client.send(
        new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [name] }] }),
      );

      // Assess
      expect(rotations[before]?.rotateImmediately).toBe(false);
      const expected = {
        Type: 'SalesforceClientSecret',
        RotationEnabled: true,
        ExternalSecretRotationMetadata: metadata,
        ExternalSecretRotationRoleArn: ROLE_ARN,
        RotationRules: { AutomaticallyAfterDays: 30 },
      };
      expect(described).toMatchObject(expected);
      expect(described.RotationLambdaARN).toBeUndefined();
      expect(listed.SecretList).toHaveLength(1);
      expect(listed.SecretList?.[0]).toMatchObject(expected);
    });

    it('replaces the given configuration and keeps the stored one for members not given', async () => {
      // Prepare
      const { name, current } = await secretWithValue();
      const first = await harness.client.send(
        new RotateSecretCommand({
          SecretId: name,
          RotationLambdaARN: LAMBDA_ARN,
          RotationRules: { AutomaticallyAfterDays: 7 },
        }),
      );
      await harness.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSPENDING',
          RemoveFromVersionId: first.VersionId,
        }),
      );

      // Act
      await harness.client.send(
        new RotateSecretCommand({
          SecretId: name,
          RotationRules: { ScheduleExpression: 'cron(0 8 ? * MON *)' },
        }),
      );
      const described = await describeSecret(name);

      // Assess
      expect(described.RotationLambdaARN).toBe(LAMBDA_ARN);
      expect(described.RotationRules).toEqual({ ScheduleExpression: 'cron(0 8 ? * MON *)' });
      expect(described.VersionIdsToStages?.[current]).toEqual(['AWSCURRENT']);
    });

    it('refuses AutomaticallyAfterDays together with ScheduleExpression', async () => {
      // Prepare
      const { name } = await secretWithValue();

      // Act
      const call = guard(
        harness.client.send(
          new RotateSecretCommand({
            SecretId: name,
            RotationLambdaARN: LAMBDA_ARN,
            RotationRules: { AutomaticallyAfterDays: 1, ScheduleExpression: 'rate(4 hours)' },
          }),
        ),
      );

      // Assess
      await expectAwsError(call, 'InvalidParameterException');
    });

    it('ignores a failing onRotationRequested hook', async () => {
      // Prepare
      const failing = await startHarness({
        onRotationRequested: () => {
          throw new Error('hook failed');
        },
      });
      try {
        await failing.client.send(new CreateSecretCommand({ Name: 'hooked', SecretString: 'v' }));

        // Act
        const rotated = await failing.client.send(
          new RotateSecretCommand({ SecretId: 'hooked', RotationLambdaARN: LAMBDA_ARN }),
        );
        await waitForRotations(failing, 1);
        const listed = await failing.client.send(new ListSecretsCommand({}));

        // Assess
        expect(rotated.VersionId).toBeDefined();
        expect(listed.SecretList).toHaveLength(1);
      } finally {
        await failing.close();
      }
    });

    it('abandons the rotation in progress when a manual write moves AWSCURRENT', async () => {
      // Prepare
      const { name } = await secretWithValue();
      await harness.client.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: LAMBDA_ARN }));

      // Act
      const manual = await harness.client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: 'manual' }),
      );
      const described = await describeSecret(name);
      const next = await harness.client.send(new RotateSecretCommand({ SecretId: name }));

      // Assess
      expect(Object.values(described.VersionIdsToStages ?? {}).flat()).not.toContain('AWSPENDING');
      expect(described.VersionIdsToStages?.[manual.VersionId!]).toEqual(['AWSCURRENT']);
      expect(next.VersionId).toBeDefined();
    });
  });

  describe('Operation: CancelRotateSecret', () => {
    it('turns rotation off, keeps AWSPENDING and the rules, and returns the pending VersionId', async () => {
      // Prepare
      const { name } = await secretWithValue();
      const rotated = await harness.client.send(
        new RotateSecretCommand({
          SecretId: name,
          RotationLambdaARN: LAMBDA_ARN,
          RotationRules: { AutomaticallyAfterDays: 5 },
        }),
      );

      // Act
      const cancelled = await harness.client.send(new CancelRotateSecretCommand({ SecretId: name }));
      const described = await describeSecret(name);
      const blocked = guard(harness.client.send(new RotateSecretCommand({ SecretId: name })));

      // Assess
      expect(cancelled.VersionId).toBe(rotated.VersionId);
      expect(described).toMatchObject({
        RotationEnabled: false,
        RotationLambdaARN: LAMBDA_ARN,
        RotationRules: { AutomaticallyAfterDays: 5 },
      });
      expect(described.VersionIdsToStages?.[rotated.VersionId!]).toEqual(['AWSPENDING']);
      await expectAwsError(blocked, 'InvalidRequestException', messages.ROTATION_IN_PROGRESS);
    });

    it('returns no VersionId when no rotation is in progress', async () => {
      // Prepare
      const { name } = await secretWithValue();

      // Act
      const cancelled = await harness.client.send(new CancelRotateSecretCommand({ SecretId: name }));

      // Assess
      expect(cancelled.VersionId).toBeUndefined();
      expect((await describeSecret(name)).RotationEnabled).toBe(false);
    });
  });

  describe('Rotation: the four steps against the endpoint', () => {
    /** The AWS rotation template's steps, with the re-entrancy checks, through the SDK. */
    async function rotate(client: SecretsManagerClient, request: RotationRequest): Promise<void> {
      const { secretArn: SecretId, versionId: token } = request;
      const describe = async () => client.send(new DescribeSecretCommand({ SecretId }));
      const metadata = await describe();
      if (!metadata.RotationEnabled) throw new Error('rotation disabled');
      if (!metadata.VersionIdsToStages?.[token]?.includes('AWSPENDING')) throw new Error('no AWSPENDING');
      // createSecret
      await client.send(new GetSecretValueCommand({ SecretId, VersionStage: 'AWSCURRENT' }));
      const exists = await client
        .send(new GetSecretValueCommand({ SecretId, VersionId: token, VersionStage: 'AWSPENDING' }))
        .then(
          () => true,
          (error: Error) => {
            if (error.name !== 'ResourceNotFoundException') throw error;
            return false;
          },
        );
      if (!exists) {
        const { RandomPassword } = await client.send(
          new GetRandomPasswordCommand({ ExcludeCharacters: '"\\' }),
        );
        await client.send(
          new PutSecretValueCommand({
            SecretId,
            ClientRequestToken: token,
            SecretString: RandomPassword,
            VersionStages: ['AWSPENDING'],
          }),
        );
      }
      // setSecret and testSecret would talk to the partner; here they read AWSPENDING.
      await client.send(
        new GetSecretValueCommand({ SecretId, VersionId: token, VersionStage: 'AWSPENDING' }),
      );
      // finishSecret
      const stages = (await describe()).VersionIdsToStages ?? {};
      const current = Object.keys(stages).find((id) => stages[id]?.includes('AWSCURRENT'));
      if (current === token) return;
      await client.send(
        new UpdateSecretVersionStageCommand({
          SecretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          RemoveFromVersionId: current,
        }),
      );
    }

    it('ends with the new version AWSCURRENT, the old AWSPREVIOUS, no AWSPENDING and LastRotatedDate set', async () => {
      // Prepare
      let finished!: (outcome: Error | undefined) => void;
      const done = new Promise<Error | undefined>((resolve) => {
        finished = resolve;
      });
      let rotating: Harness | undefined;
      rotating = await startHarness({
        onRotationRequested: (request) =>
          rotate(rotating!.client, request).then(
            () => finished(undefined),
            (error: Error) => finished(error),
          ),
      });
      try {
        const created = await rotating.client.send(
          new CreateSecretCommand({ Name: 'app/db', SecretString: 'old' }),
        );

        // Act
        const rotated = await rotating.client.send(
          new RotateSecretCommand({ SecretId: 'app/db', RotationLambdaARN: LAMBDA_ARN }),
        );
        const outcome = await done;
        const described = await rotating.client.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
        const value = await rotating.client.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
        const again = await rotating.client.send(new RotateSecretCommand({ SecretId: 'app/db' }));

        // Assess
        expect(outcome).toBeUndefined();
        expect(described.VersionIdsToStages).toEqual({
          [created.VersionId!]: ['AWSPREVIOUS'],
          [rotated.VersionId!]: ['AWSCURRENT'],
        });
        expect(described.LastRotatedDate).toEqual(START);
        expect(value.VersionId).toBe(rotated.VersionId);
        expect(value.SecretString).toHaveLength(32);
        expect(value.SecretString).not.toBe('old');
        expect(again.VersionId).not.toBe(rotated.VersionId);
      } finally {
        await rotating.close();
      }
    });
  });
});
