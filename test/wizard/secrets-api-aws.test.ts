/**
 * The console's AWS-facing paths that the local stack does not exercise: configuration stored as
 * tags (real AWS, where `Type` is reserved), rotation through the Rotor function, rotation off,
 * and the preflight's cross-account role check. SDK clients are mocked (unit tests of AWS-facing
 * code only).
 */
import {
  CreateSecretCommand,
  ListSecretsCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConsoleRequestError } from '../../src/console/errors.ts';
import { noProgress } from '../../src/console/rotation-progress.ts';
import { SecretsApi } from '../../src/console/secrets-api.ts';
import { runPreflight } from '../../src/engine/preflight.ts';
import { PartnerCatalog } from '../../src/runtime/catalog.ts';

const sm = mockClient(SecretsManagerClient);
const sts = mockClient(STSClient);
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:rotor-rotation';
const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/sf-AbCdEf';

const value = {
  consumerKey: '3MVG9key',
  consumerSecret: 'SecretValue123456',
  baseUri: 'https://acme.my.salesforce.com',
  appId: '0xABC123',
  consumerId: '0Hn000001',
};

function body(overrides: Record<string, unknown> = {}) {
  return {
    type: 'SalesforceClientSecret',
    name: 'prod/sf',
    value,
    metadata: { apiVersion: 'v65.0' },
    rotation: {
      automatic: true,
      rotateImmediately: true,
      schedule: { kind: 'cron', expression: 'cron(0 4 ? * SUN *)', window: '3h' },
      gracePeriodSeconds: 900,
    },
    ...overrides,
  };
}

function api(options: { configStyle: 'fields' | 'tags'; rotationLambdaArn?: string }) {
  return new SecretsApi({
    secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
    catalog: new PartnerCatalog(),
    rotations: noProgress,
    ...options,
  });
}

beforeEach(() => {
  sm.reset();
  sts.reset();
  sm.on(CreateSecretCommand).resolves({ ARN, Name: 'prod/sf' });
  sm.on(RotateSecretCommand).resolves({ ARN, Name: 'prod/sf', VersionId: 'v-1' });
});

describe('Class: SecretsApi', () => {
  it('stores the configuration as tags on AWS and rotates through the Rotor function', async () => {
    // Act
    const created = await api({ configStyle: 'tags', rotationLambdaArn: FUNCTION_ARN }).create(body());

    // Assess
    expect(created).toEqual({ arn: ARN, name: 'prod/sf', versionId: 'v-1' });
    const create = sm.commandCalls(CreateSecretCommand)[0]?.args[0].input;
    expect(create?.Type).toBeUndefined();
    expect(create?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'rotor:type', Value: 'SalesforceClientSecret' },
        { Key: 'rotor:meta:apiVersion', Value: 'v65.0' },
        { Key: 'rotor:grace-period', Value: '900' },
      ]),
    );
    expect(sm).toHaveReceivedCommandWith(RotateSecretCommand, {
      SecretId: ARN,
      RotationLambdaARN: FUNCTION_ARN,
      RotateImmediately: true,
      RotationRules: { ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '3h' },
    });
    expect(
      sm.commandCalls(RotateSecretCommand)[0]?.args[0].input.ExternalSecretRotationMetadata,
    ).toBeUndefined();
  });

  it('refuses automatic rotation on AWS without the rotation function, before creating anything', async () => {
    // Act
    const creating = api({ configStyle: 'tags' }).create(body());

    // Assess
    await expect(creating).rejects.toMatchObject({ status: 400, field: 'rotation.automatic' });
    expect(sm).not.toHaveReceivedCommand(CreateSecretCommand);
  });

  it('keeps the metadata in tags and calls no RotateSecret when automatic rotation is off', async () => {
    // Act
    await api({ configStyle: 'fields' }).create(
      body({
        rotation: { automatic: false, rotateImmediately: false, schedule: { kind: 'days', days: 30 } },
      }),
    );

    // Assess
    expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, {
      Type: 'SalesforceClientSecret',
      Tags: [{ Key: 'rotor:meta:apiVersion', Value: 'v65.0' }],
    });
    expect(sm).not.toHaveReceivedCommand(RotateSecretCommand);
  });

  it('says the secret exists but rotation is off when RotateSecret fails after CreateSecret', async () => {
    // Prepare
    sm.on(RotateSecretCommand).rejects(
      Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }),
    );

    // Act
    const creating = api({ configStyle: 'fields' }).create(body());

    // Assess
    await expect(creating).rejects.toThrow(ConsoleRequestError);
    await expect(creating).rejects.toThrow(/was created, but rotation could not be turned on.*Rotate now/);
  });

  it('lists secrets typed by field or by tag, filtered by partner', async () => {
    // Prepare
    sm.on(ListSecretsCommand).resolves({
      SecretList: [
        { Name: 'b', ARN: 'arn:b', Tags: [{ Key: 'rotor:type', Value: 'SalesforceClientSecret' }] },
        { Name: 'a', ARN: 'arn:a', Type: 'SalesforceClientSecret', RotationEnabled: true },
        { Name: 'c', ARN: 'arn:c' },
      ],
    });

    // Act
    const all = await api({ configStyle: 'tags' }).list();
    const salesforce = await api({ configStyle: 'tags' }).list({ type: 'SalesforceClientSecret' });

    // Assess
    expect(all.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(salesforce.map((s) => [s.name, s.type, s.rotationEnabled])).toEqual([
      ['a', 'SalesforceClientSecret', true],
      ['b', 'SalesforceClientSecret', false],
    ]);
  });
});

describe('Function: runPreflight (role)', () => {
  const options = () => ({
    catalog: new PartnerCatalog(),
    secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
    sts: new STSClient({ region: 'eu-west-1' }),
    externalId: 'ext-123',
    simulatorMode: false,
  });
  const request = (roleArn: string) => ({
    type: 'SalesforceClientSecret',
    // Schema-invalid on purpose: the role check runs anyway, and no partner call follows.
    value: {},
    metadata: { apiVersion: 'v65.0' },
    roleArn,
  });

  it('assumes a role in another account with the ExternalId, and reports a refusal with its category', async () => {
    // Prepare
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333' });
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('no trust'), { name: 'AccessDenied' }));

    // Act
    const report = await runPreflight(request('arn:aws:iam::444455556666:role/RotorRotation'), options());

    // Assess
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::444455556666:role/RotorRotation',
      ExternalId: 'ext-123',
    });
    const role = report.checks.find((c) => c.name === 'role');
    expect(role?.ok).toBe(false);
    expect(role?.detail).toContain('[permission-denied]');
  });

  it('does not assume a role of the same account (Secrets Manager does, at rotation time)', async () => {
    // Prepare
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333' });

    // Act
    const report = await runPreflight(request('arn:aws:iam::111122223333:role/RotorRotation'), options());

    // Assess
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(report.checks.find((c) => c.name === 'role')?.ok).toBe(true);
  });
});
