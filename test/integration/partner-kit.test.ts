/**
 * The partner-author kit as an author uses it: `rotor partner new` into a folder of this checkout,
 * Biome over the result, then `rotor partner test` (the plugin's own tests and the conformance
 * suite against it); `rotor partner list` of the committed catalog.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/runtime/plugin-files.ts';

const exec = promisify(execFile);
const ROTOR = join(REPO_ROOT, 'bin/rotor.mjs');
const BIOME = join(REPO_ROOT, 'node_modules/@biomejs/biome/bin/biome');
let tmp: string;

/** Runs rotor; resolves with its output and exit code instead of throwing. */
async function rotor(args: string[], env: NodeJS.ProcessEnv = {}) {
  // The outer vitest's worker variables would confuse the inner one.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  return exec(process.execPath, [ROTOR, ...args], { cwd: REPO_ROOT, env: { ...clean, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

beforeAll(() => {
  tmp = mkdtempSync(join(REPO_ROOT, 'tmp-kit-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('Command: rotor partner new', () => {
  it('scaffolds a plugin that lints, passes its own tests and the conformance suite', async () => {
    // Prepare
    const dir = join(tmp, 'kit-probe-api-key');

    // Act
    const created = await rotor([
      'partner',
      'new',
      'KitProbeApiKey',
      '--dir',
      dir,
      '--schemas-dir',
      join(tmp, 'schemas'),
    ]);
    const lint = await exec(process.execPath, [BIOME, 'check', tmp], { cwd: REPO_ROOT }).then(
      () => 0,
      (error: { code: number; stdout: string }) => error,
    );
    const tested = await rotor(['partner', 'test', dir]);

    // Assess
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Scaffolded KitProbeApiKey/);
    expect(lint).toBe(0);
    expect(tested.code, `${tested.stdout}\n${tested.stderr}`).toBe(0);
    expect(tested.stdout).toMatch(/3 passed/);
    expect(tested.stdout).toMatch(/11 passed/);
    expect(tested.stdout).toMatch(/plugin tests and conformance suite passed/);
  }, 120_000);

  it('refuses a Type that is not PascalCase, and a folder that is not empty', async () => {
    // Act
    const badType = await rotor(['partner', 'new', 'bad-type', '--dir', join(tmp, 'bad')]);
    const taken = await rotor([
      'partner',
      'new',
      'OtherApiKey',
      '--dir',
      join(REPO_ROOT, 'partners/salesforce'),
    ]);

    // Assess
    expect(badType.code).toBe(1);
    expect(badType.stderr).toMatch(/Invalid partner Type "bad-type": use PascalCase/);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/is not empty; choose another with --dir/);
  });
});

describe('Command: rotor partner list', () => {
  it('shows every catalog partner with its version, title and digest status', async () => {
    // Act
    const listed = await rotor(['partner', 'list', '--json']);

    // Assess
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toContainEqual({
      type: 'SalesforceClientSecret',
      version: '1.0.0',
      title: 'Salesforce External Client App',
      path: 'partners/salesforce',
      status: 'vetted, digest ok',
    });
  });

  it('warns loudly when unvetted plugins are allowed', async () => {
    // Act
    const flagged = await rotor(['--allow-unvetted', 'partner', 'list']);
    const viaEnv = await rotor(['partner', 'list'], { ROTOR_ALLOW_UNVETTED: '1' });

    // Assess
    expect(flagged.stderr).toMatch(/WARNING: UNVETTED partner plugins are allowed/);
    expect(viaEnv.stderr).toMatch(/WARNING: UNVETTED partner plugins are allowed/);
  });
});
