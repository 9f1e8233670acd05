/**
 * Schema validators compiled at build time. From source this map is empty and every schema is
 * compiled by ajv on first use. `scripts/build.mjs` replaces this module's contents when it bundles
 * a handler (see `schema-precompile.ts`): compiling a schema with ajv takes milliseconds of CPU on
 * every cold start, and a handler's schemas — Rotor's own and each vetted partner's — are known at
 * build time.
 */
import type { ValidateFunction } from 'ajv';

/** Validators by `JSON.stringify(schema)`. */
export const precompiledValidators: ReadonlyMap<string, ValidateFunction> = new Map();
