/**
 * Inline validation with the same JSON Schema and the same ajv settings as the engine
 * (`src/runtime/validation.ts`: strict, all errors, ajv-formats), turned into one message per
 * field that says what to fix. The server validates again with `assertValid`.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldSpec } from './mapping.ts';

// ajv-formats is CommonJS; depending on the bundler its default export sits one level down.
const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: false });
addFormats(ajv);

const compiled = new Map<string, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  const key = ((schema as { $id?: string }).$id ?? '') || JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    const { $id: _id, ...rest } = schema as { $id?: string };
    validate = ajv.compile(rest);
    compiled.set(key, validate);
  }
  return validate;
}

function messageFor(error: ErrorObject, field: FieldSpec | undefined, name: string): string {
  const label = field?.label ?? name;
  const hint = field?.description ? ` ${field.description}` : '';
  switch (error.keyword) {
    case 'required':
      return `Enter ${label}.${hint}`;
    case 'pattern':
    case 'format':
      return `${label} is not in the expected format.${hint}`;
    case 'minLength':
      return `${label} must have at least ${(error.params as { limit: number }).limit} characters.`;
    case 'maxLength':
      return `${label} must have at most ${(error.params as { limit: number }).limit} characters.`;
    case 'additionalProperties':
      return `${(error.params as { additionalProperty: string }).additionalProperty} is not a field of this form.`;
    case 'enum':
      return `Choose one of the listed values for ${label}.`;
    default:
      return `${label} ${error.message ?? 'is invalid'}.`;
  }
}

/**
 * Field name → what to fix, for every invalid field (empty when the document is valid).
 *
 * @example
 * ```ts
 * const errors = fieldErrors(manifest.secretSchema, fields, documentFrom(fields, values));
 * errors.consumerKey; // "Enter Consumer key. The External Client App's OAuth consumer key…"
 * ```
 */
export function fieldErrors(
  schema: object,
  fields: readonly FieldSpec[],
  document: Record<string, unknown>,
): Record<string, string> {
  const validate = compile(schema);
  if (validate(document)) return {};
  const byName = new Map(fields.map((field) => [field.name, field]));
  const errors: Record<string, string> = {};
  for (const error of validate.errors ?? []) {
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    const name =
      params.missingProperty ??
      params.additionalProperty ??
      error.instancePath.replace(/^\//, '').split('/')[0] ??
      '';
    errors[name] ??= messageFor(error, byName.get(name), name);
  }
  return errors;
}
