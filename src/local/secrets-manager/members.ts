/** Readers for members shared by several operations (ids, tokens, values, tags, rotation settings). */
import { InvalidParameterError, SerializationError } from './errors.ts';
import { BOTH_VALUES_GIVEN, INVALID_NAME } from './messages.ts';
import type { ExternalSecretRotationMetadataItem, RotationRules, SecretValue, Tag } from './model.ts';
import {
  checkString,
  type Input,
  optionalInteger,
  optionalString,
  optionalStruct,
  optionalStructList,
  requiredString,
} from './validation.ts';

/** Secret values: 65,536 characters (string) or bytes (binary), per the AWS quota. */
export const MAX_VALUE_SIZE = 65_536;
export const MAX_TAGS = 50;

const NAME_CHARACTERS = /^[A-Za-z0-9/_+=.@-]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ROTATION_TOKEN = /^[a-zA-Z0-9-]+$/;
const SCHEDULE_EXPRESSION = /^[0-9A-Za-z()#?*\-/, ]+$/;
const DURATION = /^[0-9h]+$/;

export function readSecretId(input: Input): string {
  return requiredString(input, 'SecretId', { min: 1, max: 2048 });
}

export function readName(input: Input): string {
  const name = requiredString(input, 'Name', { min: 1, max: 512 });
  if (!NAME_CHARACTERS.test(name)) throw new InvalidParameterError(INVALID_NAME);
  return name;
}

export function readClientRequestToken(input: Input): string | undefined {
  return optionalString(input, 'ClientRequestToken', { min: 32, max: 64 });
}

export function readVersionId(input: Input, field: string): string | undefined {
  return optionalString(input, field, { min: 32, max: 64 });
}

export function readDescription(input: Input): string | undefined {
  return optionalString(input, 'Description', { max: 2048 });
}

export function readKmsKeyId(input: Input): string | undefined {
  return optionalString(input, 'KmsKeyId', { max: 2048 });
}

/** An empty `Type` counts as absent: it names no partner. */
export function readType(input: Input): string | undefined {
  return optionalString(input, 'Type', { max: 256 }) || undefined;
}

/**
 * Reads `SecretString` / `SecretBinary` (base64 on the wire). Over 65,536 characters or bytes is an
 * InvalidParameterException: the reference lists no LimitExceededException for the value size, and
 * the limit is a parameter rule rather than an account quota.
 */
export function readSecretValue(input: Input): SecretValue | undefined {
  const text = optionalString(input, 'SecretString', { min: 1 });
  const encoded = optionalString(input, 'SecretBinary', { min: 1 });
  if (text !== undefined && encoded !== undefined) throw new InvalidParameterError(BOTH_VALUES_GIVEN);
  if (text !== undefined) {
    if (text.length > MAX_VALUE_SIZE) {
      throw new InvalidParameterError(`SecretString must not exceed ${MAX_VALUE_SIZE} characters.`);
    }
    return { kind: 'string', text };
  }
  if (encoded === undefined) return undefined;
  if (!BASE64.test(encoded)) throw new SerializationError('Member SecretBinary must be base64-encoded.');
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length > MAX_VALUE_SIZE) {
    throw new InvalidParameterError(`SecretBinary must not exceed ${MAX_VALUE_SIZE} bytes.`);
  }
  return { kind: 'binary', bytes };
}

/** Checks the shape of a `RotationToken`; the caller must drop it afterwards (never stored, never logged). */
export function checkRotationToken(input: Input): void {
  optionalString(input, 'RotationToken', { min: 36, max: 256, pattern: ROTATION_TOKEN });
}

export function readTags(input: Input, field = 'Tags'): Tag[] | undefined {
  const list = optionalStructList(input, field, { maxItems: MAX_TAGS });
  return list?.map((item) => ({
    Key: requiredString(item, 'Key', { min: 1, max: 128 }),
    Value: optionalString(item, 'Value', { max: 256 }) ?? '',
  }));
}

export function readRotationRules(input: Input): RotationRules | undefined {
  const rules = optionalStruct(input, 'RotationRules');
  if (rules === undefined) return undefined;
  const days = optionalInteger(rules, 'AutomaticallyAfterDays', { min: 1, max: 1000 });
  const schedule = optionalString(rules, 'ScheduleExpression', {
    min: 1,
    max: 256,
    pattern: SCHEDULE_EXPRESSION,
  });
  const duration = optionalString(rules, 'Duration', { min: 2, max: 3, pattern: DURATION });
  if (days !== undefined && schedule !== undefined) {
    throw new InvalidParameterError(
      "You can't specify both AutomaticallyAfterDays and ScheduleExpression in RotationRules.",
    );
  }
  if (schedule !== undefined && !/^(rate|cron)\(.+\)$/.test(schedule)) {
    throw new InvalidParameterError(
      'RotationRules.ScheduleExpression must be a rate() or cron() expression.',
    );
  }
  // The schedule engine is a later issue: rules are stored as given.
  return {
    ...(days === undefined ? {} : { AutomaticallyAfterDays: days }),
    ...(schedule === undefined ? {} : { ScheduleExpression: schedule }),
    ...(duration === undefined ? {} : { Duration: duration }),
  };
}

export function readExternalMetadata(input: Input): ExternalSecretRotationMetadataItem[] | undefined {
  const list = optionalStructList(input, 'ExternalSecretRotationMetadata');
  return list?.map((item) => ({
    Key: checkString(requiredString(item, 'Key'), 'ExternalSecretRotationMetadata.Key', { min: 1, max: 256 }),
    Value: checkString(requiredString(item, 'Value'), 'ExternalSecretRotationMetadata.Value', {
      min: 1,
      max: 2048,
    }),
  }));
}
