import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/runtime/plugin-files.ts';
import { precompiledValidatorsSource } from '../../src/runtime/schema-precompile.ts';
import { compileSchema } from '../../src/runtime/validation.ts';

const workDir = mkdtempSync(join(tmpdir(), 'rotor-precompile-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Bundles the generated module as scripts/build.mjs does and imports it. */
async function loadGenerated(source: string): Promise<ReadonlyMap<string, ValidateFunction>> {
  const result = await build({
    stdin: { contents: source, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  const file = join(workDir, `validators-${Date.now()}.mjs`);
  writeFileSync(file, result.outputFiles[0]?.text ?? '');
  return (await import(pathToFileURL(file).href)).precompiledValidators;
}

const schema = {
  $id: 'https://rotor.example/test/precompiled.json',
  type: 'object',
  additionalProperties: false,
  required: ['url', 'name'],
  properties: {
    url: { type: 'string', format: 'uri' },
    name: { type: 'string', minLength: 1, maxLength: 5 },
  },
};
const withoutId = { type: 'object', additionalProperties: false, properties: { n: { type: 'integer' } } };

describe('Function: precompiledValidatorsSource', () => {
  it('builds validators keyed by the schema JSON that judge values as the run-time ajv does', async () => {
    // Prepare
    const values: unknown[] = [
      { url: 'https://example.com', name: 'ok' },
      { url: 'not a uri', name: 'far too long' },
      { url: 'https://example.com' },
      { url: 'https://example.com', name: 'ok', extra: 1 },
      'not an object',
    ];
    const atRunTime = compileSchema(structuredClone(schema));

    // Act
    const validators = await loadGenerated(precompiledValidatorsSource([schema, withoutId, schema]));
    const precompiled = validators.get(JSON.stringify(schema));

    // Assess
    expect(validators.size).toBe(2);
    expect(validators.get(JSON.stringify(withoutId))?.({ n: 1 })).toBe(true);
    expect(precompiled).toBeDefined();
    for (const value of values) {
      const expected = atRunTime(value);
      expect(precompiled?.(value)).toBe(expected);
      expect(precompiled?.errors ?? null).toEqual(atRunTime.errors ?? null);
    }
  });

  it('fails the build on a schema strict ajv refuses', () => {
    // Act / Assess
    expect(() => precompiledValidatorsSource([{ type: 'object', propertees: {} }])).toThrow(/propertees/);
  });
});
