/**
 * BatchGetSecretValue through the real SDK against the local stack: by ids and by filters, the
 * 20-secret limit, pagination, and errors per secret (missing, denied by the caller's role).
 */
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultIdentityConfig } from '../../src/local/identity/index.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const READER_KEY = { accessKeyId: 'AKIABATCHREADER00001', secretAccessKey: 'batch-reader-secret-key-01' };

/** The default identities plus a demo-account user who may read only `batch/*` secrets. */
function identityWithReader() {
  const config = defaultIdentityConfig(['SalesforceClientSecret']);
  config.accounts[0]!.users.push({
    userName: 'batch-reader',
    accessKeys: [READER_KEY],
    policies: [
      {
        Statement: [
          { Effect: 'Allow', Action: 'secretsmanager:BatchGetSecretValue', Resource: '*' },
          {
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: 'arn:aws:secretsmanager:*:*:secret:batch/*',
          },
        ],
      },
    ],
  });
  return config;
}

let t: TestStack;
let sm: SecretsManagerClient;

beforeAll(async () => {
  t = await startTestStack({ demoSecrets: false, identity: identityWithReader() });
  sm = t.sm();
  for (let i = 1; i <= 23; i++) {
    await sm.send(
      new CreateSecretCommand({ Name: `batch/s${String(i).padStart(2, '0')}`, SecretString: `value-${i}` }),
    );
  }
  await sm.send(
    new CreateSecretCommand({
      Name: 'typed/sf',
      SecretString: '{"k":"typed"}',
      Type: 'SalesforceClientSecret',
    }),
  );
});
afterAll(async () => {
  await t.close();
});

async function errorOf(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught as { name: string; message: string },
  );
  expect(error, 'the call should have failed').toBeDefined();
  return error!;
}

describe('Operation: BatchGetSecretValue', () => {
  it('returns the values of the listed secrets and an error entry for each missing one', async () => {
    // Act
    const output = await sm.send(
      new BatchGetSecretValueCommand({ SecretIdList: ['batch/s01', 'batch/s02', 'no/such/secret'] }),
    );

    // Assess
    expect(output.SecretValues?.map((v) => [v.Name, v.SecretString, v.VersionStages])).toEqual([
      ['batch/s01', 'value-1', ['AWSCURRENT']],
      ['batch/s02', 'value-2', ['AWSCURRENT']],
    ]);
    expect(output.Errors).toEqual([
      {
        SecretId: 'no/such/secret',
        ErrorCode: 'ResourceNotFoundException',
        Message: "Secrets Manager can't find the specified secret.",
      },
    ]);
  });

  it('pages through the secrets that match Filters, at most MaxResults at a time', async () => {
    // Act
    const first = await sm.send(
      new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['batch/'] }], MaxResults: 20 }),
    );
    const second = await sm.send(
      new BatchGetSecretValueCommand({
        Filters: [{ Key: 'name', Values: ['batch/'] }],
        MaxResults: 20,
        NextToken: first.NextToken,
      }),
    );

    // Assess
    expect(first.SecretValues).toHaveLength(20);
    expect(second.SecretValues?.map((v) => v.Name)).toEqual(['batch/s21', 'batch/s22', 'batch/s23']);
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses more than 20 ids, and both or neither of SecretIdList and Filters', async () => {
    // Act
    const tooMany = await errorOf(
      sm.send(
        new BatchGetSecretValueCommand({ SecretIdList: Array.from({ length: 21 }, (_, i) => `batch/x${i}`) }),
      ),
    );
    const both = await errorOf(
      sm.send(
        new BatchGetSecretValueCommand({
          SecretIdList: ['batch/s01'],
          Filters: [{ Key: 'name', Values: ['batch'] }],
        }),
      ),
    );
    const neither = await errorOf(sm.send(new BatchGetSecretValueCommand({})));

    // Assess
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toContain('Member must have length less than or equal to 20');
    expect(both).toMatchObject({
      name: 'InvalidParameterException',
      message: 'You must specify either SecretIdList or Filters, but not both.',
    });
    expect(neither.name).toBe('InvalidParameterException');
  });

  it('reports a secret the caller may not read as an AccessDeniedException entry', async () => {
    // Act
    const output = await t
      .sm(READER_KEY)
      .send(new BatchGetSecretValueCommand({ SecretIdList: ['batch/s03', 'typed/sf'] }));

    // Assess
    expect(output.SecretValues?.map((v) => v.Name)).toEqual(['batch/s03']);
    expect(output.Errors).toHaveLength(1);
    expect(output.Errors?.[0]).toMatchObject({ SecretId: 'typed/sf', ErrorCode: 'AccessDeniedException' });
    expect(output.Errors?.[0]?.Message).toContain(
      'user/batch-reader is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:000000000000:secret:typed/sf-',
    );
  });

  it('refuses the whole batch to a caller without secretsmanager:BatchGetSecretValue', async () => {
    // Prepare: the rotation role reads partner-typed secrets one by one only
    const role = await t.assumeRotationRole();

    // Act
    const denied = await errorOf(
      t.sm(role).send(new BatchGetSecretValueCommand({ SecretIdList: ['typed/sf'] })),
    );

    // Assess
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('secretsmanager:BatchGetSecretValue on resource: *');
  });
});
