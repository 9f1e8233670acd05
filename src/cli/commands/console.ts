/**
 * `rotor console`: the onboarding console against real AWS (default credentials and region) or
 * any Secrets Manager endpoint; and {@link startConsoleForStack}, which `rotor local` uses to
 * serve the console beside the local stack.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { controlRoutesProgress, noProgress } from '../../console/rotation-progress.ts';
import type { ConfigStyle } from '../../console/secrets-api.ts';
import { type ConsoleServer, startConsoleServer } from '../../console/server.ts';
import { CONTROL_PREFIX, LOCAL_CREDENTIALS, type LocalStack } from '../../local/stack.ts';
import { CliError, isLoopbackEndpoint, parsePort, secretsManagerFor } from '../output.ts';

/** Default console port: clear of the local stack's endpoint (7566) and its simulators. */
export const DEFAULT_CONSOLE_PORT = 7580;

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Serves the console for a running local stack: MES fields, live progress from the stack's
 * control routes, loopback simulator URLs accepted.
 *
 * @example
 * ```ts
 * const stack = await startLocalStack();
 * const console = await startConsoleForStack(stack, { port: 7580 });
 * process.stdout.write(`Console: ${console.url}\n`);
 * ```
 */
export function startConsoleForStack(
  stack: LocalStack,
  options: { port?: number; host?: string } = {},
): Promise<ConsoleServer> {
  return startConsoleServer({
    port: options.port ?? DEFAULT_CONSOLE_PORT,
    host: options.host,
    secretsManager: new SecretsManagerClient({
      endpoint: stack.endpoint,
      region: stack.region,
      credentials: LOCAL_CREDENTIALS,
    }),
    rotations: controlRoutesProgress(stack.endpoint),
    configStyle: 'fields',
    simulatorMode: true,
    simulatorUrls: Object.fromEntries(stack.simulators.map((s) => [s.type, s.simulator.baseUrl])),
    region: stack.region,
    accountId: stack.accountId,
    mode: 'local',
    // The stack runs RotateImmediately=false as a test rotation (create/set/test, then discards it).
    testRotations: true,
    log,
  });
}

async function hasControlRoutes(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(new URL(`${CONTROL_PREFIX}health`, endpoint), { signal: AbortSignal.timeout(2000) }))
      .ok;
  } catch {
    return false;
  }
}

interface ConsoleOptions {
  port: number;
  host: string;
  endpoint?: string;
  region?: string;
  rotationFunctionArn?: string;
  configStyle?: ConfigStyle;
}

export function registerConsole(program: Command): void {
  program
    .command('console')
    .description(
      'Serve the onboarding console on loopback against AWS Secrets Manager (default credentials and region) or --endpoint.',
    )
    .option('--port <port>', 'console port (0 = any free port)', parsePort, DEFAULT_CONSOLE_PORT)
    .option('--host <host>', 'loopback address to bind', '127.0.0.1')
    .option('--endpoint <url>', 'Secrets Manager endpoint (default: the SDK default for the region)')
    .option('--region <region>', 'region (default: the SDK default chain: AWS_REGION, profile)')
    .option(
      '--rotation-function-arn <arn>',
      'the Rotor rotation Lambda that Secrets Manager invokes (needed to turn rotation on in AWS)',
    )
    .option('--config-style <style>', 'fields (MES Type and metadata) or tags (rotor:type, rotor:meta:*)')
    .action(async (options: ConsoleOptions) => {
      if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(options.host)) {
        throw new CliError(
          `--host must be a loopback address (127.0.0.1, ::1 or localhost), not ${options.host}.`,
        );
      }
      if (options.configStyle && options.configStyle !== 'fields' && options.configStyle !== 'tags') {
        throw new CliError(`--config-style must be fields or tags, not ${options.configStyle}.`);
      }
      const local = options.endpoint !== undefined && isLoopbackEndpoint(options.endpoint);
      const secretsManager = options.endpoint
        ? secretsManagerFor(options.endpoint, options.region ?? process.env.AWS_REGION ?? 'us-east-1')
        : new SecretsManagerClient(options.region ? { region: options.region } : {});
      const region = await secretsManager.config.region();
      const controlRoutes =
        options.endpoint !== undefined && local && (await hasControlRoutes(options.endpoint));
      const server = await startConsoleServer({
        port: options.port,
        host: options.host,
        secretsManager,
        sts: local ? undefined : new STSClient({ region }),
        rotations: controlRoutes && options.endpoint ? controlRoutesProgress(options.endpoint) : noProgress,
        // On AWS, Type is reserved for AWS-hosted partners: Rotor's configuration goes into tags.
        configStyle: options.configStyle ?? (local ? 'fields' : 'tags'),
        rotationLambdaArn: options.rotationFunctionArn,
        simulatorMode: local,
        region,
        mode: local ? 'local' : 'aws',
        log,
      });
      log(`Rotor console: ${server.url}  (Secrets Manager ${options.endpoint ?? `in ${region}`})`);
      log('Press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
    });
}
