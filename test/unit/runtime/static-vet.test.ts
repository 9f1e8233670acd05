import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findImports, forbiddenModule, vetPluginSource } from '../../../src/kit/static-vet.ts';
import { StaticVettingError } from '../../../src/runtime/errors.ts';
import { REPO_ROOT } from '../../../src/runtime/plugin-files.ts';
import { makePluginRoot, type PluginRoot } from '../../support/plugin-root.ts';

describe('Function: findImports', () => {
  it('sees every way of importing a module, and skips type-only imports', () => {
    // Prepare
    const source = [
      "import net from 'node:net';",
      "import * as fsp from 'fs/promises';",
      "export { request } from 'https';",
      "import tls = require('tls');",
      "const cp = require('child_process');",
      "const dns = await import('node:dns');",
      "import type { Server } from 'node:http';",
      "import { type Agent } from 'node:http2';",
      'const dynamic = await import(name);',
    ].join('\n');

    // Act
    const sites = findImports('rotator.ts', source);

    // Assess
    expect(sites.map((s) => [s.line, s.kind, s.module])).toEqual([
      [1, 'import', 'node:net'],
      [2, 'import', 'fs/promises'],
      [3, 'export-from', 'https'],
      [4, 'import-equals', 'tls'],
      [5, 'require', 'child_process'],
      [6, 'dynamic-import', 'node:dns'],
      [8, 'import', 'node:http2'],
      [9, 'dynamic-import', undefined],
    ]);
  });

  it('knows the forbidden builtins with and without node:, and leaves others alone', () => {
    // Assess
    expect(['node:fs', 'fs/promises', 'node:worker_threads', 'vm', 'process'].map(forbiddenModule)).toEqual([
      'fs',
      'fs/promises',
      'worker_threads',
      'vm',
      'process',
    ]);
    expect(['node:crypto', 'jsforce', './api.ts', 'node:url'].map(forbiddenModule)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('Function: vetPluginSource', () => {
  let root: PluginRoot;

  beforeEach(async () => {
    root = await makePluginRoot({ vetSalesforce: false });
  });
  afterEach(() => {
    root.remove();
  });

  function addRotatorFile(source: string): void {
    writeFileSync(join(root.rootDir, 'partners/salesforce/sneaky.ts'), source);
  }
  const salesforce = { type: 'SalesforceClientSecret' };

  it('passes the shipped Salesforce plugin (jsforce is not a builtin; its simulator is not vetted)', () => {
    // Act
    const sites = vetPluginSource(REPO_ROOT, 'partners/salesforce', salesforce);

    // Assess
    expect(sites.some((s) => s.module?.startsWith('jsforce'))).toBe(true);
    expect(sites.some((s) => s.file.includes('/simulator/'))).toBe(false);
  });

  it.each([
    ["import { request } from 'node:https';", /sneaky.ts:1 imports "node:https"/],
    ["const { exec } = require('child_process');", /imports "child_process"/],
    ["const fs = await import('fs');", /imports "fs"/],
    ["const m = 'node:net'; await import(m);", /whose module is not a string literal/],
    ["const r = await fetch('https://evil.example.net');", /sneaky.ts:1 uses the global "fetch"/],
    ['export const env = process.env.HOME;', /uses the global "process"/],
    ["export const g = globalThis['fet' + 'ch'];", /uses the global "globalThis"/],
    [
      "import other from '../other-partner/rotator.ts';",
      /imports partners\/other-partner\/rotator.ts, outside the plugin/,
    ],
  ])('refuses %s, naming the file, the line and the fix', (source, message) => {
    // Prepare
    addRotatorFile(source);

    // Act
    const act = () => vetPluginSource(root.rootDir, 'partners/salesforce', salesforce);

    // Assess
    expect(act).toThrow(StaticVettingError);
    expect(act).toThrow(message);
    expect(act).toThrow(/SalesforceClientSecret/);
  });

  it('ignores property names and local bindings that share a global name', () => {
    // Prepare
    addRotatorFile(
      'export function f(fetch: () => void, o: { process: number }) {\n  const eval2 = o.process;\n  return { fetch, process: eval2 };\n}\nexport const g = () => fetch;\n',
    );

    // Act
    const sites = findImports(
      'partners/salesforce/sneaky.ts',
      readFileSync(join(root.rootDir, 'partners/salesforce/sneaky.ts'), 'utf8'),
    );

    // Assess
    expect(sites.filter((s) => s.kind === 'global' && s.file.endsWith('sneaky.ts'))).toEqual([
      { file: 'partners/salesforce/sneaky.ts', line: 5, module: 'fetch', kind: 'global' },
    ]);
  });

  it('accepts a forbidden import the manifest declares as a reviewed exception', () => {
    // Prepare
    addRotatorFile("import { lookup } from 'node:dns';\nexport { lookup };\n");

    // Act
    const sites = vetPluginSource(root.rootDir, 'partners/salesforce', {
      ...salesforce,
      reviewedImports: [
        { module: 'node:dns', reason: 'SRV lookup of the tenant host; reviewed by the lead' },
      ],
    });

    // Assess
    expect(sites.some((s) => s.module === 'node:dns')).toBe(true);
  });

  it('does not hold the simulator or tests to the rule', () => {
    // Prepare
    mkdirSync(join(root.rootDir, 'partners/salesforce/test'), { recursive: true });
    writeFileSync(join(root.rootDir, 'partners/salesforce/test/x.test.ts'), "import 'node:http';\n");
    writeFileSync(join(root.rootDir, 'partners/salesforce/simulator/extra.ts'), "import 'node:net';\n");

    // Act
    const sites = vetPluginSource(root.rootDir, 'partners/salesforce', salesforce);

    // Assess
    expect(sites.every((s) => !s.file.includes('/test/') && !s.file.includes('/simulator/'))).toBe(true);
  });
});
