/**
 * Maps a partner's JSON Schema onto form fields. Written by hand because no Cloudscape theme
 * exists for react-jsonschema-form; partner schemas are flat objects of strings, which is all this
 * mapping needs to cover. Pure: no React, no DOM, so it is unit-tested for every catalog partner.
 */

/** A JSON Schema property of a flat partner schema. */
export interface PropertySchema {
  type?: string;
  title?: string;
  description?: string;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
  examples?: unknown[];
  default?: unknown;
}

/** One form field, everything the view needs to render and explain it. */
export interface FieldSpec {
  /** The property key in the secret value or metadata. */
  name: string;
  label: string;
  description: string | undefined;
  required: boolean;
  /** Masked (password input with a reveal button) and never echoed. */
  sensitive: boolean;
  inputType: 'text' | 'url' | 'email' | 'number';
  /** `enum` values, rendered as a select. */
  options: string[] | undefined;
  /** A picker of other secrets (e.g. `adminSecretArn`): the property's pattern is a secret ARN. */
  secretPicker: boolean;
  pattern: string | undefined;
  minLength: number | undefined;
  maxLength: number | undefined;
  /** The limits in words, under the field: "Required. 1–256 characters." */
  constraintText: string;
  placeholder: string | undefined;
  defaultValue: string | undefined;
}

export interface FieldOptions {
  /** Property keys to mask (the manifest's `sensitiveFields`). */
  sensitiveFields?: readonly string[];
  /** Property keys handled elsewhere (e.g. engine keys); not turned into fields. */
  omit?: readonly string[];
}

interface ObjectSchema {
  properties?: Record<string, PropertySchema>;
  required?: string[];
}

function lengthText(min: number | undefined, max: number | undefined): string | undefined {
  if (min !== undefined && max !== undefined) return `${min}–${max} characters.`;
  if (max !== undefined) return `Up to ${max} characters.`;
  if (min !== undefined && min > 1) return `At least ${min} characters.`;
  return undefined;
}

/** An example from the description ("e.g. https://acme.my.salesforce.com"), used as placeholder. */
function exampleFrom(property: PropertySchema): string | undefined {
  const example = property.examples?.find((e) => typeof e === 'string') as string | undefined;
  if (example) return example;
  const match = /e\.g\.\s+(\S+?)[.,)]?(?:\s|$)/.exec(property.description ?? '');
  return match?.[1]?.replace(/…$/, '');
}

function inputTypeOf(property: PropertySchema): FieldSpec['inputType'] {
  if (property.type === 'integer' || property.type === 'number') return 'number';
  if (property.format === 'uri' || property.format === 'url') return 'url';
  if (property.format === 'email') return 'email';
  return 'text';
}

/**
 * The fields of a flat object schema, in the schema's property order.
 *
 * @example
 * ```ts
 * const fields = fieldsFromSchema(manifest.secretSchema, { sensitiveFields: manifest.sensitiveFields });
 * fields.find((f) => f.name === 'consumerSecret')?.sensitive; // true
 * ```
 */
export function fieldsFromSchema(schema: object, options: FieldOptions = {}): FieldSpec[] {
  const { properties = {}, required = [] } = schema as ObjectSchema;
  const sensitive = new Set(options.sensitiveFields ?? []);
  const omit = new Set(options.omit ?? []);
  return Object.entries(properties)
    .filter(([name]) => !omit.has(name))
    .map(([name, property]) => {
      const isRequired = required.includes(name);
      const constraint = [
        isRequired ? 'Required.' : 'Optional.',
        lengthText(property.minLength, property.maxLength),
      ].filter(Boolean);
      return {
        name,
        label: property.title ?? name,
        description: property.description,
        required: isRequired,
        sensitive: sensitive.has(name),
        inputType: inputTypeOf(property),
        options: property.enum?.map(String),
        secretPicker: /:secretsmanager:/.test(property.pattern ?? ''),
        pattern: property.pattern,
        minLength: property.minLength,
        maxLength: property.maxLength,
        constraintText: constraint.join(' '),
        placeholder: sensitive.has(name) ? undefined : exampleFrom(property),
        defaultValue: typeof property.default === 'string' ? property.default : undefined,
      };
    });
}

/** Initial form values: defaults where the schema has them, empty strings elsewhere. */
export function initialValues(fields: readonly FieldSpec[]): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field.name, field.defaultValue ?? '']));
}

/**
 * The document to validate and send: empty optional fields are left out (an empty string is "not
 * given", not a value), numbers are numbers.
 */
export function documentFrom(
  fields: readonly FieldSpec[],
  values: Record<string, string>,
): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = values[field.name] ?? '';
    if (raw === '') continue;
    document[field.name] = field.inputType === 'number' && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return document;
}
