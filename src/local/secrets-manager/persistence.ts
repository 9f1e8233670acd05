/**
 * How secrets are stored: each secret (metadata, versions, values, labels, replication) is one
 * record of an encrypted collection, keyed by ARN, under its own data key. The codec doubles as a
 * deep copy (rollback snapshots, replicas).
 */
import type { DurableCollection } from '../storage/index.ts';
import type { SecretRecord, SecretVersion } from './model.ts';

/** The collection name in the local stack's storage. */
export const SECRETS_COLLECTION = 'secretsmanager.secrets';

type StoredValue = { kind: 'string'; text: string } | { kind: 'binary'; base64: string };

interface StoredVersion {
  versionId: string;
  value?: StoredValue;
  createdDate: StoredDate;
  lastAccessedDate?: StoredDate;
  createdByRotation: boolean;
}

/** A date in stored JSON. */
type StoredDate = { $date: string };

/**
 * A secret as JSON: every member of {@link SecretRecord} (so a member added to the model later is
 * stored without changing this file), dates as `{ $date }`, versions as a list, labels as pairs.
 */
export interface StoredSecret {
  accountId: string;
  arn: string;
  region: string;
  versions: StoredVersion[];
  labels: [string, string][];
  [member: string]: unknown;
}

/** Dates become `{ $date }`; arrays and plain objects are copied; undefined members are dropped. */
function toJson(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    // A loop rather than entries/filter/map/fromEntries: every write encodes its secret once.
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) copy[key] = toJson(member);
    }
    return copy;
  }
  return value;
}

function fromJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === '$date') return new Date(String(entries[0]![1]));
    return Object.fromEntries(entries.map(([key, member]) => [key, fromJson(member)]));
  }
  return value;
}

export function encodeSecret(secret: SecretRecord, accountId: string): StoredSecret {
  const { versions, labels, ...members } = secret;
  return {
    ...(toJson(members) as Record<string, unknown>),
    accountId,
    arn: secret.arn,
    region: secret.region,
    versions: [...versions.values()].map((version) => {
      const { value, ...rest } = version;
      return {
        ...(toJson(rest) as Omit<StoredVersion, 'value'>),
        ...(value === undefined
          ? {}
          : {
              value:
                value.kind === 'string'
                  ? { kind: 'string' as const, text: value.text }
                  : { kind: 'binary' as const, base64: value.bytes.toString('base64') },
            }),
      };
    }),
    labels: [...labels.entries()],
  };
}

export function decodeSecret(stored: StoredSecret): SecretRecord {
  const { accountId: _account, versions, labels, ...members } = stored;
  return {
    ...(fromJson(members) as Omit<SecretRecord, 'versions' | 'labels'>),
    versions: new Map(
      versions.map(({ value, ...rest }) => [
        rest.versionId,
        {
          ...(fromJson(rest) as Omit<SecretVersion, 'value'>),
          value:
            value === undefined
              ? undefined
              : value.kind === 'string'
                ? { kind: 'string', text: value.text }
                : { kind: 'binary', bytes: Buffer.from(value.base64, 'base64') },
        },
      ]),
    ),
    labels: new Map(labels),
  };
}

/** Where the service keeps its secrets: an encrypted durable collection, written once per request. */
export interface SecretPersistence {
  collection: DurableCollection<StoredSecret>;
  /** Runs a request's writes atomically. */
  transaction<T>(work: () => T): T;
}
