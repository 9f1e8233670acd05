/**
 * `rotor preflight <secret>`: a dry run of a rotation of a stored secret, with no side effects —
 * partner, schema, metadata, role, egress and the partner's own read-only checks (authentication,
 * permissions) — each reported as pass or fail with what to fix.
 */
import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { GRACE_PERIOD_KEY, resolvePartnerConfig } from '../../aws/resolver.ts';
import { RotorError } from '../../engine/errors.ts';
import { runPreflight } from '../../engine/preflight.ts';
import { PartnerCatalog } from '../../runtime/catalog.ts';
import {
  CliError,
  type EndpointOptions,
  isLoopbackEndpoint,
  localSimulatorUrls,
  resolveEndpoint,
  secretsManagerFor,
  withEndpointOptions,
} from '../output.ts';

/** The stored value as the partner schema will see it: parsed JSON, or the raw text to be refused. */
function parsed(secretString: string | undefined): unknown {
  try {
    return JSON.parse(secretString ?? '');
  } catch {
    return secretString;
  }
}

export function registerPreflight(program: Command): void {
  withEndpointOptions(program.command('preflight'))
    .description(
      'Dry-run a rotation of a secret: every check it needs, pass or fail with the fix; changes nothing.',
    )
    .argument('<secret>', 'secret name or ARN')
    .action(async (secret: string, options: EndpointOptions) => {
      const { endpoint, region } = resolveEndpoint(options);
      const secretsManager = secretsManagerFor(endpoint, region);
      let describe: DescribeSecretCommandOutput;
      let secretString: string | undefined;
      try {
        describe = await secretsManager.send(new DescribeSecretCommand({ SecretId: secret }));
        secretString = (await secretsManager.send(new GetSecretValueCommand({ SecretId: secret })))
          .SecretString;
      } catch (error) {
        const e = error as Error;
        throw new CliError(`Cannot read ${secret}: ${e.name}: ${e.message}`);
      }
      let config: ReturnType<typeof resolvePartnerConfig>;
      try {
        config = resolvePartnerConfig(describe);
      } catch (error) {
        if (error instanceof RotorError) throw new CliError(`FAIL partner  ${error.message}`);
        throw error;
      }
      const local = isLoopbackEndpoint(endpoint);
      const report = await runPreflight(
        {
          type: config.type,
          value: parsed(secretString),
          metadata: {
            ...config.metadata,
            ...(config.gracePeriodSeconds === undefined
              ? {}
              : { [GRACE_PERIOD_KEY]: String(config.gracePeriodSeconds) }),
          } as Record<string, string>,
          roleArn: describe.ExternalSecretRotationRoleArn,
        },
        {
          catalog: new PartnerCatalog(),
          secretsManager,
          sts: new STSClient({ region, ...(local ? { endpoint } : {}) }),
          externalId: process.env.ROTOR_EXTERNAL_ID || undefined,
          // Simulators live on loopback; only the local stack's secrets point there.
          simulatorMode: local,
          simulatorUrls: await localSimulatorUrls(endpoint),
        },
      );
      for (const check of report.checks) {
        process.stdout.write(`${check.ok ? 'PASS' : 'FAIL'} ${check.name.padEnd(14)} ${check.detail}\n`);
      }
      if (!report.ok)
        throw new CliError(`Preflight of ${describe.Name ?? secret} failed; fix the checks marked FAIL.`);
      process.stdout.write(`Preflight of ${describe.Name ?? secret} passed: a rotation can run.\n`);
    });
}
