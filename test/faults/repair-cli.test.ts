/** `rotor repair` as a user runs it, against the local stack's demo secrets. */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  RotateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { AWSPENDING } from '../../src/aws/secret-store.ts';
import { localStackForSuite, runRotor } from '../support/cli-suite.ts';

const suite = localStackForSuite();

/** Waits (bounded) until the stack's runner records the attempt of `versionId` as failed. */
async function waitForFailedAttempt(secret: string, versionId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const attempts = suite.stack().runner.attempts(secret);
    if (attempts.some((a) => a.versionId === versionId && a.result === 'failed')) return;
    await new Promise((resolve) => setImmediate(resolve));
    await suite.stack().orchestration.orchestrator.idle();
  }
  throw new Error(`the rotation of ${secret} did not fail as prepared`);
}

describe('Command: rotor repair', () => {
  it('shows a stuck rotation of each demo secret, then clears it with --apply', async () => {
    // Prepare: a rotation whose createSecret fails before storing anything (here: a stored value
    // that fails the partner's schema) leaves an empty AWSPENDING version behind.
    const stuck: string[] = [];
    for (const { type, simulator } of suite.stack().simulators) {
      const name = `stuck/${type}`;
      const { metadata } = await simulator.probe.freshSecret();
      await suite
        .sm()
        .send(new CreateSecretCommand({ Name: name, SecretString: '{"not":"a valid value"}', Type: type }));
      const { VersionId } = await suite.sm().send(
        new RotateSecretCommand({
          SecretId: name,
          ExternalSecretRotationMetadata: Object.entries(metadata).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      await waitForFailedAttempt(name, VersionId ?? '');
      stuck.push(name);
    }

    // Act
    const shown = await runRotor('repair', '--endpoint', suite.stack().endpoint, '--older-than', '0');
    const applied = await runRotor(
      'repair',
      '--endpoint',
      suite.stack().endpoint,
      '--older-than',
      '0',
      '--apply',
    );
    const after = await runRotor('repair', '--endpoint', suite.stack().endpoint, '--older-than', '0');

    // Assess
    expect(stuck.length).toBeGreaterThan(0);
    for (const name of stuck) {
      expect(shown.stdout).toMatch(new RegExp(`STUCK ${name} version \\S+ \\(pending-without-value`));
      expect(applied.stdout).toContain(`${name}: AWSPENDING cleared`);
      const stages =
        (await suite.sm().send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages ?? {};
      expect(Object.values(stages).flat()).not.toContain(AWSPENDING);
    }
    expect(shown.stdout).toContain('Run again with --apply');
    expect([shown.code, applied.code]).toEqual([0, 0]);
    expect(after.stdout).toContain('No stuck rotations or orphan credentials.');
  });

  it('does not report a rotation younger than the threshold', async () => {
    // Prepare
    const name = suite.stack().demoSecrets[0] ?? '';
    await suite.sm().send(new RotateSecretCommand({ SecretId: name, RotateImmediately: false }));

    // Act
    const shown = await runRotor('repair', name, '--endpoint', suite.stack().endpoint);

    // Assess
    expect(shown.stdout).toContain(`No stuck rotations or orphan credentials for ${name}.`);
  });
});
