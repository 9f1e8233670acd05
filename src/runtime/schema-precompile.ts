/**
 * Build-time half of `precompiled-validators.ts`: ajv's standalone code for a set of schemas, as
 * the module a bundle carries instead of the empty one. Compiled with the same options as at run
 * time (`AJV_OPTIONS`), so a validator reports the same errors either way.
 */
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import type { JsonSchema } from './partner.ts';
import { createAjv } from './schema-compiler.ts';

// ajv's standalone entry is CommonJS; under NodeNext its default export sits one level down.
const standaloneCode = standaloneCodeModule as unknown as typeof standaloneCodeModule.default;

/**
 * The source of a module exporting `precompiledValidators`, keyed by `JSON.stringify(schema)`.
 * Duplicate schemas are compiled once. Its `require()`s of ajv's runtime helpers are resolved by
 * the bundler.
 *
 * @throws when a schema does not compile with strict ajv (the build fails, as it should).
 * @example
 * ```ts
 * const source = precompiledValidatorsSource([manifest.secretSchema, manifest.metadataSchema]);
 * ```
 */
export function precompiledValidatorsSource(schemas: readonly JsonSchema[]): string {
  const ajv = createAjv({ code: { source: true, esm: true } });
  const refs = new Map<string, string>();
  for (const schema of schemas) {
    const key = JSON.stringify(schema);
    if (refs.has(key)) continue;
    const name = `validator${refs.size}`;
    const id = typeof schema.$id === 'string' ? schema.$id : undefined;
    if (id) ajv.addSchema(schema);
    else ajv.addSchema(schema, name);
    refs.set(key, id ?? name);
  }
  const exports = Object.fromEntries([...refs.values()].map((ref, i) => [`validator${i}`, ref]));
  const entries = [...refs.keys()].map((key, i) => `[${JSON.stringify(key)}, validator${i}]`).join(',\n  ');
  return `${standaloneCode(ajv, exports)}\nexport const precompiledValidators = new Map([\n  ${entries},\n]);\n`;
}
