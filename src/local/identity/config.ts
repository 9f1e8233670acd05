/**
 * The local stack's accounts, users, access keys and roles: `identity.json` in the data directory
 * (mode 0600), created on first start with a demo customer account (its user and access key, and
 * the rotation role Rotor assumes) and the Rotor service account (the user the stack's own rotation
 * handler signs as). Edit the file to add accounts, keys or roles; it is read at start.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rotationPermissionsPolicy } from '../../aws/rotation-policy.ts';
import type { JsonSchema } from '../../runtime/partner.ts';
import { assertValid } from '../../runtime/validation.ts';
import { LOCAL_CREDENTIALS } from '../credentials.ts';
import { IdentityConfigError } from './errors.ts';
import type { PolicyDocument } from './policy.ts';

export const IDENTITY_FILE = 'identity.json';
export const DEMO_ACCOUNT_ID = '000000000000';
export const ROTOR_ACCOUNT_ID = '111111111111';
export const DEMO_USER_NAME = 'demo';
export const ROTOR_USER_NAME = 'rotor-rotation';
export const ROTATION_ROLE_NAME = 'RotorRotationRole';
/**
 * The demo user's access key: fixed, so `rotor rotate` and pasted `aws` commands work against a
 * fresh stack with no set-up (like other local emulators' `test`/`test`). Loopback only.
 */
export const DEMO_ACCESS_KEY = LOCAL_CREDENTIALS;

export interface AccessKeyConfig {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface UserConfig {
  userName: string;
  accessKeys: AccessKeyConfig[];
  policies: PolicyDocument[];
}

export interface RoleConfig {
  roleName: string;
  trustPolicy: PolicyDocument;
  policies: PolicyDocument[];
  /** Seconds, 3600–43200 (AWS default 3600). */
  maxSessionDuration?: number;
}

export interface AccountConfig {
  accountId: string;
  alias: string;
  users: UserConfig[];
  roles: RoleConfig[];
}

export interface IdentityConfig {
  version: 1;
  accounts: AccountConfig[];
  /** Who the stack's rotation handler is, and how it reaches customer accounts. */
  rotor: { accountId: string; userName: string; customerRoleName: string; externalId: string };
}

const statementSchema = { type: 'object' } as const;
const policySchema = {
  type: 'object',
  required: ['Statement'],
  properties: {
    Version: { type: 'string' },
    Statement: { anyOf: [statementSchema, { type: 'array', items: statementSchema }] },
  },
  additionalProperties: false,
} as const;

const IDENTITY_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['version', 'accounts', 'rotor'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['accountId', 'alias', 'users', 'roles'],
        additionalProperties: false,
        properties: {
          accountId: { type: 'string', pattern: '^[0-9]{12}$' },
          alias: { type: 'string' },
          users: {
            type: 'array',
            items: {
              type: 'object',
              required: ['userName', 'accessKeys', 'policies'],
              additionalProperties: false,
              properties: {
                userName: { type: 'string', pattern: '^[\\w+=,.@-]{1,64}$' },
                accessKeys: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['accessKeyId', 'secretAccessKey'],
                    additionalProperties: false,
                    properties: {
                      accessKeyId: { type: 'string', pattern: '^[A-Z0-9]{16,128}$' },
                      secretAccessKey: { type: 'string', minLength: 16 },
                    },
                  },
                },
                policies: { type: 'array', items: policySchema },
              },
            },
          },
          roles: {
            type: 'array',
            items: {
              type: 'object',
              required: ['roleName', 'trustPolicy', 'policies'],
              additionalProperties: false,
              properties: {
                roleName: { type: 'string', pattern: '^[\\w+=,.@-]{1,64}$' },
                trustPolicy: policySchema,
                policies: { type: 'array', items: policySchema },
                maxSessionDuration: { type: 'integer', minimum: 3600, maximum: 43200 },
              },
            },
          },
        },
      },
    },
    rotor: {
      type: 'object',
      required: ['accountId', 'userName', 'customerRoleName', 'externalId'],
      additionalProperties: false,
      properties: {
        accountId: { type: 'string', pattern: '^[0-9]{12}$' },
        userName: { type: 'string' },
        customerRoleName: { type: 'string' },
        externalId: { type: 'string', pattern: '^[\\w+=,.@:/-]{2,1224}$' },
      },
    },
  },
};

const randomKeyId = (prefix: string) =>
  prefix + [...randomBytes(16)].map((byte) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[byte % 32]).join('');

/** A new access key pair (`AKIA…` ids, as IAM issues). */
export function newAccessKey(prefix = 'AKIA'): AccessKeyConfig {
  return { accessKeyId: randomKeyId(prefix), secretAccessKey: randomBytes(30).toString('base64') };
}

/**
 * The rotation role of reference §7: trusted by the Rotor service account with the ExternalId
 * (and by Secrets Manager itself, as MES roles are), allowed the four rotation calls on secrets
 * of the given partner types and GetRandomPassword.
 */
export function rotationRole(partnerTypes: readonly string[], externalId: string): RoleConfig {
  return {
    roleName: ROTATION_ROLE_NAME,
    maxSessionDuration: 3600,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ROTOR_ACCOUNT_ID}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': externalId } },
        },
        {
          Effect: 'Allow',
          Principal: { Service: 'secretsmanager.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': DEMO_ACCOUNT_ID } },
        },
      ],
    },
    policies: [rotationPermissionsPolicy(partnerTypes)],
  };
}

/** The first-start configuration. */
export function defaultIdentityConfig(partnerTypes: readonly string[]): IdentityConfig {
  const externalId = `rotor-${randomBytes(12).toString('hex')}`;
  const admin: PolicyDocument = {
    Version: '2012-10-17',
    Statement: { Effect: 'Allow', Action: '*', Resource: '*' },
  };
  return {
    version: 1,
    accounts: [
      {
        accountId: DEMO_ACCOUNT_ID,
        alias: 'demo-customer',
        users: [
          {
            userName: DEMO_USER_NAME,
            accessKeys: [
              // The two fields only: SDK clients given DEMO_ACCESS_KEY tag it with their own fields.
              { accessKeyId: DEMO_ACCESS_KEY.accessKeyId, secretAccessKey: DEMO_ACCESS_KEY.secretAccessKey },
            ],
            policies: [admin],
          },
        ],
        roles: [rotationRole(partnerTypes, externalId)],
      },
      {
        accountId: ROTOR_ACCOUNT_ID,
        alias: 'rotor-service',
        users: [
          {
            userName: ROTOR_USER_NAME,
            accessKeys: [newAccessKey()],
            policies: [
              {
                Version: '2012-10-17',
                Statement: {
                  Effect: 'Allow',
                  Action: 'sts:AssumeRole',
                  Resource: `arn:aws:iam::*:role/${ROTATION_ROLE_NAME}`,
                },
              },
            ],
          },
        ],
        roles: [],
      },
    ],
    rotor: {
      accountId: ROTOR_ACCOUNT_ID,
      userName: ROTOR_USER_NAME,
      customerRoleName: ROTATION_ROLE_NAME,
      externalId,
    },
  };
}

/** Checks a configuration (schema, unique account ids and access keys, the Rotor user exists). */
export function assertIdentityConfig(config: unknown, source: string): asserts config is IdentityConfig {
  try {
    assertValid<IdentityConfig>(IDENTITY_SCHEMA, config, `identity configuration ${source}`);
  } catch (error) {
    throw new IdentityConfigError((error as Error).message, { cause: error });
  }
  const accounts = new Set<string>();
  const keys = new Set<string>();
  for (const account of config.accounts) {
    if (accounts.has(account.accountId)) {
      throw new IdentityConfigError(
        `${source}: account ${account.accountId} appears twice; merge the entries.`,
      );
    }
    accounts.add(account.accountId);
    for (const key of account.users.flatMap((user) => user.accessKeys)) {
      if (keys.has(key.accessKeyId)) {
        throw new IdentityConfigError(
          `${source}: access key ${key.accessKeyId} appears twice; keys must be unique.`,
        );
      }
      keys.add(key.accessKeyId);
    }
  }
  const rotorAccount = config.accounts.find((account) => account.accountId === config.rotor.accountId);
  if (
    !rotorAccount?.users.some((user) => user.userName === config.rotor.userName && user.accessKeys.length > 0)
  ) {
    throw new IdentityConfigError(
      `${source}: rotor.userName ${config.rotor.userName} must be a user with an access key in account ${config.rotor.accountId}.`,
    );
  }
}

/**
 * Reads `<dataDir>/identity.json`, writing the default (mode 0600) on first start. Without a data
 * directory, the default lives in memory.
 *
 * @example
 * ```ts
 * const config = loadIdentityConfig('.rotor', ['SalesforceClientSecret']);
 * ```
 */
export function loadIdentityConfig(
  dataDir: string | undefined,
  partnerTypes: readonly string[],
): IdentityConfig {
  if (dataDir === undefined) return defaultIdentityConfig(partnerTypes);
  const file = join(dataDir, IDENTITY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(defaultIdentityConfig(partnerTypes), null, 2)}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  }
  chmodSync(file, 0o600);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new IdentityConfigError(`${file} is not valid JSON; fix it or delete it to start over.`, {
      cause: error,
    });
  }
  assertIdentityConfig(parsed, file);
  return parsed;
}
