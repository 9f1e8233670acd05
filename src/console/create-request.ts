/**
 * The body of `POST /api/secrets`, described once as a JSON Schema: the console API validates it
 * with `assertValid` (the engine's strict ajv), and the wizard reads the same limits. Field limits
 * follow Secrets Manager's `CreateSecret`, `RotateSecret` and `RotationRules` (reference §6).
 */
import type { JsonSchema } from '../runtime/partner.ts';

export type RotationSchedule =
  | { kind: 'days'; days: number }
  | { kind: 'cron'; expression: string; window?: string };

export interface CreateSecretRequest {
  type: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags?: { key: string; value: string }[];
  value: Record<string, unknown>;
  metadata: Record<string, string>;
  rotation: {
    automatic: boolean;
    rotateImmediately: boolean;
    roleArn?: string;
    schedule: RotationSchedule;
    gracePeriodSeconds?: number;
  };
}

export const SECRET_NAME_PATTERN = '^[A-Za-z0-9/_+=.@-]+$';
export const ROLE_ARN_PATTERN = '^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}$';
export const CRON_PATTERN = '^cron\\([0-9A-Za-z()#?*/, -]+\\)$';
export const WINDOW_PATTERN = '^[0-9]{1,2}h$';

export const createSecretRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'name', 'value', 'metadata', 'rotation'],
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 256 },
    name: {
      type: 'string',
      title: 'Secret name',
      description: '1–512 characters: letters, digits and /_+=.@-',
      minLength: 1,
      maxLength: 512,
      pattern: SECRET_NAME_PATTERN,
    },
    description: {
      type: 'string',
      title: 'Description',
      description: 'up to 2048 characters',
      maxLength: 2048,
    },
    kmsKeyId: {
      type: 'string',
      title: 'Encryption key',
      description: 'a KMS key id, alias or ARN; empty for aws/secretsmanager',
      maxLength: 2048,
    },
    tags: {
      type: 'array',
      maxItems: 40,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'value'],
        properties: {
          key: {
            type: 'string',
            minLength: 1,
            maxLength: 128,
            pattern: '^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+@-]+$',
          },
          value: { type: 'string', maxLength: 256, pattern: '^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*$' },
        },
      },
    },
    value: { type: 'object' },
    metadata: { type: 'object', additionalProperties: { type: 'string', minLength: 1, maxLength: 2048 } },
    rotation: {
      type: 'object',
      additionalProperties: false,
      required: ['automatic', 'rotateImmediately', 'schedule'],
      properties: {
        automatic: { type: 'boolean' },
        rotateImmediately: { type: 'boolean' },
        roleArn: { type: 'string', maxLength: 2048, pattern: ROLE_ARN_PATTERN },
        gracePeriodSeconds: { type: 'integer', minimum: 0, maximum: 2592000 },
        schedule: {
          oneOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['kind', 'days'],
              properties: { kind: { const: 'days' }, days: { type: 'integer', minimum: 1, maximum: 1000 } },
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['kind', 'expression'],
              properties: {
                kind: { const: 'cron' },
                expression: { type: 'string', minLength: 8, maxLength: 256, pattern: CRON_PATTERN },
                window: { type: 'string', pattern: WINDOW_PATTERN },
              },
            },
          ],
        },
      },
    },
  },
};
