/**
 * Figure 3, cold start: a fresh Node process imports the rotation handler and runs its first step
 * (`createSecret`) against the bench's local Secrets Manager endpoint and partner simulator, once
 * from the esbuild bundle (`scripts/build.mjs`, as deployed) and once from the TypeScript sources
 * under tsx. Also the artifact size of every handler, from the build's metafile.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { buildHandlers } from '../../scripts/build.mjs';
import { LOCAL_CREDENTIALS } from '../../src/local/credentials.ts';
import type { BenchServers } from '../servers-client.ts';
import { median, percentile } from '../stats.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const DRIVER = fileURLToPath(new URL('./driver.mjs', import.meta.url));
const ACCOUNT_ID = '000000000000';
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:rotor-rotation`;

/** template.yaml's `Globals.Function.Environment` with its default parameters, Lambda's own variables. */
export const DEPLOYED_ENVIRONMENT = {
  AWS_LAMBDA_FUNCTION_NAME: 'rotor-rotation',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  ROTOR_GRACE_PERIOD_SECONDS: '3600',
  ROTOR_EVENT_BUS_NAME: 'rotor-events',
  ROTOR_SCHEDULE_GROUP: 'rotor-revocations',
  ROTOR_REVOCATION_FUNCTION_ARN: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:rotor-revocation`,
  ROTOR_SCHEDULER_ROLE_ARN: `arn:aws:iam::${ACCOUNT_ID}:role/rotor-scheduler`,
  POWERTOOLS_METRICS_NAMESPACE: 'Rotor',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_TRACE_ENABLED: 'false',
};

export const COLD_START_TARGETS = { bundledMs: 150, artifactBytes: 1.5 * 1024 * 1024, speedup: 3 };

export interface HandlerSize {
  logicalId: string;
  /** Code Node loads when the module is imported: the entry and its static imports. */
  bytesAtColdStart: number;
  /** All code of the artifact, lazily imported partner chunks included (no source maps). */
  bytesTotal: number;
  files: number;
}

export interface VariantFigures {
  /** From process start (`performance.now()` in the child) to the end of the first step. */
  firstStepMsMedian: number;
  firstStepMsP90: number;
  /** From process start to the handler module being imported. */
  importMsMedian: number;
  /** Wall clock in the parent, spawn to exit (adds process creation and teardown). */
  wallMsMedian: number;
  samples: number[];
}

export interface ColdStartFigures {
  partner: string;
  processes: number;
  bundled: VariantFigures;
  unbundled: VariantFigures;
  /** The bundle with the stack's `Tracing` parameter `Active` (not the default): what tracing costs. */
  bundledWithTracing: VariantFigures;
  speedup: number;
  sizes: HandlerSize[];
}

/** A secret in the middle of a rotation, with the token for its first step. */
async function pendingRotation(servers: BenchServers, sm: SecretsManagerClient, type: string, n: number) {
  const { value, metadata } = (await servers.call({ op: 'freshSecret', type })) as {
    value: Record<string, unknown>;
    metadata: Record<string, string>;
  };
  const created = await sm.send(
    new CreateSecretCommand({
      Name: `bench/cold-start/${type}/${Date.now()}-${n}`,
      SecretString: JSON.stringify(value),
      Type: type,
    }),
  );
  const arn = created.ARN ?? '';
  const { VersionId } = await sm.send(
    new RotateSecretCommand({
      SecretId: arn,
      ExternalSecretRotationMetadata: Object.entries(metadata).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  return { Step: 'createSecret', SecretId: arn, ClientRequestToken: VersionId ?? '' };
}

/** With the stack's `Tracing` parameter `Active`: Lambda sets a trace header, the X-Ray SDK loads. */
const TRACING_ENVIRONMENT = {
  POWERTOOLS_TRACE_ENABLED: 'true',
  _X_AMZN_TRACE_ID: 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1',
  // Segments go to a daemon on loopback (none listens; UDP sends are fire-and-forget).
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
};

async function coldProcess(
  servers: BenchServers,
  handlerUrl: string,
  execArgv: string[],
  cwd: string,
  event: unknown,
  extraEnvironment: Record<string, string> = {},
): Promise<{ imported: number; stepDone: number; wall: number }> {
  const started = performance.now();
  const { stdout } = await run(
    process.execPath,
    [...execArgv, DRIVER, handlerUrl, JSON.stringify(event), FUNCTION_ARN],
    {
      cwd,
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_ENDPOINT_URL: servers.ready.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        ROTOR_SIMULATOR_MODE: 'true',
        ROTOR_SIMULATOR_URLS: JSON.stringify(servers.ready.simulators),
        // The rest of the function's environment as template.yaml deploys it by default, so the
        // handler wires what it wires in Lambda (EMF metrics, event bus and scheduler sinks, no
        // tracing); createSecret itself publishes no event.
        ...DEPLOYED_ENVIRONMENT,
        ...extraEnvironment,
      },
    },
  );
  const wall = performance.now() - started;
  const line = stdout.split('\n').find((l) => l.startsWith('COLDSTART '));
  if (!line) throw new Error(`cold-start driver printed no result:\n${stdout.slice(-2000)}`);
  return { ...(JSON.parse(line.slice('COLDSTART '.length)) as { imported: number; stepDone: number }), wall };
}

function summarize(runs: { imported: number; stepDone: number; wall: number }[]): VariantFigures {
  const steps = runs.map((r) => r.stepDone);
  return {
    firstStepMsMedian: median(steps),
    firstStepMsP90: percentile(steps, 90),
    importMsMedian: median(runs.map((r) => r.imported)),
    wallMsMedian: median(runs.map((r) => r.wall)),
    samples: steps.map((ms) => Math.round(ms * 10) / 10),
  };
}

/** Builds the handlers into a temporary folder and measures `processes` cold starts of each kind. */
export async function benchColdStart(
  servers: BenchServers,
  { processes = 10, partner = 'SalesforceClientSecret' } = {},
): Promise<ColdStartFigures> {
  const workDir = await mkdtemp(join(tmpdir(), 'rotor-bench-cold-'));
  try {
    const built = await buildHandlers({ outDir: join(workDir, 'dist') });
    const sizes = built.map((fn) => {
      const code = fn.files.filter((f) => !f.file.endsWith('.map') && !f.file.endsWith('.txt'));
      return {
        logicalId: fn.logicalId,
        bytesAtColdStart: code
          .filter((f) => fn.loadedAtStart.includes(f.file))
          .reduce((sum, f) => sum + f.bytes, 0),
        bytesTotal: code.reduce((sum, f) => sum + f.bytes, 0),
        files: code.length,
      };
    });
    const rotation = built.find((fn) => fn.logicalId === 'RotationFunction');
    if (!rotation) throw new Error('scripts/build.mjs built no RotationFunction');
    const bundledUrl = pathToFileURL(join(rotation.outdir, `${rotation.handler.split('.')[0]}.mjs`)).href;
    const sourceUrl = pathToFileURL(join(root, 'src/handlers/rotation.ts')).href;

    const sm = new SecretsManagerClient({
      endpoint: servers.ready.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    const bundled = [];
    const unbundled = [];
    const traced = [];
    // Interleaved, so drift in the machine's load hits both kinds alike. One untimed run of each
    // first: it warms the OS file cache and tsx's transform cache, as a redeployed Lambda's would be.
    for (let i = 0; i <= processes; i++) {
      const b = await coldProcess(
        servers,
        bundledUrl,
        [],
        workDir,
        await pendingRotation(servers, sm, partner, i),
      );
      const u = await coldProcess(
        servers,
        sourceUrl,
        ['--import', 'tsx', '--no-warnings'],
        root,
        await pendingRotation(servers, sm, partner, i),
      );
      const t = await coldProcess(
        servers,
        bundledUrl,
        [],
        workDir,
        await pendingRotation(servers, sm, partner, i),
        TRACING_ENVIRONMENT,
      );
      if (i === 0) continue;
      bundled.push(b);
      unbundled.push(u);
      traced.push(t);
    }
    sm.destroy();
    const b = summarize(bundled);
    const u = summarize(unbundled);
    return {
      partner,
      processes,
      bundled: b,
      unbundled: u,
      bundledWithTracing: summarize(traced),
      speedup: u.firstStepMsMedian / b.firstStepMsMedian,
      sizes,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
