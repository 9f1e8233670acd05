/**
 * ajv, for schemas not compiled at build time: every schema from source, and none in a bundle —
 * `scripts/build.mjs` compiles a bundle's schemas ahead (`schema-precompile.ts`) and replaces this
 * module with one that refuses, so ajv's compiler is not part of a handler's cold start.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './partner.ts';

// ajv-formats is CommonJS; under NodeNext its default export sits one level down.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** How every schema is compiled, at run time and at build time. */
export const AJV_OPTIONS = { strict: true, allErrors: true, allowUnionTypes: false } as const;

/**
 * A strict ajv with the formats Rotor's schemas use.
 *
 * @example
 * ```ts
 * const ajv = createAjv({ code: { source: true, esm: true } });
 * ```
 */
export function createAjv(extra: ConstructorParameters<typeof Ajv>[0] = {}): Ajv {
  const ajv = new Ajv({ ...AJV_OPTIONS, ...extra });
  addFormats(ajv);
  return ajv;
}

let ajv: Ajv | undefined;

/**
 * Compiles a schema with strict ajv.
 *
 * @throws when the schema itself is not strict-valid.
 * @example
 * ```ts
 * const validate = compileAtRunTime({ type: 'object', additionalProperties: false });
 * ```
 */
export function compileAtRunTime(schema: JsonSchema): ValidateFunction {
  ajv ??= createAjv();
  // The same plugin can be imported twice (a second copy, or a re-vetted version); ajv keeps one
  // schema per $id, so an identical schema reuses its validator and a changed one replaces it.
  const id = typeof schema.$id === 'string' ? schema.$id : undefined;
  const existing = id ? ajv.getSchema(id) : undefined;
  if (id && existing) {
    if (JSON.stringify(existing.schema) === JSON.stringify(schema)) return existing;
    ajv.removeSchema(id);
  }
  return ajv.compile(schema);
}
