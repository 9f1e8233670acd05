/**
 * The local stack with Secrets Manager's write quota on: the stack throttles writes past it, and
 * its rotation handler paces its writes to it, so concurrent rotations wait for the quota instead
 * of being throttled.
 */
import {
  CreateSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../src/local/credentials.ts';
import { type LocalStack, startLocalStack } from '../../src/local/stack.ts';

const WRITES_PER_SECOND = 4;
let stack: LocalStack;
let sm: SecretsManagerClient;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    simulatorPort: 0,
    demoSecrets: false,
    writeQuota: { writesPerSecond: WRITES_PER_SECOND },
  });
  sm = new SecretsManagerClient({
    endpoint: stack.endpoint,
    region: stack.region,
    credentials: { ...LOCAL_CREDENTIALS },
  });
}, 60_000);
afterAll(async () => {
  sm.destroy();
  await stack.close();
});

describe('Function: startLocalStack (writeQuota)', () => {
  it('rotates more secrets at once than the quota admits writes, with no write throttled', async () => {
    // Prepare
    const { simulator } = stack.simulators.find((s) => s.type === 'SalesforceClientSecret')!;
    const names: string[] = [];
    const metadata: Record<string, string>[] = [];
    // Set-up writes are not quota-counted (CreateSecret), so the rotations start with a full bucket.
    for (let i = 0; i < WRITES_PER_SECOND; i++) {
      const fresh = await simulator.probe.freshSecret();
      names.push(`quota-test/${i}`);
      metadata.push(fresh.metadata as Record<string, string>);
      await sm.send(
        new CreateSecretCommand({
          Name: names[i],
          SecretString: JSON.stringify(fresh.value),
          Type: 'SalesforceClientSecret',
        }),
      );
    }
    const throttled: string[] = [];
    const handle = stack.service.handle.bind(stack.service);
    vi.spyOn(stack.service, 'handle').mockImplementation(async (operation, input, ctx) => {
      try {
        return await handle(operation, input, ctx);
      } catch (error) {
        if ((error as { type?: string }).type === 'ThrottlingException') throttled.push(operation);
        throw error;
      }
    });

    // Act: two quota-counted writes per rotation, twice what the bucket holds, all at once.
    await Promise.all(
      names.map((name, i) =>
        sm.send(
          new RotateSecretCommand({
            SecretId: name,
            ExternalSecretRotationMetadata: Object.entries(metadata[i]!).map(([Key, Value]) => ({
              Key,
              Value,
            })),
          }),
        ),
      ),
    );
    await stack.orchestration.orchestrator.idle();

    // Assess
    const results = names.map((name) => stack.runner.attempts(name).map((attempt) => attempt.result));
    expect(results).toEqual(names.map(() => ['succeeded']));
    expect(throttled).toEqual([]);
  });
});
