/** In-memory shapes of the local Secrets Manager store and the service's options. */
import type { WriteQuotaOptions } from './write-quota.ts';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';
export const AWSPENDING = 'AWSPENDING';

/** A secret value: a string or bytes, never both. */
export type SecretValue = { kind: 'string'; text: string } | { kind: 'binary'; bytes: Buffer };

export interface SecretVersion {
  readonly versionId: string;
  /** Undefined only for the version RotateSecret pre-creates, until PutSecretValue fills it. */
  value: SecretValue | undefined;
  readonly createdDate: Date;
  lastAccessedDate: Date | undefined;
  /** Created by RotateSecret: a retry with the same token returns it instead of failing. */
  readonly createdByRotation: boolean;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface RotationRules {
  AutomaticallyAfterDays?: number;
  ScheduleExpression?: string;
  Duration?: string;
}

export interface ExternalSecretRotationMetadataItem {
  Key: string;
  Value: string;
}

/** One Region a primary secret is replicated to (DescribeSecret's `ReplicationStatus` entry). */
export interface ReplicaRegion {
  region: string;
  kmsKeyId?: string;
  /** `InSync` replicas follow every write of the primary; `Failed` ones hold nothing. */
  status: 'InSync' | 'Failed' | 'InProgress';
  statusMessage?: string;
}

export interface SecretRecord {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  description?: string;
  kmsKeyId?: string;
  /** The managed-external-secret partner type, e.g. `SalesforceClientSecret`. */
  type?: string;
  tags: Tag[];
  readonly createdDate: Date;
  lastChangedDate: Date;
  lastAccessedDate?: Date;
  lastRotatedDate?: Date;
  /** Set while the secret is scheduled for deletion: the date it will be removed. */
  deletedDate?: Date;
  /** Undefined until rotation is first configured (AWS omits the member then). */
  rotationEnabled?: boolean;
  rotationLambdaArn?: string;
  rotationRules?: RotationRules;
  externalSecretRotationMetadata?: ExternalSecretRotationMetadataItem[];
  externalSecretRotationRoleArn?: string;
  /** Versions in creation order. */
  readonly versions: Map<string, SecretVersion>;
  /** Staging label → version id: keyed by label, so a label marks at most one version by construction. */
  readonly labels: Map<string, string>;
  /** On a replica: the primary's Region (a replica is read-only). Absent on a primary. */
  primaryRegion?: string;
  /** On a primary: the Regions it is replicated to. */
  replicas?: ReplicaRegion[];
}

/** What `onRotationRequested` receives once RotateSecret has created the AWSPENDING version. */
export interface RotationRequest {
  secretArn: string;
  versionId: string;
  rotateImmediately: boolean;
  region: string;
}

export interface SecretsManagerServiceOptions {
  /** Default '000000000000'. */
  accountId?: string;
  /** Default 'us-east-1'; the server otherwise reads the region from the SigV4 credential scope. */
  defaultRegion?: string;
  /** Injectable clock, default `() => new Date()`. */
  now?: () => Date;
  /** Called (not awaited, errors caught and ignored) after RotateSecret has created the AWSPENDING version. */
  onRotationRequested?: (request: RotationRequest) => void | Promise<void>;
  /** Versions kept per secret (AWS: 100). */
  maxVersions?: number;
  /** Deprecated versions younger than this are never removed to make room (AWS: 24 h). */
  deprecatedVersionMinAgeMs?: number;
  /**
   * Not confirmed by AWS: which manual writes abandon a rotation. Default true: a PutSecretValue or
   * UpdateSecret that moves AWSCURRENT to a new version removes an in-progress AWSPENDING label.
   */
  abandonRotationOnManualWrite?: boolean;
  /** Not confirmed by AWS: removing AWSCURRENT without moving it. Default false (InvalidParameterException). */
  allowCurrentLabelRemoval?: boolean;
  /** Not confirmed by AWS: changing an existing `Type`. Default false (InvalidRequestException). */
  allowTypeChange?: boolean;
  /**
   * Enforce Secrets Manager's write quota (PutSecretValue, UpdateSecret and UpdateSecretVersionStage
   * combined, per account and Region; AWS: `{ writesPerSecond: 50 }`), answering ThrottlingException
   * beyond it. Default off: tests and the local stack are not throttled.
   */
  writeQuota?: WriteQuotaOptions;
}

export type ResolvedOptions = Required<
  Omit<SecretsManagerServiceOptions, 'onRotationRequested' | 'writeQuota'>
> &
  Pick<SecretsManagerServiceOptions, 'onRotationRequested'>;
