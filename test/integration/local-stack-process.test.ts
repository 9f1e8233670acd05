/**
 * `rotor local` as a process: the printed commands work as pasted, a real `aws` CLI sequence
 * (Debian's CLI v2 and the v1 first on PATH), state that survives Ctrl-C and `kill -9` (also in
 * the middle of writes), and a data directory that never holds a secret value in plaintext.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../src/local/stack.ts';
import { startRotorLocal } from '../support/rotor-process.ts';

const run = promisify(execFile);
const DEMO = 'demo/SalesforceClientSecret';
const MARKER = 'PLAINTEXT-MARKER-93b1f0c2';
const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rotor-local-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The environment of a clean shell plus the given variables: no config or credential files. */
function shellEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    ...extra,
  };
}

function client(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
}

/** Every file of the directory that contains `text` (the database, its WAL and SHM included). */
function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir).filter((file) => readFileSync(join(dir, file)).includes(text));
}

/** The CLIs to run: Debian's v2 by its path, and whatever `aws` is first on PATH (v1 here). */
const CLIS = ['/usr/bin/aws', 'aws'];

describe('Command: rotor local (as a process)', () => {
  it('prints exports and aws commands that work as pasted, with either CLI', async () => {
    // Prepare
    const local = await startRotorLocal(dataDir());
    const exports = local.exports();
    const commands = [...local.output().matchAll(/^\s+(aws --endpoint-url \S+ .+)$/gm)].map((m) => m[1]!);

    // Act
    const results: { command: string; cli: string; output: unknown }[] = [];
    try {
      for (const firstOnPath of ['', '/usr/bin:']) {
        for (const command of commands) {
          const env = shellEnv(exports);
          env.PATH = `${firstOnPath}${env.PATH}`;
          const { stdout } = await run('sh', ['-c', command], { env });
          results.push({ command, cli: firstOnPath || 'PATH', output: JSON.parse(stdout) });
        }
      }
    } finally {
      await local.stop();
    }

    // Assess
    expect(Object.keys(exports)).toEqual([
      'AWS_ENDPOINT_URL',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
    ]);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    expect(results).toHaveLength(commands.length * 2);
    const identity = results.find((r) => r.command.endsWith('sts get-caller-identity'))?.output;
    expect(identity).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/demo' });
    const listed = results.find((r) => r.command.endsWith('list-secrets'))?.output as {
      SecretList: { Name: string }[];
    };
    expect(listed.SecretList.map((s) => s.Name)).toContain(DEMO);
  });

  it.each(CLIS)(
    'runs create, get, put, update-stage, rotate, describe, list-versions with %s',
    async (cli) => {
      // Prepare
      const local = await startRotorLocal(dataDir());
      const env = shellEnv(local.exports());
      const aws = async (...args: string[]) => {
        const { stdout } = await run(
          cli,
          ['--endpoint-url', local.endpoint, '--output', 'json', 'secretsmanager', ...args],
          {
            env,
          },
        );
        return JSON.parse(stdout || '{}') as Record<string, unknown>;
      };

      try {
        // Act
        const created = await aws(
          'create-secret',
          '--name',
          'cli/app',
          '--secret-string',
          'one',
          '--tags',
          'Key=team,Value=a',
        );
        const first = await aws('get-secret-value', '--secret-id', 'cli/app');
        const put = await aws(
          'put-secret-value',
          '--secret-id',
          'cli/app',
          '--secret-string',
          'two',
          '--version-stages',
          'STAGED',
        );
        await aws(
          'update-secret-version-stage',
          '--secret-id',
          'cli/app',
          '--version-stage',
          'AWSCURRENT',
          '--move-to-version-id',
          String(put.VersionId),
          '--remove-from-version-id',
          String(first.VersionId),
        );
        const current = await aws('get-secret-value', '--secret-id', 'cli/app');
        const rotation = await aws('rotate-secret', '--secret-id', DEMO);
        await vi.waitFor(
          async () => {
            const described = await aws('describe-secret', '--secret-id', DEMO);
            expect(
              (described.VersionIdsToStages as Record<string, string[]>)[String(rotation.VersionId)],
            ).toEqual(['AWSCURRENT']);
          },
          { timeout: 20_000, interval: 200 },
        );
        const described = await aws('describe-secret', '--secret-id', 'cli/app');
        const versions = await aws('list-secret-version-ids', '--secret-id', DEMO);

        // Assess
        expect(created.Name).toBe('cli/app');
        expect(first.SecretString).toBe('one');
        expect(current).toMatchObject({ SecretString: 'two', VersionId: put.VersionId });
        expect((current.VersionStages as string[]).sort()).toEqual(['AWSCURRENT', 'STAGED']);
        expect(described.Tags).toEqual([{ Key: 'team', Value: 'a' }]);
        expect(described.VersionIdsToStages).toEqual({
          [String(first.VersionId)]: ['AWSPREVIOUS'],
          [String(put.VersionId)]: expect.arrayContaining(['AWSCURRENT', 'STAGED']),
        });
        const stages = (versions.Versions as { VersionId: string; VersionStages: string[] }[]).map(
          (v) => v.VersionStages,
        );
        expect(stages).toEqual(expect.arrayContaining([['AWSPREVIOUS'], ['AWSCURRENT']]));
      } finally {
        await local.stop();
      }
    },
  );
});

describe('Class: LocalStorage (through rotor local)', () => {
  it('keeps secrets, versions, tags and rotation configuration across Ctrl-C and kill -9, never in plaintext', async () => {
    // Prepare
    const dir = dataDir();
    const first = await startRotorLocal(dir);
    const sm = client(first.endpoint);
    const created = await sm.send(
      new CreateSecretCommand({
        Name: 'persist/app',
        SecretString: MARKER,
        Tags: [{ Key: 'team', Value: 'core' }],
      }),
    );
    await sm.send(new PutSecretValueCommand({ SecretId: 'persist/app', SecretString: `${MARKER}-2` }));
    await sm.send(
      new RotateSecretCommand({
        SecretId: DEMO,
        RotationRules: { AutomaticallyAfterDays: 7 },
        ExternalSecretRotationMetadata: [{ Key: 'apiVersion', Value: 'v65.0' }],
      }),
    );
    const demoBefore = await vi.waitFor(
      async () => {
        const described = await sm.send(new DescribeSecretCommand({ SecretId: DEMO }));
        expect(described.LastRotatedDate).toBeDefined();
        return described;
      },
      { timeout: 20_000, interval: 100 },
    );
    const appBefore = await sm.send(new DescribeSecretCommand({ SecretId: 'persist/app' }));
    sm.destroy();
    const afterFirst = filesContaining(dir, MARKER);

    // Act: Ctrl-C, restart, kill -9, restart
    const stopped = await first.stop();
    const afterStop = filesContaining(dir, MARKER);
    const second = await startRotorLocal(dir);
    const sm2 = client(second.endpoint);
    const appAfterRestart = await sm2.send(new DescribeSecretCommand({ SecretId: 'persist/app' }));
    sm2.destroy();
    await second.kill9();
    const afterKill = filesContaining(dir, MARKER);
    const third = await startRotorLocal(dir);
    const sm3 = client(third.endpoint);
    const app = await sm3.send(new DescribeSecretCommand({ SecretId: 'persist/app' }));
    const value = await sm3.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    const previous = await sm3.send(
      new GetSecretValueCommand({ SecretId: 'persist/app', VersionStage: 'AWSPREVIOUS' }),
    );
    // (The demo secret's value is re-pointed at each start's fresh simulator; its configuration stays.)
    const demo = await sm3.send(new DescribeSecretCommand({ SecretId: DEMO }));
    sm3.destroy();
    await third.stop();

    // Assess
    expect(stopped).toBe(0);
    expect(appAfterRestart).toEqual({ ...appBefore, $metadata: appAfterRestart.$metadata });
    expect(app).toEqual({ ...appBefore, $metadata: app.$metadata });
    expect(value.SecretString).toBe(`${MARKER}-2`);
    expect(previous.SecretString).toBe(MARKER);
    expect(app.Tags).toEqual([{ Key: 'team', Value: 'core' }]);
    expect(demo).toMatchObject({
      RotationEnabled: true,
      RotationRules: { AutomaticallyAfterDays: 7 },
      ExternalSecretRotationMetadata: [{ Key: 'apiVersion', Value: 'v65.0' }],
      LastRotatedDate: demoBefore.LastRotatedDate,
    });
    expect([afterFirst, afterStop, afterKill, filesContaining(dir, MARKER)]).toEqual([[], [], [], []]);
    expect(readdirSync(dir).sort()).toEqual(
      expect.arrayContaining(['identity.json', 'master.key', 'rotor.db']),
    );
  });

  it('after kill -9 in the middle of writes, holds every acknowledged write and no half-written one', async () => {
    // Prepare
    const dir = dataDir();
    const first = await startRotorLocal(dir);
    const sm = client(first.endpoint);
    await sm.send(new CreateSecretCommand({ Name: 'crash/app', SecretString: 'v-0' }));
    const acknowledged = new Map<string, string>();
    const attempted = new Set<string>(['v-0']);
    let next = 1;
    const writer = async () => {
      while (next <= 80) {
        const value = `v-${next++}`;
        attempted.add(value);
        const output = await sm.send(
          new PutSecretValueCommand({ SecretId: 'crash/app', SecretString: value }),
        );
        acknowledged.set(output.VersionId!, value);
      }
    };

    // Act: four writers in flight, killed once some writes are acknowledged
    const writers = Array.from({ length: 4 }, () => writer().catch(() => undefined));
    await vi.waitFor(() => expect(acknowledged.size).toBeGreaterThanOrEqual(20), {
      timeout: 20_000,
      interval: 5,
    });
    await first.kill9();
    await Promise.all(writers);
    sm.destroy();
    const second = await startRotorLocal(dir);
    const sm2 = client(second.endpoint);
    const versions = await sm2.send(
      new ListSecretVersionIdsCommand({ SecretId: 'crash/app', IncludeDeprecated: true }),
    );
    const values = new Map<string, string>();
    for (const version of versions.Versions ?? []) {
      const read = await sm2.send(
        new GetSecretValueCommand({ SecretId: 'crash/app', VersionId: version.VersionId }),
      );
      values.set(version.VersionId!, read.SecretString!);
    }
    const current = await sm2.send(new GetSecretValueCommand({ SecretId: 'crash/app' }));
    sm2.destroy();
    await second.stop();

    // Assess
    for (const [versionId, value] of acknowledged) expect(values.get(versionId)).toBe(value);
    for (const value of values.values()) expect(attempted.has(value)).toBe(true);
    const labelled = (versions.Versions ?? []).filter((v) => (v.VersionStages ?? []).length > 0);
    expect(labelled.flatMap((v) => v.VersionStages).sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
    expect(attempted.has(current.SecretString!)).toBe(true);
  });
});
