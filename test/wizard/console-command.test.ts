/**
 * The console as a user starts it: `rotor local` prints the console's URL beside the stack, and
 * `rotor console --endpoint` serves the same console against any Secrets Manager endpoint.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
}

const children: ChildProcessWithoutNullStreams[] = [];

/** Starts `rotor <args>` and resolves once its output matches `ready`. */
async function startRotor(args: string[], ready: RegExp): Promise<Running> {
  const child = spawn(process.execPath, ['bin/rotor.mjs', ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: '' },
  });
  children.push(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += String(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (ready.test(output)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`rotor ${args.join(' ')} exited with ${code}: ${output}`)));
  });
  return { child, output: () => output };
}

let local: Running;
let consoleUrl: string;
let endpoint: string;

beforeAll(async () => {
  local = await startRotor(['local', '--port', '0', '--simulator-port', '0'], /Press Ctrl-C to stop/);
  consoleUrl = /Onboarding console\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(local.output())?.[1] ?? '';
  endpoint = /Secrets Manager endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(local.output())?.[1] ?? '';
}, 90_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('Command: rotor local (console)', () => {
  it('prints the console URL, which serves the built wizard and the API for the stack', async () => {
    // Act
    const page = await fetch(consoleUrl);
    const html = await page.text();
    const config = (await (await fetch(new URL('api/config', consoleUrl))).json()) as Record<string, unknown>;
    const secrets = (await (await fetch(new URL('api/secrets', consoleUrl))).json()) as { name: string }[];

    // Assess
    expect(consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).toMatch(/<script type="module"[^>]*src="\.\/assets\/[^"]+\.js"/);
    expect(config).toMatchObject({ mode: 'local', liveProgress: true, configStyle: 'fields' });
    expect(secrets.map((s) => s.name)).toContain('demo/SalesforceClientSecret');
  });
});

describe('Command: rotor local (console port in use)', () => {
  it('stops with the flag to fix when the console port is taken', async () => {
    // Prepare
    const taken = new URL(consoleUrl).port;

    // Act
    const run = startRotor(
      ['local', '--port', '0', '--simulator-port', '0', '--console-port', taken],
      /never/,
    );

    // Assess
    await expect(run).rejects.toThrow(
      new RegExp(`Port ${taken} is in use; pick another with --console-port`),
    );
  });
});

describe('Command: rotor console', () => {
  it('serves the console against the given endpoint and prints its URL', async () => {
    // Prepare
    const server = await startRotor(
      ['console', '--port', '0', '--endpoint', endpoint],
      /Press Ctrl-C to stop/,
    );
    const url = /Rotor console: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(server.output())?.[1] ?? '';

    // Act
    const config = (await (await fetch(new URL('api/config', url))).json()) as Record<string, unknown>;
    const secrets = (await (await fetch(new URL('api/secrets', url))).json()) as { name: string }[];
    server.child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => server.child.once('exit', resolve));

    // Assess
    expect(config).toMatchObject({ mode: 'local', liveProgress: true });
    expect(secrets.map((s) => s.name)).toContain('demo/SalesforceClientSecret');
    expect(code).toBe(0);
  });

  it('refuses a non-loopback bind address with the fix', async () => {
    // Act
    const run = startRotor(['console', '--host', '0.0.0.0'], /never/);

    // Assess
    await expect(run).rejects.toThrow(/--host must be a loopback address/);
  });
});
