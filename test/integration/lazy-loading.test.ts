/**
 * A rotation loads only its own partner's code: run one in a child process with a module-loading
 * hook that records every URL, and check which plugin files were loaded.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffoldPartner } from '../../src/kit/scaffold.ts';
import { CATALOG_FILE, readCatalog } from '../../src/runtime/catalog-file.ts';
import { trustedPublicKey } from '../../src/runtime/catalog-signature.ts';
import { REPO_ROOT } from '../../src/runtime/plugin-files.ts';
import {
  createSalesforceSecret,
  type SalesforceBench,
  startSalesforceBench,
} from '../support/salesforce-bench.ts';

const run = promisify(execFile);
let bench: SalesforceBench;
let logDir: string;
/** A second plugin the child may load (unvetted plugins allowed), so "no other partner" is not vacuous. */
let secondPlugin: string;

beforeAll(async () => {
  bench = await startSalesforceBench();
  logDir = mkdtempSync(join(tmpdir(), 'rotor-loads-'));
  const kitDir = mkdtempSync(join(REPO_ROOT, 'tmp-lazy-'));
  secondPlugin = scaffoldPartner({
    type: 'LazyProbeApiKey',
    dir: join(kitDir, 'lazy-probe-api-key'),
    schemasDir: join(kitDir, 'schemas'),
  }).dir;
});
afterAll(async () => {
  await bench.close();
  rmSync(logDir, { recursive: true, force: true });
  rmSync(join(secondPlugin, '..'), { recursive: true, force: true });
});

describe('Function: RotationEngine (lazy plugin loading)', () => {
  it('loads the rotated partner’s rotator, not its simulator, tests or any other partner’s files', async () => {
    // Prepare
    const secret = await createSalesforceSecret(bench);
    const before = await bench.valueAt(secret.arn, 'AWSCURRENT');
    const token = await bench.startRotation(secret);
    const logFile = join(logDir, 'loads.txt');
    const others = readCatalog(join(REPO_ROOT, CATALOG_FILE), trustedPublicKey()).filter(
      (entry) => entry.type !== 'SalesforceClientSecret',
    );

    // Act
    await run(process.execPath, [join(REPO_ROOT, 'test/integration/fixtures/rotate-in-child.mjs')], {
      env: {
        ...process.env,
        ROTOR_LOAD_LOG: logFile,
        ROTOR_ENDPOINT: bench.endpoint,
        ROTOR_SECRET_ARN: secret.arn,
        ROTOR_TOKEN: token,
        ROTOR_ALLOW_UNVETTED: '1',
        ROTOR_PLUGIN_DIRS: secondPlugin,
      },
    });
    const loaded = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((url) => url.startsWith('file://'))
      .map((url) => url.slice(`file://${REPO_ROOT}`.length).replace(/^\//, ''));

    // Assess
    expect((await bench.valueAt(secret.arn, 'AWSCURRENT')).consumerKey).not.toBe(before.consumerKey);
    expect(loaded).toContain('partners/salesforce/rotator.ts');
    expect(loaded).toContain('partners/salesforce/api.ts');
    expect(loaded.filter((file) => file.startsWith('partners/salesforce/simulator/'))).toEqual([]);
    expect(loaded.filter((file) => /^partners\/[^/]+\/test\//.test(file))).toEqual([]);
    expect(loaded.filter((file) => file.startsWith(relative(REPO_ROOT, secondPlugin)))).toEqual([]);
    for (const entry of others) {
      expect(loaded.filter((file) => file in entry.files || file.startsWith(`${entry.path}/`))).toEqual([]);
    }
  });
});
