/**
 * Readers for request members. A wrong JSON type is a SerializationException (as AWS's JSON
 * protocol answers); a broken shape constraint is a ValidationException in AWS's wording. Messages
 * name the member, never its value: values may be secrets.
 */
import { SerializationError, ValidationError } from './errors.ts';

/** A parsed request body. */
export type Input = Record<string, unknown>;

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
}

export interface ListRule {
  minItems?: number;
  maxItems?: number;
}

/** Checks that the body is a JSON object. */
export function asInput(input: unknown): Input {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new SerializationError('The request body must be a JSON object.');
  }
  return input as Input;
}

/** AWS validation messages use the lowerCamel member name. */
function memberPath(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

export function constraintError(field: string, constraint: string): ValidationError {
  return new ValidationError(
    `1 validation error detected: Value at '${memberPath(field)}' failed to satisfy constraint: ${constraint}`,
  );
}

/** JSON null counts as absent, as in the AWS JSON protocol. */
function member(input: Input, field: string): unknown {
  const value = Object.hasOwn(input, field) ? input[field] : undefined;
  return value === null ? undefined : value;
}

export function checkString(value: string, field: string, rule: StringRule = {}): string {
  if (rule.min !== undefined && value.length < rule.min) {
    throw constraintError(field, `Member must have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw constraintError(field, `Member must have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    throw constraintError(field, `Member must satisfy regular expression pattern: ${rule.pattern.source}`);
  }
  return value;
}

export function optionalString(input: Input, field: string, rule?: StringRule): string | undefined {
  const value = member(input, field);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new SerializationError(`Member ${field} must be a string.`);
  return checkString(value, field, rule);
}

export function requiredString(input: Input, field: string, rule?: StringRule): string {
  const value = optionalString(input, field, rule);
  if (value === undefined) throw constraintError(field, 'Member must not be null');
  return value;
}

export function optionalInteger(
  input: Input,
  field: string,
  range: { min: number; max: number },
): number | undefined {
  const value = member(input, field);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new SerializationError(`Member ${field} must be an integer.`);
  }
  if (value < range.min)
    throw constraintError(field, `Member must have value greater than or equal to ${range.min}`);
  if (value > range.max)
    throw constraintError(field, `Member must have value less than or equal to ${range.max}`);
  return value;
}

export function optionalBoolean(input: Input, field: string): boolean | undefined {
  const value = member(input, field);
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new SerializationError(`Member ${field} must be a boolean.`);
  return value;
}

export function optionalEnum<T extends string>(
  input: Input,
  field: string,
  allowed: readonly T[],
): T | undefined {
  const value = optionalString(input, field);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw constraintError(field, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as T;
}

export function optionalList(input: Input, field: string, rule: ListRule = {}): unknown[] | undefined {
  const value = member(input, field);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new SerializationError(`Member ${field} must be a list.`);
  if (rule.minItems !== undefined && value.length < rule.minItems) {
    throw constraintError(field, `Member must have length greater than or equal to ${rule.minItems}`);
  }
  if (rule.maxItems !== undefined && value.length > rule.maxItems) {
    throw constraintError(field, `Member must have length less than or equal to ${rule.maxItems}`);
  }
  return value;
}

export function optionalStringList(
  input: Input,
  field: string,
  rule: ListRule & { item?: StringRule } = {},
): string[] | undefined {
  const list = optionalList(input, field, rule);
  return list?.map((item) => {
    if (typeof item !== 'string') throw new SerializationError(`Member ${field} must be a list of strings.`);
    return checkString(item, field, rule.item);
  });
}

/** Reads a list of structures, each checked as an {@link Input}. */
export function optionalStructList(input: Input, field: string, rule: ListRule = {}): Input[] | undefined {
  const list = optionalList(input, field, rule);
  return list?.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new SerializationError(`Member ${field} must be a list of structures.`);
    }
    return item as Input;
  });
}

export function optionalStruct(input: Input, field: string): Input | undefined {
  const value = member(input, field);
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new SerializationError(`Member ${field} must be a structure.`);
  }
  return value as Input;
}
