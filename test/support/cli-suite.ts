/**
 * For suites that drive the `rotor` command as a user does against a local stack of their own:
 * the stack and a demo-customer SDK client for the suite, and the command run to completion.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll } from 'vitest';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../src/local/stack.ts';

const run = promisify(execFile);

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs `rotor <args>` to completion; a non-zero exit is a result, not a rejection. */
export async function runRotor(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/rotor.mjs', ...args], {
      // The CLI must find the local stack's credentials on its own.
      env: { ...process.env, AWS_ACCESS_KEY_ID: '' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as CliResult;
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

/**
 * Starts a local stack (free ports, fresh state) before the suite's tests and closes it after.
 *
 * @returns getters, valid once the suite's `beforeAll` has run.
 */
export function localStackForSuite(): { stack(): LocalStack; sm(): SecretsManagerClient } {
  let stack: LocalStack | undefined;
  let sm: SecretsManagerClient | undefined;
  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, simulatorPort: 0 });
    sm = new SecretsManagerClient({
      endpoint: stack.endpoint,
      region: stack.region,
      credentials: LOCAL_CREDENTIALS,
    });
  }, 60_000);
  afterAll(async () => {
    sm?.destroy();
    await stack?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the local stack is not started yet (use it inside a test)');
    return value;
  };
  return { stack: () => started(stack), sm: () => started(sm) };
}
