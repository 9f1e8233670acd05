/**
 * `rotor rotate <secret>`: starts a rotation with `RotateSecret` and follows it to the end. On the
 * local stack it shows each step from the stack's rotation records; elsewhere it watches the
 * version's staging labels.
 */
import { DescribeSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { Command } from 'commander';
import type { RotationAttempt } from '../../local/rotation-runner.ts';
import { CONTROL_PREFIX } from '../../local/stack.ts';
import {
  CliError,
  type EndpointOptions,
  resolveEndpoint,
  secretsManagerFor,
  withEndpointOptions,
} from '../output.ts';

const POLL_INTERVAL_MS = 100;

async function fetchAttempt(
  endpoint: string,
  secretArn: string,
  versionId: string,
): Promise<RotationAttempt | null> {
  const response = await fetch(
    new URL(`${CONTROL_PREFIX}rotations?secretId=${encodeURIComponent(secretArn)}`, endpoint),
  );
  if (!response.ok) return null;
  const { attempts } = (await response.json()) as { attempts: RotationAttempt[] };
  return attempts.findLast((a) => a.versionId === versionId) ?? null;
}

/** The local stack answers on its control routes; AWS does not. */
async function hasControlRoutes(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(new URL(`${CONTROL_PREFIX}health`, endpoint))).ok;
  } catch {
    return false;
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function registerRotate(program: Command): void {
  withEndpointOptions(program.command('rotate'))
    .description('Rotate a secret now (RotateSecret) and follow the rotation step by step until it ends.')
    .argument('<secret>', 'secret name or ARN')
    .option('--timeout <seconds>', 'how long to follow the rotation', (v) => Number(v), 120)
    .action(async (secret: string, options: EndpointOptions & { timeout: number }) => {
      const { endpoint, region } = resolveEndpoint(options);
      const client = secretsManagerFor(endpoint, region);
      let started: { ARN?: string; VersionId?: string };
      try {
        started = await client.send(new RotateSecretCommand({ SecretId: secret, RotateImmediately: true }));
      } catch (error) {
        const e = error as Error;
        throw new CliError(`RotateSecret failed: ${e.name}: ${e.message}`);
      }
      const arn = started.ARN ?? secret;
      const versionId = started.VersionId ?? '';
      process.stdout.write(`Rotation of ${arn} started (version ${versionId}).\n`);

      const deadline = Date.now() + options.timeout * 1000;
      const printed = new Set<string>();
      const usesControl = await hasControlRoutes(endpoint);
      while (Date.now() < deadline) {
        if (usesControl) {
          const attempt = await fetchAttempt(endpoint, arn, versionId);
          for (const step of attempt?.steps ?? []) {
            const key = `${step.step}:${step.status}`;
            if (step.status !== 'running' && !printed.has(key)) {
              printed.add(key);
              process.stdout.write(`  ${step.step.padEnd(13)} ${step.status}\n`);
            }
          }
          if (attempt?.result === 'succeeded') {
            process.stdout.write(`Rotation succeeded: version ${versionId} is now AWSCURRENT.\n`);
            return;
          }
          if (attempt?.result === 'abandoned') {
            throw new CliError(
              `Rotation abandoned: a manual write moved AWSCURRENT while version ${versionId} was pending.`,
            );
          }
          if (attempt?.result === 'failed' && attempt.failure) {
            const f = attempt.failure;
            throw new CliError(`Rotation failed at ${f.step} [${f.category}] ${f.name}: ${f.message}`);
          }
        } else {
          const describe = await client.send(new DescribeSecretCommand({ SecretId: arn }));
          if (describe.VersionIdsToStages?.[versionId]?.includes('AWSCURRENT')) {
            process.stdout.write(`Rotation succeeded: version ${versionId} is now AWSCURRENT.\n`);
            return;
          }
        }
        await delay(POLL_INTERVAL_MS);
      }
      throw new CliError(
        `The rotation did not finish within ${options.timeout} s; it may still be running.`,
        2,
      );
    });
}
