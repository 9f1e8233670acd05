/**
 * How secrets are stored: each secret (metadata, versions, values, labels, replication) is one
 * record of an encrypted collection, keyed by ARN, under its own data key. The codec doubles as a
 * deep copy (rollback snapshots, replicas).
 */
import type { DurableCollection } from '../storage/index.ts';
import type { ReplicaRegion, RotationRules, SecretRecord, Tag } from './model.ts';

/** The collection name in the local stack's storage. */
export const SECRETS_COLLECTION = 'secretsmanager.secrets';

type StoredValue = { kind: 'string'; text: string } | { kind: 'binary'; base64: string };

interface StoredVersion {
  versionId: string;
  value?: StoredValue;
  createdDate: string;
  lastAccessedDate?: string;
  createdByRotation: boolean;
}

/** A secret as JSON: dates as ISO strings, binaries base64. */
export interface StoredSecret {
  accountId: string;
  arn: string;
  name: string;
  region: string;
  description?: string;
  kmsKeyId?: string;
  type?: string;
  tags: Tag[];
  createdDate: string;
  lastChangedDate: string;
  lastAccessedDate?: string;
  lastRotatedDate?: string;
  deletedDate?: string;
  rotationEnabled?: boolean;
  rotationLambdaArn?: string;
  rotationRules?: RotationRules;
  externalSecretRotationMetadata?: { Key: string; Value: string }[];
  externalSecretRotationRoleArn?: string;
  versions: StoredVersion[];
  labels: [string, string][];
  primaryRegion?: string;
  replicas?: ReplicaRegion[];
}

const iso = (date: Date | undefined) => date?.toISOString();
const date = (text: string | undefined) => (text === undefined ? undefined : new Date(text));

export function encodeSecret(secret: SecretRecord, accountId: string): StoredSecret {
  return JSON.parse(
    JSON.stringify({
      accountId,
      arn: secret.arn,
      name: secret.name,
      region: secret.region,
      description: secret.description,
      kmsKeyId: secret.kmsKeyId,
      type: secret.type,
      tags: secret.tags,
      createdDate: iso(secret.createdDate),
      lastChangedDate: iso(secret.lastChangedDate),
      lastAccessedDate: iso(secret.lastAccessedDate),
      lastRotatedDate: iso(secret.lastRotatedDate),
      deletedDate: iso(secret.deletedDate),
      rotationEnabled: secret.rotationEnabled,
      rotationLambdaArn: secret.rotationLambdaArn,
      rotationRules: secret.rotationRules,
      externalSecretRotationMetadata: secret.externalSecretRotationMetadata,
      externalSecretRotationRoleArn: secret.externalSecretRotationRoleArn,
      versions: [...secret.versions.values()].map((version) => ({
        versionId: version.versionId,
        value:
          version.value === undefined
            ? undefined
            : version.value.kind === 'string'
              ? { kind: 'string', text: version.value.text }
              : { kind: 'binary', base64: version.value.bytes.toString('base64') },
        createdDate: iso(version.createdDate),
        lastAccessedDate: iso(version.lastAccessedDate),
        createdByRotation: version.createdByRotation,
      })),
      labels: [...secret.labels.entries()],
      primaryRegion: secret.primaryRegion,
      replicas: secret.replicas,
    }),
  ) as StoredSecret;
}

export function decodeSecret(stored: StoredSecret): SecretRecord {
  return {
    arn: stored.arn,
    name: stored.name,
    region: stored.region,
    description: stored.description,
    kmsKeyId: stored.kmsKeyId,
    type: stored.type,
    tags: stored.tags.map((tag) => ({ ...tag })),
    createdDate: new Date(stored.createdDate),
    lastChangedDate: new Date(stored.lastChangedDate),
    lastAccessedDate: date(stored.lastAccessedDate),
    lastRotatedDate: date(stored.lastRotatedDate),
    deletedDate: date(stored.deletedDate),
    rotationEnabled: stored.rotationEnabled,
    rotationLambdaArn: stored.rotationLambdaArn,
    rotationRules: stored.rotationRules === undefined ? undefined : { ...stored.rotationRules },
    externalSecretRotationMetadata: stored.externalSecretRotationMetadata?.map((item) => ({ ...item })),
    externalSecretRotationRoleArn: stored.externalSecretRotationRoleArn,
    versions: new Map(
      stored.versions.map((version) => [
        version.versionId,
        {
          versionId: version.versionId,
          value:
            version.value === undefined
              ? undefined
              : version.value.kind === 'string'
                ? { kind: 'string', text: version.value.text }
                : { kind: 'binary', bytes: Buffer.from(version.value.base64, 'base64') },
          createdDate: new Date(version.createdDate),
          lastAccessedDate: date(version.lastAccessedDate),
          createdByRotation: version.createdByRotation,
        },
      ]),
    ),
    labels: new Map(stored.labels),
    primaryRegion: stored.primaryRegion,
    replicas: stored.replicas?.map((replica) => ({ ...replica })),
  };
}

/** Where the service keeps its secrets: an encrypted durable collection, written once per request. */
export interface SecretPersistence {
  collection: DurableCollection<StoredSecret>;
  /** Runs a request's writes atomically. */
  transaction<T>(work: () => T): T;
}
