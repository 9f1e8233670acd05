/**
 * Schema checks, fail closed (I6). Each schema is compiled once with strict ajv (ahead of time in a
 * bundle); a failure becomes
 * an {@link InvalidConfigurationError} that names the field and the fix, and never echoes the
 * offending value (it may be a secret).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InvalidConfigurationError } from '../engine/errors.ts';
import type { JsonSchema } from './partner.ts';
import { precompiledValidators } from './precompiled-validators.ts';
import { compileAtRunTime } from './schema-compiler.ts';

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/**
 * The validator of a schema: compiled at build time (a bundle), else compiled once with strict ajv.
 *
 * @throws when the schema itself is not strict-valid.
 */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = precompiledValidators.get(JSON.stringify(schema)) ?? compileAtRunTime(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function fieldOf(error: ErrorObject): string {
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (missing) return path ? `${path}.${missing}` : missing;
  if (extra) return path ? `${path}.${extra}` : extra;
  return path || '(root)';
}

function describeError(error: ErrorObject, schema: JsonSchema): string {
  const field = fieldOf(error);
  const properties = (schema.properties ?? {}) as Record<string, { description?: string }>;
  const hint = properties[field]?.description;
  switch (error.keyword) {
    case 'required':
      return `field "${field}" is required${hint ? ` (${hint})` : ''}`;
    case 'additionalProperties':
      return `field "${field}" is not allowed; remove it (allowed: ${Object.keys(properties).join(', ')})`;
    default:
      return `field "${field}" ${error.message ?? 'is invalid'}${hint ? `; expected: ${hint}` : ''}`;
  }
}

/**
 * Validates `data` against `schema`.
 *
 * @param what - names the document in the error, e.g. `SalesforceClientSecret secret value`.
 * @throws {InvalidConfigurationError} naming the first failing field and the fix.
 * @example
 * ```ts
 * assertValid(manifest.secretSchema, value, 'SalesforceClientSecret secret value');
 * ```
 */
export function assertValid<T>(schema: JsonSchema, data: unknown, what: string): asserts data is T {
  const validate = compileSchema(schema);
  if (validate(data)) return;
  const errors = validate.errors ?? [];
  const first = errors[0];
  const details = errors.map((error) => describeError(error, schema));
  throw new InvalidConfigurationError(`Invalid ${what}: ${details.join('; ')}.`, {
    field: first ? fieldOf(first) : undefined,
  });
}

/** Parses a `SecretString` as a JSON object, failing closed with a typed error. */
export function parseSecretString(secretString: string | undefined, what: string): Record<string, unknown> {
  if (secretString === undefined) {
    throw new InvalidConfigurationError(
      `Invalid ${what}: the secret has no SecretString; store the value as JSON text.`,
      {
        field: 'SecretString',
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // Deliberately no cause: a JSON.parse error quotes the text it choked on.
    throw new InvalidConfigurationError(
      `Invalid ${what}: SecretString is not valid JSON; store a JSON object.`,
      {
        field: 'SecretString',
      },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidConfigurationError(`Invalid ${what}: SecretString must be a JSON object.`, {
      field: 'SecretString',
    });
  }
  return parsed as Record<string, unknown>;
}
