/** `rotor repair` as a user runs it, against the local stack's demo secrets. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWSPENDING } from '../../src/aws/secret-store.ts';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../src/local/stack.ts';

const run = promisify(execFile);

async function rotor(...args: string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, ['bin/rotor.mjs', ...args], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: '' },
    });
    return { stdout, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; code: number };
    return { stdout: failed.stdout, code: failed.code };
  }
}

let stack: LocalStack;
let sm: SecretsManagerClient;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, simulatorPort: 0 });
  sm = new SecretsManagerClient({
    endpoint: stack.endpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
}, 30_000);
afterAll(async () => {
  await stack.close();
});

/** Waits (bounded) until the stack's runner records the attempt of `versionId` as failed. */
async function waitForFailedAttempt(secret: string, versionId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const attempts = stack.runner.attempts(secret);
    if (attempts.some((a) => a.versionId === versionId && a.result === 'failed')) return;
    await new Promise((resolve) => setImmediate(resolve));
    await stack.orchestration.orchestrator.idle();
  }
  throw new Error(`the rotation of ${secret} did not fail as prepared`);
}

describe('Command: rotor repair', () => {
  it('shows a stuck rotation of each demo secret, then clears it with --apply', async () => {
    // Prepare: a rotation whose createSecret fails before storing anything (here: a stored value
    // that fails the partner's schema) leaves an empty AWSPENDING version behind.
    const stuck: string[] = [];
    for (const { type, simulator } of stack.simulators) {
      const name = `stuck/${type}`;
      const { metadata } = await simulator.probe.freshSecret();
      await sm.send(
        new CreateSecretCommand({ Name: name, SecretString: '{"not":"a valid value"}', Type: type }),
      );
      const { VersionId } = await sm.send(
        new RotateSecretCommand({
          SecretId: name,
          ExternalSecretRotationMetadata: Object.entries(metadata).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      await waitForFailedAttempt(name, VersionId ?? '');
      stuck.push(name);
    }

    // Act
    const shown = await rotor('repair', '--endpoint', stack.endpoint, '--older-than', '0');
    const applied = await rotor('repair', '--endpoint', stack.endpoint, '--older-than', '0', '--apply');
    const after = await rotor('repair', '--endpoint', stack.endpoint, '--older-than', '0');

    // Assess
    expect(stuck.length).toBeGreaterThan(0);
    for (const name of stuck) {
      expect(shown.stdout).toMatch(new RegExp(`STUCK ${name} version \\S+ \\(pending-without-value`));
      expect(applied.stdout).toContain(`${name}: AWSPENDING cleared`);
      const stages = (await sm.send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages ?? {};
      expect(Object.values(stages).flat()).not.toContain(AWSPENDING);
    }
    expect(shown.stdout).toContain('Run again with --apply');
    expect([shown.code, applied.code]).toEqual([0, 0]);
    expect(after.stdout).toContain('No stuck rotations or orphan credentials.');
  });

  it('does not report a rotation younger than the threshold', async () => {
    // Prepare
    const name = stack.demoSecrets[0] ?? '';
    await sm.send(new RotateSecretCommand({ SecretId: name, RotateImmediately: false }));

    // Act
    const shown = await rotor('repair', name, '--endpoint', stack.endpoint);

    // Assess
    expect(shown.stdout).toContain(`No stuck rotations or orphan credentials for ${name}.`);
  });
});
