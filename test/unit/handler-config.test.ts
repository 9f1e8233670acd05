import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { externalIdReader, handlerConfigFrom } from '../../src/handlers/config.ts';

const secretsManager = mockClient(SecretsManagerClient);
const ssm = mockClient(SSMClient);

beforeEach(() => {
  secretsManager.reset();
  ssm.reset();
});

describe('Function: handlerConfigFrom', () => {
  it('reads the deployed configuration: names only, no ExternalId value', () => {
    // Act
    const config = handlerConfigFrom({
      ROTOR_CUSTOMER_ROLE_NAME: 'RotorRotation',
      ROTOR_EXTERNAL_ID_SECRET: 'rotor/external-id',
      ROTOR_GRACE_PERIOD_SECONDS: '600',
      ROTOR_EVENT_BUS_NAME: 'rotor-events',
      ROTOR_SCHEDULE_GROUP: 'rotor-revocations',
      ROTOR_REVOCATION_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:999988887777:function:rotor-revocation',
      ROTOR_SCHEDULER_ROLE_ARN: 'arn:aws:iam::999988887777:role/rotor-scheduler',
    });

    // Assess
    expect(config).toEqual({
      customerRoleName: 'RotorRotation',
      externalId: { from: 'secret', name: 'rotor/external-id' },
      defaultGracePeriodSeconds: 600,
      simulatorMode: false,
      simulatorUrls: undefined,
      eventBusName: 'rotor-events',
      scheduler: {
        groupName: 'rotor-revocations',
        targetArn: 'arn:aws:lambda:eu-west-1:999988887777:function:rotor-revocation',
        roleArn: 'arn:aws:iam::999988887777:role/rotor-scheduler',
      },
    });
  });

  it.each([
    [
      { ROTOR_EXTERNAL_ID: 'abc', ROTOR_EXTERNAL_ID_PARAMETER: '/rotor/external-id' },
      'ROTOR_EXTERNAL_ID_SECRET',
    ],
    [{ ROTOR_SCHEDULE_GROUP: 'rotor-revocations' }, 'ROTOR_REVOCATION_FUNCTION_ARN'],
    [{ ROTOR_GRACE_PERIOD_SECONDS: 'an hour' }, 'ROTOR_GRACE_PERIOD_SECONDS'],
    [{ ROTOR_SIMULATOR_URLS: '[1]' }, 'ROTOR_SIMULATOR_URLS'],
    [{ ROTOR_SM_WRITES_PER_SECOND: '0' }, 'ROTOR_SM_WRITES_PER_SECOND'],
    [{ ROTOR_SM_WRITES_PER_SECOND: 'fifty' }, 'ROTOR_SM_WRITES_PER_SECOND'],
  ])('refuses %j, naming %s', (env, field) => {
    // Act
    const act = () => handlerConfigFrom(env);

    // Assess
    expect(act).toThrow(expect.objectContaining({ category: 'invalid-configuration', field }));
  });

  it('reads the write budget of Secrets Manager writes from ROTOR_SM_WRITES_PER_SECOND', () => {
    // Act
    const paced = handlerConfigFrom({ ROTOR_SM_WRITES_PER_SECOND: '12.5' });
    const unpaced = handlerConfigFrom({});

    // Assess
    expect(paced.writeBudget).toEqual({ writesPerSecond: 12.5 });
    expect(unpaced.writeBudget).toBeUndefined();
  });
});

describe('Function: externalIdReader', () => {
  it('reads the ExternalId from Secrets Manager once and caches it', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'ext-7f3a9c' });
    const read = externalIdReader(
      handlerConfigFrom({ ROTOR_EXTERNAL_ID_SECRET: 'rotor/external-id' }),
      new SecretsManagerClient({}),
    ) as () => Promise<string>;

    // Act
    const values = [await read(), await read()];

    // Assess
    expect(values).toEqual(['ext-7f3a9c', 'ext-7f3a9c']);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: 'rotor/external-id',
    });
  });

  it('reads a SecureString parameter with decryption', async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'ext-from-ssm' } });
    const read = externalIdReader(
      handlerConfigFrom({ ROTOR_EXTERNAL_ID_PARAMETER: '/rotor/external-id' }),
      new SecretsManagerClient({}),
      new SSMClient({}),
    ) as () => Promise<string>;

    // Act
    const value = await read();

    // Assess
    expect(value).toBe('ext-from-ssm');
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, {
      Name: '/rotor/external-id',
      WithDecryption: true,
    });
  });

  it('fails closed, naming the variable, when the secret cannot be read', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const read = externalIdReader(
      handlerConfigFrom({ ROTOR_EXTERNAL_ID_SECRET: 'rotor/external-id' }),
      new SecretsManagerClient({}),
    ) as () => Promise<string>;

    // Act
    const error = await read().catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toMatchObject({ category: 'invalid-configuration', field: 'ROTOR_EXTERNAL_ID_SECRET' });
  });

  it('keeps ROTOR_EXTERNAL_ID as a plain value for local use', () => {
    // Act
    const value = externalIdReader(
      handlerConfigFrom({ ROTOR_EXTERNAL_ID: 'local-id' }),
      new SecretsManagerClient({}),
    );

    // Assess
    expect(value).toBe('local-id');
  });
});
