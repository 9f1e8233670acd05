/**
 * Rotations on the local stack run under the secret's `ExternalSecretRotationRoleArn`, as managed
 * external secrets do: the handler assumes exactly that role (with the ExternalId) through the local
 * STS, so a role that does not exist or lives in another account stops the rotation before any change.
 */
import {
  CreateSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotationAttempt } from '../../src/local/rotation-runner.ts';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../src/local/stack.ts';

let stack: LocalStack;
let sm: SecretsManagerClient;
let counter = 0;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, simulatorPort: 0, demoSecrets: false });
  sm = new SecretsManagerClient({
    endpoint: stack.endpoint,
    region: stack.region,
    credentials: { ...LOCAL_CREDENTIALS },
  });
}, 60_000);
afterAll(async () => {
  await stack.close();
});

/** Rotates a fresh Salesforce secret under `roleArn` and returns the finished first attempt. */
async function rotateUnder(roleArn: string): Promise<RotationAttempt> {
  const { simulator } = stack.simulators.find((s) => s.type === 'SalesforceClientSecret')!;
  const { value, metadata } = await simulator.probe.freshSecret();
  const name = `role-test/${++counter}`;
  await sm.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: JSON.stringify(value),
      Type: 'SalesforceClientSecret',
    }),
  );
  const { VersionId } = await sm.send(
    new RotateSecretCommand({
      SecretId: name,
      ExternalSecretRotationRoleArn: roleArn,
      ExternalSecretRotationMetadata: Object.entries(metadata).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  for (let i = 0; i < 400; i++) {
    const attempt = stack.runner
      .attempts(name)
      .find((a) => a.versionId === VersionId && a.result !== 'running');
    if (attempt) return attempt;
    await stack.orchestration.orchestrator.idle();
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`the rotation of ${name} did not finish`);
}

describe('Function: startLocalStack (rotation role)', () => {
  it('rotates under the given role when it exists and trusts Rotor with the ExternalId', async () => {
    // Act
    const attempt = await rotateUnder(
      `arn:aws:iam::${stack.accountId}:role/${stack.identity.rotor.customerRoleName}`,
    );

    // Assess
    expect(attempt.result).toBe('succeeded');
  });

  it('stops at createSecret with permission-denied when the given role does not exist', async () => {
    // Act
    const attempt = await rotateUnder(`arn:aws:iam::${stack.accountId}:role/NoSuchRotationRole`);

    // Assess
    expect(attempt.result).toBe('failed');
    expect(attempt.failure).toMatchObject({ step: 'createSecret', category: 'permission-denied' });
    expect(attempt.failure?.message).toContain('NoSuchRotationRole');
  });

  it('refuses a role in another account than the secret', async () => {
    // Act
    const attempt = await rotateUnder('arn:aws:iam::222222222222:role/SomeoneElsesRole');

    // Assess
    expect(attempt.result).toBe('failed');
    expect(attempt.failure).toMatchObject({ step: 'createSecret', category: 'invalid-configuration' });
    expect(attempt.failure?.message).toContain("not a role in the secret's account");
  });
});
