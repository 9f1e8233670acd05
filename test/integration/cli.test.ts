/**
 * The `rotor` command as a user runs it: `rotor local` in its own process, `rotor rotate` of the
 * demo secret, the result read back with Debian's `aws` CLI, then Ctrl-C.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROTOR = ['bin/rotor.mjs'];
const DEMO = 'demo/SalesforceClientSecret';

/** Starts a long-running rotor command and resolves once its output matches `ready`. */
async function startRotor(
  args: string[],
  ready: RegExp,
): Promise<{ child: ChildProcessWithoutNullStreams; output: () => string }> {
  const child = spawn(process.execPath, [...ROTOR, ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: '' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (ready.test(output)) resolve();
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`rotor ${args.join(' ')} exited with ${code}: ${output}`)));
  });
  return { child, output: () => output };
}

let local: Awaited<ReturnType<typeof startRotor>>;
let endpoint: string;
const dataDir = mkdtempSync(join(tmpdir(), 'rotor-cli-'));

beforeAll(async () => {
  local = await startRotor(
    ['local', '--port', '0', '--simulator-port', '0', '--data-dir', dataDir],
    /Press Ctrl-C to stop/,
  );
  endpoint = /Secrets Manager endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(local.output())?.[1] ?? '';
}, 60_000);

afterAll(() => {
  if (local.child.exitCode === null) local.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const awsEnv = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  AWS_ACCESS_KEY_ID: 'ROTORLOCALACCESSKEY',
  AWS_SECRET_ACCESS_KEY: 'rotor-local-secret-key',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
};

async function awsCli(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    '/usr/bin/aws',
    ['--endpoint-url', endpoint, '--output', 'json', 'secretsmanager', ...args],
    {
      env: awsEnv,
    },
  );
  return JSON.parse(stdout);
}

describe('Command: rotor local', () => {
  it('prints the endpoint, the variables to export and commands to paste', () => {
    // Assess
    const banner = local.output();
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(banner).toContain(`export AWS_ENDPOINT_URL=${endpoint}`);
    expect(banner).toMatch(/SalesforceClientSecret simulator\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(banner).toContain(`npx rotor rotate ${DEMO}`);
    expect(banner).toContain(`aws --endpoint-url ${endpoint} secretsmanager list-secrets`);
  });

  it('serves the demo secret to the aws CLI as printed', async () => {
    // Act
    const described = await awsCli('describe-secret', '--secret-id', DEMO);

    // Assess (Debian's CLI 2.9 predates the MES `Type` field and drops it from its output)
    expect(described).toMatchObject({ Name: DEMO });
    expect(Object.keys(described.VersionIdsToStages as object)).toHaveLength(1);
  });
});

describe('Command: rotor rotate', () => {
  it('rotates the demo secret end to end, step by step', async () => {
    // Prepare
    const before = (await awsCli('get-secret-value', '--secret-id', DEMO)) as { VersionId: string };

    // Act
    const { stdout } = await run(process.execPath, [...ROTOR, 'rotate', DEMO, '--endpoint', endpoint], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: '' },
    });

    // Assess
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
      expect(stdout).toMatch(new RegExp(`${step}\\s+succeeded`));
    }
    expect(stdout).toContain('Rotation succeeded');
    const versions = (await awsCli('list-secret-version-ids', '--secret-id', DEMO)) as {
      Versions: { VersionId: string; VersionStages: string[] }[];
    };
    const stages = Object.fromEntries(versions.Versions.map((v) => [v.VersionId, v.VersionStages]));
    expect(stages[before.VersionId]).toEqual(['AWSPREVIOUS']);
    const current = versions.Versions.find((v) => v.VersionStages.includes('AWSCURRENT'));
    expect(current?.VersionId).not.toBe(before.VersionId);
  });

  it('exits non-zero with a clear message for an unknown secret', async () => {
    // Act
    const failure = await run(
      process.execPath,
      [...ROTOR, 'rotate', 'no/such/secret', '--endpoint', endpoint],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: '' },
      },
    ).catch((error: { code: number; stderr: string }) => error);

    // Assess
    expect((failure as { code: number }).code).toBe(1);
    expect((failure as { stderr: string }).stderr).toMatch(
      /ResourceNotFoundException.*can't find the specified secret/,
    );
  });
});

describe('Command: rotor local (options)', () => {
  it('refuses a write quota that is not a positive number, naming the option and the fix', async () => {
    // Act
    const failure = await run(process.execPath, [
      ...ROTOR,
      'local',
      '--port',
      '0',
      '--write-quota',
      '0',
    ]).catch((error: { code: number; stderr: string }) => error);

    // Assess
    expect((failure as { code: number }).code).not.toBe(0);
    expect((failure as { stderr: string }).stderr).toContain(
      'Invalid --write-quota "0"; use a positive number of writes per second, e.g. 50.',
    );
  });
});

describe('Command: rotor simulate', () => {
  it('prints the simulator base URL and a seeded org as JSON', async () => {
    // Prepare
    const sim = await startRotor(['simulate', 'SalesforceClientSecret', '--port', '0'], /\}\s*$/);

    // Act
    const printed = JSON.parse(sim.output()) as { baseUrl: string; seed: Record<string, unknown> };
    const token = await fetch(`${printed.baseUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: String(printed.seed.consumerKey),
        client_secret: String(printed.seed.consumerSecret),
      }),
    });
    sim.child.kill('SIGINT');
    const [code] = await once(sim.child, 'exit');

    // Assess
    expect(printed.seed).toMatchObject({ appId: expect.stringMatching(/^0x/), apiVersion: 'v65.0' });
    expect(token.status).toBe(200);
    expect(code).toBe(0);
  });

  it('refuses an unknown partner type, listing the known ones', async () => {
    // Act
    const failure = await run(process.execPath, [...ROTOR, 'simulate', 'NoSuchPartner']).catch(
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect((failure as { code: number }).code).toBe(1);
    expect((failure as { stderr: string }).stderr).toContain('supported types: SalesforceClientSecret');
  });
});

describe('Command: rotor local (shutdown)', () => {
  it('stops cleanly on Ctrl-C', async () => {
    // Act
    local.child.kill('SIGINT');
    const [code] = await once(local.child, 'exit');

    // Assess
    expect(code).toBe(0);
    expect(local.output()).toContain('Stopped.');
  });
});
