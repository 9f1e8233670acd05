/** DeleteSecret, RestoreSecret, ListSecrets and GetRandomPassword. */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  type ListSecretsCommandInput,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/local/secrets-manager/index.ts';
import {
  DAY_MS,
  expectAwsError,
  guard,
  type Harness,
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

  async function create(name = uniqueName('life')) {
    const created = await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));
    return { name, arn: created.ARN!, versionId: created.VersionId! };
  }

  async function listNames(input: ListSecretsCommandInput) {
    const result = await harness.client.send(new ListSecretsCommand(input));
    return result.SecretList?.map((entry) => entry.Name);
  }

  describe('Operation: DeleteSecret', () => {
    it('schedules deletion 30 days out by default and hides the secret from ListSecrets', async () => {
      // Prepare
      const { name, arn } = await create();

      // Act
      const deleted = await harness.client.send(new DeleteSecretCommand({ SecretId: name }));
      const described = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));
      const hidden = await listNames({ Filters: [{ Key: 'name', Values: [name] }] });
      const shown = await listNames({
        Filters: [{ Key: 'name', Values: [name] }],
        IncludePlannedDeletion: true,
      });

      // Assess
      const expected = new Date(harness.clock.now.getTime() + 30 * DAY_MS);
      expect(deleted).toMatchObject({ ARN: arn, Name: name, DeletionDate: expected });
      expect(described.DeletedDate).toEqual(expected);
      expect(hidden).toEqual([]);
      expect(shown).toEqual([name]);
    });

    it('refuses every operation but Describe and Restore on a secret marked for deletion', async () => {
      // Prepare
      const { name, versionId } = await create();
      await harness.client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));

      // Act
      const calls = [
        harness.client.send(new GetSecretValueCommand({ SecretId: name })),
        harness.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'w' })),
        harness.client.send(new UpdateSecretCommand({ SecretId: name, Description: 'd' })),
        harness.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'X',
            MoveToVersionId: versionId,
          }),
        ),
        harness.client.send(new ListSecretVersionIdsCommand({ SecretId: name })),
        harness.client.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'k', Value: 'v' }] })),
        harness.client.send(
          new RotateSecretCommand({ SecretId: name, RotationLambdaARN: 'arn:aws:lambda:x' }),
        ),
        harness.client.send(new DeleteSecretCommand({ SecretId: name })),
      ].map(guard);

      // Assess
      for (const call of calls)
        await expectAwsError(call, 'InvalidRequestException', messages.MARKED_FOR_DELETION);
      await expect(harness.client.send(new DescribeSecretCommand({ SecretId: name }))).resolves.toBeDefined();
    });

    it('refuses RecoveryWindowInDays outside 7–30 and together with ForceDeleteWithoutRecovery', async () => {
      // Prepare
      const { name } = await create();

      // Act
      const tooShort = guard(
        harness.client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 6 })),
      );
      const tooLong = guard(
        harness.client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 31 })),
      );
      const both = guard(
        harness.client.send(
          new DeleteSecretCommand({
            SecretId: name,
            RecoveryWindowInDays: 7,
            ForceDeleteWithoutRecovery: true,
          }),
        ),
      );

      // Assess
      await expectAwsError(tooShort, 'InvalidParameterException', messages.RECOVERY_WINDOW_RANGE);
      await expectAwsError(tooLong, 'InvalidParameterException', messages.RECOVERY_WINDOW_RANGE);
      await expectAwsError(both, 'InvalidParameterException', messages.FORCE_DELETE_WITH_WINDOW);
    });

    it('deletes at once with ForceDeleteWithoutRecovery and frees the name', async () => {
      // Prepare
      const { name, arn } = await create();

      // Act
      const deleted = await harness.client.send(
        new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }),
      );
      const gone = guard(harness.client.send(new DescribeSecretCommand({ SecretId: name })));
      const recreated = await create(name);

      // Assess
      expect(deleted.DeletionDate).toEqual(harness.clock.now);
      await expectAwsError(gone, 'ResourceNotFoundException', messages.SECRET_NOT_FOUND);
      expect(recreated.arn).not.toBe(arn);
    });

    it('removes the secret for good once the recovery window has passed', async () => {
      // Prepare
      const { name } = await create();
      await harness.client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));

      // Act
      harness.clock.advance(7 * DAY_MS);
      const gone = guard(harness.client.send(new DescribeSecretCommand({ SecretId: name })));
      const restore = guard(harness.client.send(new RestoreSecretCommand({ SecretId: name })));

      // Assess
      await expectAwsError(gone, 'ResourceNotFoundException', messages.SECRET_NOT_FOUND);
      await expectAwsError(restore, 'ResourceNotFoundException', messages.SECRET_NOT_FOUND);
    });
  });

  describe('Operation: RestoreSecret', () => {
    it('cancels the scheduled deletion', async () => {
      // Prepare
      const { name, arn } = await create();
      await harness.client.send(new DeleteSecretCommand({ SecretId: name }));

      // Act
      const restored = await harness.client.send(new RestoreSecretCommand({ SecretId: name }));
      const described = await harness.client.send(new DescribeSecretCommand({ SecretId: name }));
      const value = await harness.client.send(new GetSecretValueCommand({ SecretId: name }));

      // Assess
      expect(restored).toMatchObject({ ARN: arn, Name: name });
      expect(described.DeletedDate).toBeUndefined();
      expect(value.SecretString).toBe('v');
    });

    it('answers ResourceNotFoundException for a missing secret', async () => {
      // Act
      const call = guard(harness.client.send(new RestoreSecretCommand({ SecretId: uniqueName('none') })));

      // Assess
      await expectAwsError(call, 'ResourceNotFoundException', messages.SECRET_NOT_FOUND);
    });
  });

  describe('Operation: ListSecrets', () => {
    const prefix = uniqueName('list');
    const names = [`${prefix}/alpha`, `${prefix}/beta`, `${prefix}/gamma`];

    beforeAll(async () => {
      for (const [index, name] of names.entries()) {
        await harness.client.send(
          new CreateSecretCommand({
            Name: name,
            SecretString: 'v',
            Description: index === 1 ? 'Payment Gateway key' : undefined,
            Tags: [{ Key: `team-${index}`, Value: index === 2 ? 'platform' : 'apps' }],
          }),
        );
        harness.clock.advance(1_000);
      }
    });

    it('filters by name, description, tag-key, tag-value, primary-region and all', async () => {
      // Act
      const results = await Promise.all([
        listNames({ Filters: [{ Key: 'name', Values: [`${prefix}/al`] }] }),
        listNames({
          Filters: [
            { Key: 'name', Values: [prefix] },
            { Key: 'description', Values: ['payment'] },
          ],
        }),
        listNames({
          Filters: [
            { Key: 'name', Values: [prefix] },
            { Key: 'tag-key', Values: ['team-2'] },
          ],
        }),
        listNames({
          Filters: [
            { Key: 'name', Values: [prefix] },
            { Key: 'tag-value', Values: ['plat'] },
          ],
        }),
        listNames({
          Filters: [
            { Key: 'name', Values: [prefix] },
            { Key: 'primary-region', Values: ['us-'] },
          ],
        }),
        listNames({
          Filters: [
            { Key: 'name', Values: [prefix] },
            { Key: 'all', Values: ['GATEWAY'] },
          ],
        }),
      ]);

      // Assess
      expect(results).toEqual([[names[0]], [names[1]], [names[2]], [names[2]], names, [names[1]]]);
    });

    it('supports several values (any) and ! negation', async () => {
      // Act
      const either = await listNames({
        Filters: [{ Key: 'name', Values: [`${prefix}/alpha`, `${prefix}/gamma`] }],
      });
      const negated = await listNames({
        Filters: [
          { Key: 'name', Values: [prefix] },
          { Key: 'tag-value', Values: ['!apps'] },
        ],
      });

      // Assess
      expect(either).toEqual([names[0], names[2]]);
      expect(negated).toEqual([names[2]]);
    });

    it('sorts by CreatedDate ascending by default and descending on request', async () => {
      // Act
      const ascending = await listNames({ Filters: [{ Key: 'name', Values: [prefix] }] });
      const descending = await listNames({ Filters: [{ Key: 'name', Values: [prefix] }], SortOrder: 'desc' });
      const byName = await listNames({
        Filters: [{ Key: 'name', Values: [prefix] }],
        SortBy: 'name',
        SortOrder: 'desc',
      });

      // Assess
      expect(ascending).toEqual(names);
      expect(descending).toEqual([...names].reverse());
      expect(byName).toEqual([...names].reverse());
    });

    it('pages with MaxResults and NextToken', async () => {
      // Act
      const first = await harness.client.send(
        new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }], MaxResults: 2 }),
      );
      const second = await harness.client.send(
        new ListSecretsCommand({
          Filters: [{ Key: 'name', Values: [prefix] }],
          MaxResults: 2,
          NextToken: first.NextToken,
        }),
      );

      // Assess
      expect(first.SecretList?.map((entry) => entry.Name)).toEqual(names.slice(0, 2));
      expect(first.NextToken).toBeDefined();
      expect(second.SecretList?.map((entry) => entry.Name)).toEqual(names.slice(2));
      expect(second.NextToken).toBeUndefined();
    });

    it('includes SecretVersionsToStages and the dates in each entry', async () => {
      // Act
      const result = await harness.client.send(
        new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [names[0]!] }] }),
      );

      // Assess
      const entry = result.SecretList?.[0];
      expect(Object.values(entry?.SecretVersionsToStages ?? {})).toEqual([['AWSCURRENT']]);
      expect(entry?.CreatedDate?.getTime()).toBeGreaterThanOrEqual(START.getTime());
    });

    it('refuses a bad NextToken, MaxResults over 100 and an unknown filter key', async () => {
      // Act
      const badToken = guard(harness.client.send(new ListSecretsCommand({ NextToken: 'eyJ4IjoxfQ' })));
      const tooMany = guard(harness.client.send(new ListSecretsCommand({ MaxResults: 101 })));
      const badKey = guard(
        harness.client.send(
          new ListSecretsCommand({ Filters: [{ Key: 'colour' as never, Values: ['red'] }] }),
        ),
      );

      // Assess
      await expectAwsError(badToken, 'InvalidNextTokenException');
      await expectAwsError(tooMany, 'ValidationException');
      await expectAwsError(badKey, 'ValidationException');
    });
  });

  describe('Operation: GetRandomPassword', () => {
    it('returns 32 characters by default, one of each type, honouring exclusions', async () => {
      // Act
      const standard = await harness.client.send(new GetRandomPasswordCommand({}));
      const digitsOnly = await harness.client.send(
        new GetRandomPasswordCommand({
          PasswordLength: 12,
          ExcludeLowercase: true,
          ExcludeUppercase: true,
          ExcludePunctuation: true,
          ExcludeCharacters: '01',
        }),
      );

      // Assess
      expect(standard.RandomPassword).toHaveLength(32);
      for (const pattern of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/])
        expect(standard.RandomPassword).toMatch(pattern);
      expect(digitsOnly.RandomPassword).toMatch(/^[2-9]{12}$/);
    });

    it('refuses a request that leaves no characters', async () => {
      // Act
      const call = guard(
        harness.client.send(
          new GetRandomPasswordCommand({
            ExcludeLowercase: true,
            ExcludeUppercase: true,
            ExcludeNumbers: true,
            ExcludePunctuation: true,
          }),
        ),
      );

      // Assess
      await expectAwsError(call, 'InvalidParameterException');
    });
  });
});
