/** Client-side pacing of Secrets Manager's write quota (src/aws/write-budget.ts). */
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { HttpRequest, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { ENGINE_CLIENT_CONFIG } from '../../src/aws/roles.ts';
import {
  applyWriteBudget,
  budgetedClientFactory,
  WriteBudget,
  type WriteBudgetOptions,
  writeScopeOf,
} from '../../src/aws/write-budget.ts';
import { InvalidConfigurationError } from '../../src/engine/errors.ts';

const ARN_A = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf';
const ARN_B = 'arn:aws:secretsmanager:us-east-1:444455556666:secret:app-GhIjKl';

/** A budget on a virtual clock: waiting moves the clock on, so nothing sleeps. */
function budgetOnVirtualClock(options: Omit<WriteBudgetOptions, 'now' | 'wait'>) {
  const clock = { now: 1_000_000, waits: [] as number[] };
  const budget = new WriteBudget({
    ...options,
    now: () => clock.now,
    wait: async (ms) => {
      clock.waits.push(ms);
      clock.now += ms;
    },
  });
  return { budget, clock };
}

function reserveMany(budget: WriteBudget, scope: string, count: number): number[] {
  return Array.from({ length: count }, () => budget.reserve(scope));
}

function token(count: number): StandardRetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => 0, getRetryTokenCount: () => 0 } as never;
}

/** The SDK's standard retry, minus the back-off delay (so the test does not wait for it). */
const retryAtOnce: RetryStrategyV2 = {
  acquireInitialRetryToken: async () => token(0),
  refreshRetryTokenForRetry: async (previous, error) => {
    if (previous.getRetryCount() >= 2) throw error;
    return token(previous.getRetryCount() + 1);
  },
  recordSuccess: () => {},
};

/** A client whose requests never leave the process: `answer` decides each one's status. */
function clientAnswering(answer: (target: string, attempt: number) => number) {
  const sent: string[] = [];
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    retryStrategy: retryAtOnce,
    requestHandler: {
      handle: async (request: HttpRequest) => {
        const target = String(request.headers['x-amz-target']).replace('secretsmanager.', '');
        sent.push(target);
        const status = answer(target, sent.filter((t) => t === target).length);
        const body =
          status === 200 ? '{}' : JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });
        return {
          response: {
            statusCode: status,
            headers: {
              'content-type': 'application/x-amz-json-1.1',
              ...(status === 200 ? {} : { 'x-amzn-errortype': 'ThrottlingException' }),
            },
            body: new TextEncoder().encode(body),
          },
        };
      },
    },
  });
  return { client, sent };
}

describe('Class: WriteBudget', () => {
  it('admits the quota’s burst at once, then one write per interval', () => {
    // Prepare
    const { budget } = budgetOnVirtualClock({ writesPerSecond: 10, jitterMs: 0 });

    // Act
    const waits = reserveMany(budget, '111122223333/us-east-1', 12);

    // Assess
    expect(waits.slice(0, 10)).toEqual(new Array(10).fill(0));
    expect(waits.slice(10)).toEqual([100, 200]);
  });

  it('keeps jitterMs of the burst in hand, so writes that arrive early are not throttled', () => {
    // Prepare
    const { budget } = budgetOnVirtualClock({ writesPerSecond: 50, jitterMs: 50 });

    // Act
    const waits = reserveMany(budget, 'scope', 49);

    // Assess
    expect(budget.intervalMs).toBe(20);
    expect(budget.toleranceMs).toBe(930);
    expect(waits.filter((wait) => wait === 0)).toHaveLength(47);
    expect(waits.slice(47)).toEqual([10, 30]);
  });

  it('spaces writes jitterMs further apart when the quota admits one at a time', () => {
    // Prepare
    const { budget } = budgetOnVirtualClock({ writesPerSecond: 1, jitterMs: 50 });

    // Act
    const waits = reserveMany(budget, 'scope', 3);

    // Assess
    expect(waits).toEqual([0, 1050, 2100]);
  });

  it('paces a quota below one write per second, one write at a time', () => {
    // Prepare
    const { budget } = budgetOnVirtualClock({ writesPerSecond: 0.5, jitterMs: 0 });

    // Act
    const waits = reserveMany(budget, 'scope', 3);

    // Assess
    expect(waits).toEqual([0, 2000, 4000]);
  });

  it('paces each account and Region on its own', () => {
    // Prepare
    const { budget } = budgetOnVirtualClock({ writesPerSecond: 1, jitterMs: 0 });

    // Act
    const first = [budget.reserve('111122223333/us-east-1'), budget.reserve('111122223333/us-east-1')];
    const otherAccount = budget.reserve('444455556666/us-east-1');
    const otherRegion = budget.reserve('111122223333/eu-west-1');

    // Assess
    expect(first).toEqual([0, 1000]);
    expect(otherAccount).toBe(0);
    expect(otherRegion).toBe(0);
  });

  it('refills while no write is made', async () => {
    // Prepare
    const { budget, clock } = budgetOnVirtualClock({ writesPerSecond: 5, jitterMs: 0 });
    reserveMany(budget, 'scope', 5);

    // Act
    clock.now += 1000;
    const waits = reserveMany(budget, 'scope', 6);

    // Assess
    expect(waits).toEqual([0, 0, 0, 0, 0, 200]);
  });

  it('acquire waits for the slot it reserved, in call order', async () => {
    // Prepare
    const { budget, clock } = budgetOnVirtualClock({ writesPerSecond: 2, burst: 1, jitterMs: 0 });

    // Act
    for (let i = 0; i < 3; i++) await budget.acquire('scope');

    // Assess
    expect(clock.waits).toEqual([500, 500]);
  });

  it.each([
    [{ writesPerSecond: 0 }, 'writeBudget.writesPerSecond'],
    [{ writesPerSecond: Number.NaN }, 'writeBudget.writesPerSecond'],
    [{ writesPerSecond: 50, burst: 0.5 }, 'writeBudget.burst'],
    [{ writesPerSecond: 50, jitterMs: -1 }, 'writeBudget.jitterMs'],
  ])('refuses %j with a typed error naming the field and the fix', (options, field) => {
    // Act
    const build = () => new WriteBudget(options);

    // Assess
    expect(build).toThrow(InvalidConfigurationError);
    expect(build).toThrow(/must be/);
    try {
      build();
    } catch (error) {
      expect((error as InvalidConfigurationError).field).toBe(field);
    }
  });
});

describe('Function: writeScopeOf', () => {
  it('scopes a write to the account and Region of its SecretId ARN, and a bare name to one shared scope', () => {
    // Act
    const scopes = [writeScopeOf({ SecretId: ARN_A }), writeScopeOf({ SecretId: 'app' }), writeScopeOf({})];

    // Assess
    expect(scopes).toEqual(['111122223333/us-east-1', 'unscoped', 'unscoped']);
  });
});

describe('Function: applyWriteBudget (SDK middleware)', () => {
  it('paces PutSecretValue and UpdateSecretVersionStage, and lets reads through', async () => {
    // Prepare
    const { budget, clock } = budgetOnVirtualClock({ writesPerSecond: 1, jitterMs: 0 });
    const { client, sent } = clientAnswering(() => 200);
    applyWriteBudget(client, budget);

    // Act
    await client.send(new PutSecretValueCommand({ SecretId: ARN_A, SecretString: 'v1' }));
    await client.send(new GetSecretValueCommand({ SecretId: ARN_A }));
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: ARN_A,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: 'x',
      }),
    );
    await client.send(new PutSecretValueCommand({ SecretId: ARN_B, SecretString: 'v1' }));

    // Assess
    expect(sent).toEqual(['PutSecretValue', 'GetSecretValue', 'UpdateSecretVersionStage', 'PutSecretValue']);
    // The second write of account A waited a second; account B's first write did not wait.
    expect(clock.waits).toEqual([1000]);
  });

  it('makes a retried write wait for a slot of its own (it counts against the quota again)', async () => {
    // Prepare
    const { budget, clock } = budgetOnVirtualClock({ writesPerSecond: 1, jitterMs: 0 });
    const { client, sent } = clientAnswering((_target, attempt) => (attempt === 1 ? 400 : 200));
    applyWriteBudget(client, budget);

    // Act
    await client.send(new PutSecretValueCommand({ SecretId: ARN_A, SecretString: 'v1' }));

    // Assess
    expect(sent).toEqual(['PutSecretValue', 'PutSecretValue']);
    expect(clock.waits).toEqual([1000]);
  });

  it('sits inside the retry loop and before signing', () => {
    // Prepare
    const { budget } = budgetOnVirtualClock({ writesPerSecond: 1 });
    const { client } = clientAnswering(() => 200);

    // Act
    applyWriteBudget(client, budget);
    const order = client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);

    // Assess
    const at = (name: string) => order.indexOf(name);
    expect(at('rotorWriteBudget')).toBeGreaterThan(at('retryMiddleware'));
    expect(at('rotorWriteBudget')).toBeLessThan(at('httpSigningMiddleware'));
  });

  it('budgetedClientFactory gives every client under an assumed role the same budget', async () => {
    // Prepare
    const { budget, clock } = budgetOnVirtualClock({ writesPerSecond: 1, jitterMs: 0 });
    const clients: SecretsManagerClient[] = [];
    const create = budgetedClientFactory(() => {
      const { client } = clientAnswering(() => 200);
      clients.push(client);
      return client;
    }, budget);
    const credentials = {
      accessKeyId: 'ASIA',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date(0),
    };

    // Act
    const first = create?.({ ...ENGINE_CLIENT_CONFIG, region: 'us-east-1', credentials });
    const second = create?.({ ...ENGINE_CLIENT_CONFIG, region: 'us-east-1', credentials });
    await first?.send(new PutSecretValueCommand({ SecretId: ARN_A, SecretString: 'v1' }));
    await second?.send(new PutSecretValueCommand({ SecretId: ARN_A, SecretString: 'v2' }));

    // Assess
    expect(clients).toHaveLength(2);
    expect(clock.waits).toEqual([1000]);
    expect(budgetedClientFactory(undefined, undefined)).toBeUndefined();
  });
});
