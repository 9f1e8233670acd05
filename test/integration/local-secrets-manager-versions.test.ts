/** PutSecretValue, UpdateSecretVersionStage, ListSecretVersionIds and the 100-version cap. */
import { randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/local/secrets-manager/index.ts';
import {
  expectAwsError,
  guard,
  type Harness,
  HOUR_MS,
  startHarness,
  uniqueName,
} from './local-secrets-manager-harness.ts';

describe('Class: SecretsManagerService', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  /** A secret with versions v1 (created) and v2 (put): v2 AWSCURRENT, v1 AWSPREVIOUS. */
  async function twoVersions() {
    const name = uniqueName('ver');
    const created = await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));
    const put = await harness.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'v2' }));
    return { name, arn: created.ARN!, v1: created.VersionId!, v2: put.VersionId! };
  }

  async function stagesOf(name: string) {
    return (await harness.client.send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages;
  }

  describe('Operation: PutSecretValue', () => {
    it('moves AWSCURRENT to the new version and AWSPREVIOUS to the old one', async () => {
      // Prepare
      const { name, arn, v1, v2 } = await twoVersions();

      // Act
      const token = randomUUID();
      const put = await harness.client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: 'v3', ClientRequestToken: token }),
      );

      // Assess
      expect(put).toMatchObject({ ARN: arn, Name: name, VersionId: token, VersionStages: ['AWSCURRENT'] });
      expect(await stagesOf(name)).toEqual({ [v2]: ['AWSPREVIOUS'], [token]: ['AWSCURRENT'] });
      expect(v1).not.toBe(v2);
    });

    it('attaches only the given VersionStages', async () => {
      // Prepare
      const { name, v1, v2 } = await twoVersions();

      // Act
      const put = await harness.client.send(
        new PutSecretValueCommand({
          SecretId: name,
          SecretString: 'staged',
          VersionStages: ['STAGING', 'QA'],
        }),
      );

      // Assess
      expect(put.VersionStages).toEqual(['STAGING', 'QA']);
      expect(await stagesOf(name)).toEqual({
        [v1]: ['AWSPREVIOUS'],
        [v2]: ['AWSCURRENT'],
        [put.VersionId!]: ['STAGING', 'QA'],
      });
    });

    it('treats a retry with the same token and value as success without change', async () => {
      // Prepare
      const { name } = await twoVersions();
      const token = randomUUID();
      await harness.client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: 'v3', ClientRequestToken: token }),
      );
      const before = await stagesOf(name);

      // Act
      const retry = await harness.client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: 'v3', ClientRequestToken: token }),
      );

      // Assess
      expect(retry.VersionId).toBe(token);
      expect(await stagesOf(name)).toEqual(before);
    });

    it('refuses the same token with different data', async () => {
      // Prepare
      const { name, arn, v2 } = await twoVersions();

      // Act
      const call = guard(
        harness.client.send(
          new PutSecretValueCommand({
            SecretId: name,
            SecretBinary: new Uint8Array([1]),
            ClientRequestToken: v2,
          }),
        ),
      );

      // Assess
      await expectAwsError(call, 'ResourceExistsException', messages.tokenInUse(v2, arn));
    });

    it('accepts a well-formed RotationToken and never echoes it', async () => {
      // Prepare
      const { name } = await twoVersions();
      const rotationToken = `rt-${randomUUID()}`;

      // Act
      const put = await harness.client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: 'v3', RotationToken: rotationToken }),
      );
      const described = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));

      // Assess
      expect(JSON.stringify(put)).not.toContain(rotationToken);
      expect(JSON.stringify(described)).not.toContain(rotationToken);
    });

    it('refuses a malformed RotationToken without quoting it or the value', async () => {
      // Prepare
      const { name } = await twoVersions();
      const rotationToken = 'bad token with spaces and more than thirty-six chars';

      // Act
      const call = guard(
        harness.client.send(
          new PutSecretValueCommand({
            SecretId: name,
            SecretString: 'hunter2-value',
            RotationToken: rotationToken,
          }),
        ),
      );

      // Assess
      const error = await expectAwsError(call, 'ValidationException');
      expect(error.message).toContain("'rotationToken'");
      expect(error.message).not.toContain('bad token');
      expect(error.message).not.toContain('hunter2');
    });

    it('refuses a request without a value', async () => {
      // Prepare
      const { name } = await twoVersions();

      // Act
      const call = guard(harness.client.send(new PutSecretValueCommand({ SecretId: name })));

      // Assess
      await expectAwsError(call, 'InvalidParameterException', messages.NO_VALUE_GIVEN);
    });

    it('answers ResourceNotFoundException for a missing secret', async () => {
      // Act
      const call = guard(
        harness.client.send(new PutSecretValueCommand({ SecretId: uniqueName('none'), SecretString: 'v' })),
      );

      // Assess
      await expectAwsError(call, 'ResourceNotFoundException', messages.SECRET_NOT_FOUND);
    });
  });

  describe('Operation: UpdateSecretVersionStage', () => {
    it('moves AWSCURRENT with RemoveFromVersionId and moves AWSPREVIOUS with it', async () => {
      // Prepare
      const { name, v1, v2 } = await twoVersions();

      // Act: roll back to v1
      const result = await harness.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: v1,
          RemoveFromVersionId: v2,
        }),
      );

      // Assess
      expect(result.Name).toBe(name);
      expect(await stagesOf(name)).toEqual({ [v1]: ['AWSCURRENT'], [v2]: ['AWSPREVIOUS'] });
      const value = await harness.client.send(new GetSecretValueCommand({ SecretId: name }));
      expect(value.SecretString).toBe('v1');
    });

    it('refuses to move a label that sits elsewhere without RemoveFromVersionId', async () => {
      // Prepare
      const { name, v1, v2 } = await twoVersions();

      // Act
      const call = guard(
        harness.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: v1,
          }),
        ),
      );

      // Assess
      await expectAwsError(
        call,
        'InvalidParameterException',
        `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v2}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    });

    it('treats a label already in place as done, and refuses a RemoveFromVersionId without the label', async () => {
      // Prepare
      const { name, v1, v2 } = await twoVersions();

      // Act
      const alreadyDone = guard(
        harness.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: v2,
            RemoveFromVersionId: v1,
          }),
        ),
      );
      const wrongHolder = guard(
        harness.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSPREVIOUS',
            MoveToVersionId: v2,
            RemoveFromVersionId: v2,
          }),
        ),
      );

      // Assess
      await expect(alreadyDone).resolves.toMatchObject({ Name: name });
      await expectAwsError(
        wrongHolder,
        'InvalidParameterException',
        `Staging label AWSPREVIOUS is not attached to version ${v2}.`,
      );
    });

    it('attaches a new custom label without RemoveFromVersionId and removes it again', async () => {
      // Prepare
      const { name, v1, v2 } = await twoVersions();

      // Act
      await harness.client.send(
        new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'BLUE', MoveToVersionId: v1 }),
      );
      const attached = await stagesOf(name);
      await harness.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'BLUE',
          RemoveFromVersionId: v1,
        }),
      );

      // Assess
      expect(attached).toEqual({ [v1]: ['AWSPREVIOUS', 'BLUE'], [v2]: ['AWSCURRENT'] });
      expect(await stagesOf(name)).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'] });
    });

    it('refuses to remove AWSCURRENT without moving it', async () => {
      // Prepare
      const { name, v2 } = await twoVersions();

      // Act
      const call = guard(
        harness.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSCURRENT',
            RemoveFromVersionId: v2,
          }),
        ),
      );

      // Assess
      await expectAwsError(call, 'InvalidParameterException');
    });

    it('answers ResourceNotFoundException for a missing version', async () => {
      // Prepare
      const { name, v2 } = await twoVersions();
      const missing = randomUUID();

      // Act
      const call = guard(
        harness.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: missing,
            RemoveFromVersionId: v2,
          }),
        ),
      );

      // Assess
      await expectAwsError(call, 'ResourceNotFoundException', messages.versionNotFound(missing));
    });
  });

  describe('Operation: ListSecretVersionIds', () => {
    it('hides deprecated (unlabelled) versions unless IncludeDeprecated', async () => {
      // Prepare
      const { name, arn, v1, v2 } = await twoVersions();
      const v3 = (
        await harness.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'v3' }))
      ).VersionId!;

      // Act
      const visible = await harness.client.send(new ListSecretVersionIdsCommand({ SecretId: name }));
      const all = await harness.client.send(
        new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
      );

      // Assess
      expect(visible).toMatchObject({ ARN: arn, Name: name });
      expect(visible.Versions?.map((version) => [version.VersionId, version.VersionStages])).toEqual([
        [v2, ['AWSPREVIOUS']],
        [v3, ['AWSCURRENT']],
      ]);
      expect(all.Versions?.map((version) => version.VersionId)).toEqual([v1, v2, v3]);
      expect(all.Versions?.[0]?.VersionStages).toBeUndefined();
      expect(await stagesOf(name)).not.toHaveProperty(v1);
    });

    it('pages with MaxResults and NextToken', async () => {
      // Prepare
      const name = uniqueName('pages');
      await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: '0' }));
      for (let i = 1; i < 5; i++) {
        await harness.client.send(
          new PutSecretValueCommand({ SecretId: name, SecretString: String(i), VersionStages: [`L${i}`] }),
        );
      }

      // Act
      const ids: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await harness.client.send(
          new ListSecretVersionIdsCommand({ SecretId: name, MaxResults: 2, NextToken: nextToken }),
        );
        ids.push(...(page.Versions ?? []).map((version) => version.VersionId!));
        nextToken = page.NextToken;
        pages++;
      } while (nextToken !== undefined);

      // Assess
      expect(pages).toBe(3);
      expect(new Set(ids).size).toBe(5);
    });

    it('refuses a NextToken it did not issue', async () => {
      // Prepare
      const { name } = await twoVersions();

      // Act
      const call = guard(
        harness.client.send(new ListSecretVersionIdsCommand({ SecretId: name, NextToken: 'not-a-token' })),
      );

      // Assess
      await expectAwsError(call, 'InvalidNextTokenException');
    });
  });

  describe('Version cap', () => {
    it('keeps at most 100 versions: young deprecated versions block, old ones make room', async () => {
      // Prepare: 100 versions, 98 of them deprecated but younger than 24 hours
      const name = uniqueName('cap');
      const first = await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: '0' }));
      for (let i = 1; i < 100; i++) {
        await harness.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: String(i) }));
      }

      // Act
      const blocked = guard(
        harness.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: '100' })),
      );
      await expectAwsError(blocked, 'LimitExceededException');
      harness.clock.advance(25 * HOUR_MS);
      const allowed = await harness.client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: '100' }),
      );
      const versions = await harness.client.send(
        new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 100 }),
      );

      // Assess
      expect(allowed.VersionStages).toEqual(['AWSCURRENT']);
      expect(versions.Versions).toHaveLength(100);
      expect(versions.Versions?.map((version) => version.VersionId)).not.toContain(first.VersionId);
    });
  });
});
