/** The local Secrets Manager's optional write quota (AWS: 50 writes/s per account and Region). */
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import {
  SecretsManagerService,
  startSecretsManagerServer,
  ThrottlingError,
  WriteQuota,
} from '../../src/local/secrets-manager/index.ts';
import { LOCAL_CREDENTIALS } from '../../src/local/stack.ts';

const START = new Date('2026-05-10T12:00:00.000Z');

function setUp(writesPerSecond?: number) {
  let now = START;
  const service = new SecretsManagerService({
    now: () => now,
    ...(writesPerSecond === undefined ? {} : { writeQuota: { writesPerSecond } }),
  });
  const call = (operation: string, input: unknown, accountId = '000000000000') =>
    service.handle(operation, input, { region: 'us-east-1', accountId });
  return {
    service,
    call,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

async function putUntilThrottled(call: (op: string, input: unknown) => Promise<unknown>, limit: number) {
  let accepted = 0;
  for (let i = 0; i < limit; i++) {
    try {
      await call('PutSecretValue', { SecretId: 'db', SecretString: `v${i}` });
      accepted += 1;
    } catch (error) {
      return { accepted, error };
    }
  }
  return { accepted, error: undefined };
}

describe('Class: SecretsManagerService (writeQuota)', () => {
  it('answers ThrottlingException once an account spends its writes for the second, and changes nothing', async () => {
    // Prepare
    const { call } = setUp(5);
    await call('CreateSecret', { Name: 'db', SecretString: 'v' });
    const before = (await call('ListSecretVersionIds', { SecretId: 'db', IncludeDeprecated: true })) as {
      Versions: unknown[];
    };

    // Act
    const { accepted, error } = await putUntilThrottled(call, 20);

    // Assess
    expect(accepted).toBe(5);
    expect(error).toBeInstanceOf(ThrottlingError);
    expect((error as ThrottlingError).type).toBe('ThrottlingException');
    const after = (await call('ListSecretVersionIds', { SecretId: 'db', IncludeDeprecated: true })) as {
      Versions: unknown[];
    };
    expect(after.Versions).toHaveLength(before.Versions.length + 5);
  });

  it('counts PutSecretValue, UpdateSecret and UpdateSecretVersionStage together, not reads or CreateSecret', async () => {
    // Prepare
    const { call } = setUp(3);
    await call('CreateSecret', { Name: 'db', SecretString: 'v' });
    for (let i = 0; i < 10; i++) await call('GetSecretValue', { SecretId: 'db' });

    // Act
    const put = (await call('PutSecretValue', { SecretId: 'db', SecretString: 'a' })) as {
      VersionId: string;
    };
    await call('UpdateSecret', { SecretId: 'db', Description: 'd' });
    await call('UpdateSecretVersionStage', {
      SecretId: 'db',
      VersionStage: 'blue',
      MoveToVersionId: put.VersionId,
    });
    const fourth = call('UpdateSecret', { SecretId: 'db', Description: 'e' });

    // Assess
    await expect(fourth).rejects.toBeInstanceOf(ThrottlingError);
  });

  it('refills at the configured rate, and each account has its own bucket', async () => {
    // Prepare
    const { call, advance } = setUp(2);
    await call('CreateSecret', { Name: 'db', SecretString: 'v' });
    await call('CreateSecret', { Name: 'db', SecretString: 'v' }, '111111111111');
    await putUntilThrottled(call, 10);

    // Act
    const otherAccount = call('PutSecretValue', { SecretId: 'db', SecretString: 'x' }, '111111111111');
    advance(500);
    const afterHalfSecond = await putUntilThrottled(call, 10);

    // Assess
    await expect(otherAccount).resolves.toBeDefined();
    expect(afterHalfSecond.accepted).toBe(1);
  });

  it('is off by default', async () => {
    // Prepare
    const { call } = setUp();
    await call('CreateSecret', { Name: 'db', SecretString: 'v' });

    // Act
    const { accepted } = await putUntilThrottled(call, 80);

    // Assess
    expect(accepted).toBe(80);
  });

  it('reaches the SDK as a ThrottlingException over HTTP', async () => {
    // Prepare
    const service = new SecretsManagerService({ writeQuota: { writesPerSecond: 1 } });
    const server = await startSecretsManagerServer({ service, port: 0 });
    const sm = new SecretsManagerClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      await service.handle('CreateSecret', { Name: 'db', SecretString: 'v' }, { region: 'us-east-1' });
      await sm.send(new PutSecretValueCommand({ SecretId: 'db', SecretString: 'a' }));

      // Act
      const second = sm.send(new PutSecretValueCommand({ SecretId: 'db', SecretString: 'b' }));

      // Assess
      await expect(second).rejects.toMatchObject({ name: 'ThrottlingException' });
    } finally {
      sm.destroy();
      await server.close();
    }
  });
});

describe('Class: WriteQuota', () => {
  it('refuses a rate that is not a positive number, naming the field', () => {
    // Act / Assess
    expect(() => new WriteQuota({ writesPerSecond: 0 })).toThrow(/writeQuota\.writesPerSecond/);
    expect(() => new WriteQuota({ writesPerSecond: 50, burst: 0 })).toThrow(/writeQuota\.burst/);
  });
});
