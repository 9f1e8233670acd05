/**
 * `rotor events` (the local stack's events, once or followed, filtered by secret) and `rotor rotate`
 * against a stack with orchestration wired in.
 */

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { followEvents } from '../../src/cli/commands/events.ts';
import { type OrchestratedStack, startOrchestratedStack } from '../support/orchestrated-stack.ts';

const run = promisify(execFile);

describe('Command: events', () => {
  let stack: OrchestratedStack;

  beforeAll(async () => {
    stack = await startOrchestratedStack();
  });

  afterAll(async () => {
    await stack.close();
  });

  /** A secret for a fresh app of the simulator, so rotations in this file do not share a staged slot. */
  async function salesforceSecret(): Promise<string> {
    return (await salesforceSecretWithValue()).arn;
  }

  async function salesforceSecretWithValue(): Promise<{ arn: string; consumerSecret: string }> {
    const { value } = await stack.sim.probe.freshSecret();
    const created = await stack.sm.send(
      new CreateSecretCommand({
        Name: `sf/${randomUUID().slice(0, 8)}`,
        Type: 'SalesforceClientSecret',
        SecretString: JSON.stringify(value),
      }),
    );
    return { arn: created.ARN!, consumerSecret: String(value.consumerSecret) };
  }

  async function rotate(arn: string): Promise<void> {
    await stack.sm.send(
      new RotateSecretCommand({
        SecretId: arn,
        ExternalSecretRotationMetadata: [{ Key: 'apiVersion', Value: stack.sim.seed.apiVersion }],
      }),
    );
  }

  it('prints the events of one secret, one readable line each, with no secret value', async () => {
    // Prepare
    const { arn, consumerSecret } = await salesforceSecretWithValue();
    await salesforceSecret();
    await rotate(arn);
    await stack.orchestration.orchestrator.idle();
    const lines: string[] = [];

    // Act
    await followEvents({ endpoint: stack.endpoint, secret: arn, write: (line) => lines.push(line) });

    // Assess
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => line.includes(arn) || line.includes('sf/'))).toBe(true);
    expect(lines[1]).toMatch(/aws\.secretsmanager\s+RotationStarted\s+arn:aws:secretsmanager:/);
    expect(lines[4]).toContain('RotationSucceeded');
    expect(lines.join('\n')).not.toContain(consumerSecret);
  });

  it('follows new events until stopped', async () => {
    // Prepare
    const arn = await salesforceSecret();
    const lines: string[] = [];
    const controller = new AbortController();
    const following = followEvents({
      endpoint: stack.endpoint,
      secret: arn,
      follow: true,
      intervalMs: 20,
      json: true,
      write: (line) => lines.push(line),
      signal: controller.signal,
    });

    // Act
    try {
      await rotate(arn);
      await vi.waitFor(() => expect(lines.join('\n')).toContain('"RotationSucceeded"'), {
        timeout: 5_000,
        interval: 10,
      });
    } finally {
      controller.abort();
      await following;
    }

    // Assess
    expect(lines.map((line) => JSON.parse(line).source)).toContain('rotor');
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('lets `rotor rotate` follow an orchestrated rotation to its end', async () => {
    // Prepare
    const arn = await salesforceSecret();
    await stack.sm.send(
      new RotateSecretCommand({
        SecretId: arn,
        ExternalSecretRotationMetadata: [{ Key: 'apiVersion', Value: stack.sim.seed.apiVersion }],
        RotateImmediately: false,
      }),
    );
    await stack.orchestration.orchestrator.idle();

    // Act
    const { stdout } = await run(
      process.execPath,
      ['bin/rotor.mjs', 'rotate', arn, '--endpoint', stack.endpoint],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: '' },
      },
    );

    // Assess
    expect(stdout).toMatch(/createSecret\s+succeeded[\s\S]*finishSecret\s+succeeded/);
    expect(stdout).toContain('Rotation succeeded');
  });

  it('exits 1 with a clear message when the endpoint has no events route', async () => {
    // Act
    const result = await run(process.execPath, [
      'bin/rotor.mjs',
      'events',
      '--endpoint',
      `${stack.sim.baseUrl}/`,
    ]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('needs the Rotor local stack');
  });
});
