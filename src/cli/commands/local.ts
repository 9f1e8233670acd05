/** `rotor local`: the local stack in the foreground, until Ctrl-C. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { WizardBuildError } from '../../console/errors.ts';
import { DEFAULT_DATA_DIR, DEFAULT_PORT, type LocalStack, startLocalStack } from '../../local/stack.ts';
import { CliError, parsePort } from '../output.ts';
import { DEFAULT_CONSOLE_PORT, startConsoleForStack } from './console.ts';

type LocalOptions = {
  port: number;
  simulatorPort?: number;
  host: string;
  dataDir: string;
  consolePort?: number;
  console: boolean;
  writeQuota?: number;
};

function parseWriteQuota(value: string): number {
  const writesPerSecond = Number(value);
  if (!(Number.isFinite(writesPerSecond) && writesPerSecond > 0))
    throw new CliError(
      `Invalid --write-quota "${value}"; use a positive number of writes per second, e.g. 50.`,
    );
  return writesPerSecond;
}

/** The environment a shell (or SDK code) needs to talk to the stack as the demo customer. */
export function exportsFor(stack: LocalStack): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: stack.endpoint,
    AWS_ACCESS_KEY_ID: stack.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.credentials.secretAccessKey,
    AWS_REGION: stack.region,
    AWS_DEFAULT_REGION: stack.region,
  };
}

/** Ready-to-paste `aws` commands (after the exports); `--endpoint-url` so CLIs before 2.13 work too. */
export function awsCommandsFor(stack: LocalStack): string[] {
  const aws = `aws --endpoint-url ${stack.endpoint}`;
  return [
    `${aws} sts get-caller-identity`,
    `${aws} secretsmanager list-secrets`,
    ...stack.demoSecrets.flatMap((name) => [
      `${aws} secretsmanager describe-secret --secret-id ${name}`,
      `${aws} secretsmanager list-secret-version-ids --secret-id ${name}`,
    ]),
  ];
}

export function banner(stack: LocalStack): string {
  const { endpoint, region } = stack;
  const exports = exportsFor(stack);
  const lines = [
    'Rotor local stack is up.',
    '',
    `  Secrets Manager endpoint  ${endpoint}  (region ${region}, account ${stack.accountId})`,
    `  STS endpoint              ${endpoint}  (AssumeRole, GetCallerIdentity)`,
    `  EventBridge endpoint      ${endpoint}  (PutEvents, default bus)`,
    ...stack.simulators.map((s) => `  ${s.type} simulator  ${s.simulator.baseUrl}  (${s.title})`),
    `  Data directory            ${stack.dataDir ?? '(memory only)'}`,
    `  Rotor service account     ${stack.identity.rotor.accountId}, assumes role ${stack.identity.rotor.customerRoleName} with its ExternalId`,
    '',
    'Use it from a shell (paste these first):',
    ...Object.entries(exports).map(([name, value]) => `  export ${name}=${value}`),
    '',
    'Then try:',
    ...awsCommandsFor(stack).map((command) => `  ${command}`),
    ...stack.demoSecrets.map((name) => `  npx rotor rotate ${name}`),
    ...stack.simulators.map(
      (s) => `  npx rotor simulate ${s.type}   # a standalone simulator, prints its org as JSON`,
    ),
    '',
    stack.dataDir === undefined
      ? 'State is kept in memory. Press Ctrl-C to stop.'
      : `State is kept in ${stack.dataDir} (values encrypted; identity.json lists accounts and keys). Press Ctrl-C to stop.`,
  ];
  return lines.join('\n');
}

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description(
      'Run the local stack: Secrets Manager, STS and EventBridge endpoints, partner simulators and demo secrets, on loopback.',
    )
    .option(
      '--port <port>',
      'endpoint port for all three services (0 = any free port)',
      parsePort,
      DEFAULT_PORT,
    )
    .option('--simulator-port <port>', 'first partner simulator port (default: endpoint port + 1)', parsePort)
    .option('--host <host>', 'loopback address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'where state, the master key and identity.json live', DEFAULT_DATA_DIR)
    .option('--console-port <port>', `onboarding console port (default ${DEFAULT_CONSOLE_PORT})`, parsePort)
    .option('--no-console', 'do not serve the onboarding console')
    .option(
      '--write-quota <writes/s>',
      "enforce Secrets Manager's write quota per account (AWS: 50), and pace rotations to it",
      parseWriteQuota,
    )
    .action(async (options: LocalOptions) => {
      if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(options.host)) {
        throw new CliError(
          `--host must be a loopback address (127.0.0.1, ::1 or localhost), not ${options.host}.`,
        );
      }
      let stack: LocalStack;
      try {
        stack = await startLocalStack({
          host: options.host,
          port: options.port,
          simulatorPort: options.simulatorPort,
          dataDir: resolve(options.dataDir),
          ...(options.writeQuota === undefined
            ? {}
            : { writeQuota: { writesPerSecond: options.writeQuota } }),
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'EADDRINUSE') {
          throw new CliError(
            `A port is already in use; pick others with --port and --simulator-port. (${(error as Error).message})`,
          );
        }
        throw error;
      }
      const consolePort = options.consolePort ?? (options.port === 0 ? 0 : DEFAULT_CONSOLE_PORT);
      const consoleServer = options.console
        ? await startConsoleForStack(stack, { port: consolePort, host: options.host }).catch(
            async (error: unknown) => {
              // The stack is useful without the console: a failed build is reported, not fatal.
              if (error instanceof WizardBuildError) {
                process.stderr.write(
                  `rotor: the console is unavailable: ${error.message} ${String(error.cause)}\n`,
                );
                return undefined;
              }
              await stack.close();
              if ((error as { code?: string }).code === 'EADDRINUSE') {
                throw new CliError(
                  `Port ${consolePort} is in use; pick another with --console-port, or use --no-console.`,
                );
              }
              throw error;
            },
          )
        : undefined;
      if (consoleServer)
        process.stdout.write(`Onboarding console  ${consoleServer.url}  (open it in a browser)\n\n`);
      process.stdout.write(`${banner(stack)}\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.stdout.write('\nStopping the local stack…\n');
          done();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await consoleServer?.close();
      await stack.close();
      process.stdout.write('Stopped.\n');
    });
}
