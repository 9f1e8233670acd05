/**
 * The artifact, not the sources: builds the handlers with the production build (esbuild, split
 * partner chunks) and runs the bundled rotation and revocation handlers in a child Node process
 * against the local Secrets Manager endpoint and the Salesforce simulator, configured only through
 * the environment, as Lambda would run them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltFunction, buildHandlers } from '../../scripts/build.mjs';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { LOCAL_CREDENTIALS } from '../../src/local/stack.ts';
import { ACCOUNT_ID, ROTATION_TOKEN, stepEvent } from '../support/bench.ts';
import {
  createSalesforceSecret,
  type SalesforceBench,
  startSalesforceBench,
} from '../support/salesforce-bench.ts';

const run = promisify(execFile);
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:rotor-rotation`;

// What the child runs: import the bundle, invoke its handler once per event, print each result.
const DRIVER = `
const [bundle, events, functionArn] = process.argv.slice(2);
const { handler } = await import(bundle);
for (const event of JSON.parse(events)) {
  const result = await handler(event, { invokedFunctionArn: functionArn });
  process.stdout.write('RESULT ' + JSON.stringify(result ?? null) + '\\n');
}
`;

let bench: SalesforceBench;
let workDir: string;
let built: BuiltFunction[];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'rotor-packaged-'));
  [built, bench] = await Promise.all([
    buildHandlers({ outDir: join(workDir, 'dist') }),
    startSalesforceBench(),
  ]);
  await writeFile(join(workDir, 'driver.mjs'), DRIVER);
});
afterAll(async () => {
  await bench?.close();
  await rm(workDir, { recursive: true, force: true });
});

function bundleOf(logicalId: string): string {
  const fn = built.find((f) => f.logicalId === logicalId);
  if (!fn) throw new Error(`${logicalId} was not built`);
  return pathToFileURL(join(fn.outdir, `${fn.handler.split('.')[0]}.mjs`)).href;
}

/** Runs a bundled handler in a fresh Node process with a Lambda-like environment. */
async function invokeBundle(logicalId: string, events: unknown[], extraEnv: Record<string, string> = {}) {
  const { stdout, stderr } = await run(
    process.execPath,
    [
      '--enable-source-maps',
      join(workDir, 'driver.mjs'),
      bundleOf(logicalId),
      JSON.stringify(events),
      FUNCTION_ARN,
    ],
    {
      cwd: workDir,
      timeout: 30_000,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_ENDPOINT_URL: bench.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        ROTOR_SIMULATOR_MODE: 'true',
        ...extraEnv,
      },
    },
  );
  const results = stdout
    .split('\n')
    .filter((line) => line.startsWith('RESULT '))
    .map((line) => JSON.parse(line.slice('RESULT '.length)) as unknown);
  return { results, output: stdout + stderr };
}

describe('Function: handler (bundled rotation.mjs)', () => {
  it('rotates a Salesforce secret through all four steps and logs no secret', async () => {
    // Prepare
    const secret = await createSalesforceSecret(bench);
    const token = await bench.startRotation(secret);
    const before = await bench.valueAt(secret.arn, 'AWSCURRENT');

    // Act
    const { results, output } = await invokeBundle(
      'RotationFunction',
      ROTATION_STEPS.map((step) => stepEvent(secret.arn, token, step)),
    );

    // Assess
    expect(results).toHaveLength(4);
    const after = await bench.valueAt(secret.arn, 'AWSCURRENT');
    expect(after.consumerKey).not.toBe(before.consumerKey);
    expect(bench.sim.authenticates(after.consumerKey ?? '', after.consumerSecret ?? '')).toBe(true);
    expect(output).toContain('"step":"finishSecret"');
    for (const secret of [
      before.consumerSecret,
      after.consumerKey,
      after.consumerSecret,
      ROTATION_TOKEN,
      token,
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});

describe('Function: handler (bundled revocation.mjs)', () => {
  it('revokes the rotated-out credential once the grace period is over', async () => {
    // Prepare: an app of its own, so the first test's rotation does not share its staged slot.
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    await invokeBundle(
      'RotationFunction',
      ROTATION_STEPS.map((step) => stepEvent(secret.arn, token, step)),
    );
    const previous = await bench.valueAt(secret.arn, 'AWSPREVIOUS');
    expect(bench.sim.authenticates(previous.consumerKey ?? '', previous.consumerSecret ?? '')).toBe(true);

    // Act
    const { results } = await invokeBundle(
      'RevocationFunction',
      [{ secretArn: secret.arn, rotatedVersionId: token }],
      {
        ROTOR_GRACE_PERIOD_SECONDS: '0',
      },
    );

    // Assess
    expect(results).toEqual([{ secretArn: secret.arn, revoked: true, reason: 'revoked' }]);
    expect(bench.sim.authenticates(previous.consumerKey ?? '', previous.consumerSecret ?? '')).toBe(false);
  });
});

describe('Command: npm run build (output)', () => {
  it('keeps partner code out of the entry files: the Salesforce rotator is a lazily imported chunk', async () => {
    // Prepare
    const rotation = built.find((f) => f.logicalId === 'RotationFunction') as BuiltFunction;
    const entry = await readFile(join(rotation.outdir, 'rotation.mjs'), 'utf8');
    const chunks = await readdir(join(rotation.outdir, 'chunks'));

    // Act
    const rotatorChunks = chunks.filter((name) => name.startsWith('rotator-') && name.endsWith('.mjs'));
    const codeOf = (name: string) => readFile(join(rotation.outdir, 'chunks', name), 'utf8');
    let rotatorChunk: string | undefined;
    for (const name of rotatorChunks)
      if ((await codeOf(name)).includes('"SalesforceApi"')) rotatorChunk = name;
    const rotatorCode = await codeOf(rotatorChunk ?? 'missing');

    // Assess
    expect(rotatorChunk).toBeDefined();
    expect(rotation.loadedAtStart).toContain('rotation.mjs');
    // One rotator chunk per catalog partner, none of them loaded at a cold start.
    expect(rotatorChunks.length).toBeGreaterThanOrEqual(2);
    expect(rotation.loadedAtStart.filter((file) => file.includes('rotator-'))).toEqual([]);
    // The Salesforce API client (names kept by the build) and jsforce live in the chunk only.
    expect(rotatorCode).toContain('"SalesforceApi"');
    expect(rotatorCode).toContain('jsforce');
    expect(entry).not.toContain('"SalesforceApi"');
    expect(entry).not.toContain('jsforce');
  });

  it('loads at a cold start only what the first step needs: no X-Ray SDK, EventBridge or Scheduler client', () => {
    // Prepare
    const rotation = built.find((f) => f.logicalId === 'RotationFunction') as BuiltFunction;

    // Act
    const packages = rotation.packagesAtStart;

    // Assess: the Secrets Manager client is there (so the list is not vacuous), the rest loads lazily.
    expect(packages).toContain('@aws-sdk/client-secrets-manager');
    expect(packages).not.toContain('aws-xray-sdk-core');
    expect(packages).not.toContain('@aws-lambda-powertools/tracer');
    expect(packages).not.toContain('@aws-sdk/client-eventbridge');
    expect(packages).not.toContain('@aws-sdk/client-scheduler');
  });

  it('carries no schema compiler: every schema was compiled at build time (the rotation above validated with them)', async () => {
    // Prepare
    const rotation = built.find((f) => f.logicalId === 'RotationFunction') as BuiltFunction;
    const code = rotation.files.filter((f) => f.file.endsWith('.mjs'));

    // Act
    const withCompiler: string[] = [];
    for (const { file } of code)
      if ((await readFile(join(rotation.outdir, file), 'utf8')).includes('_compileSchemaEnv'))
        withCompiler.push(file);

    // Assess: ajv's compiler (its `_compileSchemaEnv` method) is in none of the bundle's files.
    expect(code.length).toBeGreaterThan(1);
    expect(withCompiler).toEqual([]);
  });
});
