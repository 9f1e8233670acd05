/** CreateSecret, DescribeSecret, GetSecretValue, UpdateSecret, TagResource and UntagResource. */
import { randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/local/secrets-manager/index.ts';
import {
  DAY_MS,
  expectAwsError,
  guard,
  type Harness,
  HOUR_MS,
  START,
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

  describe('Operation: CreateSecret', () => {
    it('creates a secret whose first version carries AWSCURRENT', async () => {
      // Prepare
      const name = uniqueName('app/db');

      // Act
      const created = await harness.client.send(
        new CreateSecretCommand({ Name: name, SecretString: 'first' }),
      );
      const described = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));

      // Assess
      expect(created.ARN).toMatch(
        new RegExp(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-[A-Za-z0-9]{6}$`),
      );
      expect(created.Name).toBe(name);
      expect(described.VersionIdsToStages).toEqual({ [created.VersionId!]: ['AWSCURRENT'] });
    });

    it('uses the ClientRequestToken as the first VersionId', async () => {
      // Prepare
      const token = randomUUID();

      // Act
      const created = await harness.client.send(
        new CreateSecretCommand({ Name: uniqueName('tok'), SecretString: 'v', ClientRequestToken: token }),
      );

      // Assess
      expect(created.VersionId).toBe(token);
    });

    it('stores a binary secret and returns the same bytes', async () => {
      // Prepare
      const name = uniqueName('bin');
      const bytes = new Uint8Array([0, 1, 2, 250, 255]);

      // Act
      await harness.client.send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }));
      const value = await harness.client.send(new GetSecretValueCommand({ SecretId: name }));

      // Assess
      expect(value.SecretBinary).toEqual(bytes);
      expect(value.SecretString).toBeUndefined();
    });

    it('creates a secret without a value and no version', async () => {
      // Prepare
      const name = uniqueName('empty');

      // Act
      const created = await harness.client.send(new CreateSecretCommand({ Name: name }));
      const described = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));

      // Assess
      expect(created.VersionId).toBeUndefined();
      expect(described.VersionIdsToStages).toBeUndefined();
      await expectAwsError(
        harness.client.send(new GetSecretValueCommand({ SecretId: name })),
        'ResourceNotFoundException',
        messages.stageNotFound('AWSCURRENT'),
      );
    });

    it('refuses a name with characters outside [A-Za-z0-9/_+=.@-]', async () => {
      // Act
      const call = guard(
        harness.client.send(new CreateSecretCommand({ Name: 'has space', SecretString: 'v' })),
      );

      // Assess
      await expectAwsError(call, 'InvalidParameterException', messages.INVALID_NAME);
    });

    it('refuses a name longer than 512 characters', async () => {
      // Act
      const call = guard(
        harness.client.send(new CreateSecretCommand({ Name: 'n'.repeat(513), SecretString: 'v' })),
      );

      // Assess
      const error = await expectAwsError(call, 'ValidationException');
      expect(error.message).toContain("'name'");
    });

    it('refuses a taken name with ResourceExistsException', async () => {
      // Prepare
      const name = uniqueName('taken');
      await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));

      // Act
      const call = guard(harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'w' })));

      // Assess
      await expectAwsError(call, 'ResourceExistsException', messages.nameTaken(name));
    });

    it('refuses a name scheduled for deletion with InvalidRequestException', async () => {
      // Prepare
      const name = uniqueName('doomed');
      await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));
      await harness.client.send(new DeleteSecretCommand({ SecretId: name }));

      // Act
      const call = guard(harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' })));

      // Assess
      await expectAwsError(call, 'InvalidRequestException', messages.NAME_SCHEDULED_FOR_DELETION);
    });

    it('treats a retry with the same token and value as success without change', async () => {
      // Prepare
      const name = uniqueName('idem');
      const token = randomUUID();
      const first = await harness.client.send(
        new CreateSecretCommand({ Name: name, SecretString: 'v', ClientRequestToken: token }),
      );

      // Act
      const retry = await harness.client.send(
        new CreateSecretCommand({ Name: name, SecretString: 'v', ClientRequestToken: token }),
      );

      // Assess
      expect(retry).toMatchObject({ ARN: first.ARN, Name: name, VersionId: token });
    });

    it('refuses the same token with a different value', async () => {
      // Prepare
      const name = uniqueName('idem');
      const token = randomUUID();
      const first = await harness.client.send(
        new CreateSecretCommand({ Name: name, SecretString: 'v', ClientRequestToken: token }),
      );

      // Act
      const call = guard(
        harness.client.send(
          new CreateSecretCommand({ Name: name, SecretString: 'other', ClientRequestToken: token }),
        ),
      );

      // Assess
      await expectAwsError(call, 'ResourceExistsException', messages.tokenInUse(token, first.ARN!));
    });

    it('refuses a value over 65,536 characters with InvalidParameterException, without quoting it', async () => {
      // Act
      const call = guard(
        harness.client.send(
          new CreateSecretCommand({ Name: uniqueName('big'), SecretString: 'S3CRET'.repeat(11_000) }),
        ),
      );

      // Assess
      const error = await expectAwsError(call, 'InvalidParameterException');
      expect(error.message).toContain('SecretString');
      expect(error.message).not.toContain('S3CRET');
    });

    it('accepts a value of exactly 65,536 bytes', async () => {
      // Act
      const created = await harness.client.send(
        new CreateSecretCommand({ Name: uniqueName('max'), SecretBinary: new Uint8Array(65_536).fill(7) }),
      );

      // Assess
      expect(created.VersionId).toBeDefined();
    });

    it('refuses SecretString and SecretBinary together', async () => {
      // Act
      const call = guard(
        harness.client.send(
          new CreateSecretCommand({
            Name: uniqueName('both'),
            SecretString: 'a',
            SecretBinary: new Uint8Array([1]),
          }),
        ),
      );

      // Assess
      await expectAwsError(call, 'InvalidParameterException', messages.BOTH_VALUES_GIVEN);
    });
  });

  describe('Operation: DescribeSecret', () => {
    it('returns the metadata, the partner Type and the tags, omitting absent members', async () => {
      // Prepare
      const name = uniqueName('desc');
      await harness.client.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: 'v',
          Description: 'Salesforce client secret',
          KmsKeyId: 'alias/rotor',
          Type: 'SalesforceClientSecret',
          Tags: [{ Key: 'team', Value: 'identity' }],
        }),
      );

      // Act
      const described = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));

      // Assess
      expect(described).toMatchObject({
        Name: name,
        Description: 'Salesforce client secret',
        KmsKeyId: 'alias/rotor',
        Type: 'SalesforceClientSecret',
        Tags: [{ Key: 'team', Value: 'identity' }],
        PrimaryRegion: 'us-east-1',
        CreatedDate: START,
        LastChangedDate: START,
      });
      for (const absent of [
        'RotationEnabled',
        'RotationLambdaARN',
        'LastRotatedDate',
        'LastAccessedDate',
        'DeletedDate',
      ]) {
        expect(described).not.toHaveProperty(absent);
      }
    });

    it('answers ResourceNotFoundException for a missing secret', async () => {
      // Act
      const call = guard(harness.client.send(new DescribeSecretCommand({ SecretId: uniqueName('missing') })));

      // Assess
      await expectAwsError(call, 'ResourceNotFoundException', messages.SECRET_NOT_FOUND);
    });
  });

  describe('Operation: GetSecretValue', () => {
    let name: string;
    let arn: string;
    let firstId: string;
    let secondId: string;

    beforeAll(async () => {
      name = uniqueName('get');
      const created = await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'one' }));
      arn = created.ARN!;
      firstId = created.VersionId!;
      const put = await harness.client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: 'two' }),
      );
      secondId = put.VersionId!;
    });

    it('returns AWSCURRENT by name, by full ARN and by partial ARN', async () => {
      // Act
      const results = await Promise.all(
        [name, arn, arn.slice(0, -7)].map((SecretId) =>
          harness.client.send(new GetSecretValueCommand({ SecretId })),
        ),
      );

      // Assess
      for (const result of results) {
        expect(result).toMatchObject({ ARN: arn, Name: name, VersionId: secondId, SecretString: 'two' });
        expect(result.VersionStages).toEqual(['AWSCURRENT']);
        expect(result.CreatedDate).toEqual(START);
      }
    });

    it('returns a version by VersionId or by VersionStage', async () => {
      // Act
      const byId = await harness.client.send(
        new GetSecretValueCommand({ SecretId: name, VersionId: firstId }),
      );
      const byStage = await harness.client.send(
        new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }),
      );
      const both = await harness.client.send(
        new GetSecretValueCommand({ SecretId: name, VersionId: firstId, VersionStage: 'AWSPREVIOUS' }),
      );

      // Assess
      expect(byId.SecretString).toBe('one');
      expect(byStage.VersionId).toBe(firstId);
      expect(both.SecretString).toBe('one');
    });

    it('refuses a VersionId and a VersionStage that name different versions', async () => {
      // Act
      const call = guard(
        harness.client.send(
          new GetSecretValueCommand({ SecretId: name, VersionId: firstId, VersionStage: 'AWSCURRENT' }),
        ),
      );

      // Assess
      await expectAwsError(call, 'ResourceNotFoundException', messages.stageNotFound('AWSCURRENT'));
    });

    it('answers ResourceNotFoundException for a missing label, version or secret', async () => {
      // Prepare
      const missingVersion = randomUUID();

      // Act
      const calls = [
        harness.client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'NOPE' })),
        harness.client.send(new GetSecretValueCommand({ SecretId: name, VersionId: missingVersion })),
        harness.client.send(new GetSecretValueCommand({ SecretId: `${arn}x` })),
      ].map(guard);

      // Assess
      await expectAwsError(calls[0]!, 'ResourceNotFoundException', messages.stageNotFound('NOPE'));
      await expectAwsError(calls[1]!, 'ResourceNotFoundException', messages.versionNotFound(missingVersion));
      await expectAwsError(calls[2]!, 'ResourceNotFoundException', messages.SECRET_NOT_FOUND);
    });

    it('records LastAccessedDate at date resolution on the secret', async () => {
      // Prepare
      const accessed = uniqueName('accessed');
      await harness.client.send(new CreateSecretCommand({ Name: accessed, SecretString: 'v' }));

      // Act
      await harness.client.send(new GetSecretValueCommand({ SecretId: accessed }));
      const described = await harness.client.send(new DescribeSecretCommand({ SecretId: accessed }));

      // Assess
      expect(described.LastAccessedDate).toEqual(new Date('2026-03-01T00:00:00.000Z'));
    });
  });

  describe('Operation: UpdateSecret', () => {
    it('changes metadata without creating a version', async () => {
      // Prepare
      const name = uniqueName('upd');
      const created = await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));

      // Act
      const updated = await harness.client.send(
        new UpdateSecretCommand({
          SecretId: name,
          Description: 'new',
          KmsKeyId: 'alias/other',
          Type: 'SnowflakeKeyPair',
        }),
      );
      const described = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));

      // Assess
      expect(updated.VersionId).toBeUndefined();
      expect(described).toMatchObject({
        Description: 'new',
        KmsKeyId: 'alias/other',
        Type: 'SnowflakeKeyPair',
      });
      expect(described.VersionIdsToStages).toEqual({ [created.VersionId!]: ['AWSCURRENT'] });
    });

    it('creates a new AWSCURRENT version from a value and moves AWSPREVIOUS', async () => {
      // Prepare
      const name = uniqueName('upd');
      const created = await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));
      const token = randomUUID();

      // Act
      const updated = await harness.client.send(
        new UpdateSecretCommand({ SecretId: name, SecretString: 'v2', ClientRequestToken: token }),
      );
      const described = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));

      // Assess
      expect(updated.VersionId).toBe(token);
      expect(described.VersionIdsToStages).toEqual({
        [created.VersionId!]: ['AWSPREVIOUS'],
        [token]: ['AWSCURRENT'],
      });
    });

    it('refuses a token that already names a version', async () => {
      // Prepare
      const name = uniqueName('upd');
      const created = await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));

      // Act
      const call = guard(
        harness.client.send(
          new UpdateSecretCommand({
            SecretId: name,
            SecretString: 'v1',
            ClientRequestToken: created.VersionId,
          }),
        ),
      );

      // Assess
      await expectAwsError(
        call,
        'ResourceExistsException',
        messages.tokenInUse(created.VersionId!, created.ARN!),
      );
    });

    it('refuses to change an existing Type', async () => {
      // Prepare
      const name = uniqueName('typed');
      await harness.client.send(
        new CreateSecretCommand({ Name: name, SecretString: 'v', Type: 'BigIDClientSecret' }),
      );

      // Act
      const call = guard(
        harness.client.send(new UpdateSecretCommand({ SecretId: name, Type: 'SalesforceClientSecret' })),
      );

      // Assess
      await expectAwsError(call, 'InvalidRequestException');
    });
  });

  describe('Operation: TagResource / UntagResource', () => {
    it('adds, replaces and removes tags', async () => {
      // Prepare
      const name = uniqueName('tags');
      await harness.client.send(
        new CreateSecretCommand({ Name: name, SecretString: 'v', Tags: [{ Key: 'a', Value: '1' }] }),
      );
      harness.clock.advance(HOUR_MS);

      // Act
      await harness.client.send(
        new TagResourceCommand({
          SecretId: name,
          Tags: [
            { Key: 'a', Value: '2' },
            { Key: 'b', Value: '3' },
          ],
        }),
      );
      const tagged = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));
      await harness.client.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['a'] }));
      const untagged = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));

      // Assess
      expect(tagged.Tags).toEqual([
        { Key: 'a', Value: '2' },
        { Key: 'b', Value: '3' },
      ]);
      expect(tagged.LastChangedDate!.getTime()).toBeGreaterThan(tagged.CreatedDate!.getTime());
      expect(untagged.Tags).toEqual([{ Key: 'b', Value: '3' }]);
    });

    it('refuses more than 50 tags and reserved aws: keys', async () => {
      // Prepare
      const name = uniqueName('tags');
      await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));
      const many = Array.from({ length: 30 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      await harness.client.send(new TagResourceCommand({ SecretId: name, Tags: many }));

      // Act
      const tooMany = guard(
        harness.client.send(
          new TagResourceCommand({
            SecretId: name,
            Tags: many.map((tag) => ({ ...tag, Key: `x${tag.Key}` })),
          }),
        ),
      );
      const reserved = guard(
        harness.client.send(
          new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'aws:owner', Value: 'me' }] }),
        ),
      );

      // Assess
      await expectAwsError(tooMany, 'InvalidParameterException');
      await expectAwsError(reserved, 'InvalidParameterException');
    });
  });

  it('keeps LastAccessedDate on the day even a day later', async () => {
    // Prepare
    const name = uniqueName('day');
    await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));
    harness.clock.advance(DAY_MS);

    // Act
    await harness.client.send(new GetSecretValueCommand({ SecretId: name }));
    const described = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));

    // Assess
    const day = described.LastAccessedDate!;
    expect(day.getUTCHours() + day.getUTCMinutes() + day.getUTCSeconds() + day.getUTCMilliseconds()).toBe(0);
  });
});
