/** Wire views of stored secrets: epoch-second timestamps, base64 binaries, absent members omitted. */
import { compact } from './context.ts';
import type { SecretRecord, SecretValue } from './model.ts';
import { versionIdsToStages } from './versions.ts';

/** AWS JSON 1.1 timestamps: epoch seconds, fractions allowed. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** `LastAccessedDate` has date resolution: midnight UTC of the access day. */
export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export function valueMembers(value: SecretValue): { SecretString: string } | { SecretBinary: string } {
  return value.kind === 'string'
    ? { SecretString: value.text }
    : { SecretBinary: value.bytes.toString('base64') };
}

function optionalDate(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : epochSeconds(date);
}

/** Metadata shared by DescribeSecret and ListSecrets entries. */
function metadata(secret: SecretRecord): Record<string, unknown> {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Type: secret.type,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    RotationEnabled: secret.rotationEnabled,
    RotationLambdaARN: secret.rotationLambdaArn,
    RotationRules: secret.rotationRules === undefined ? undefined : { ...secret.rotationRules },
    ExternalSecretRotationMetadata: secret.externalSecretRotationMetadata?.map((item) => ({ ...item })),
    ExternalSecretRotationRoleArn: secret.externalSecretRotationRoleArn,
    LastRotatedDate: optionalDate(secret.lastRotatedDate),
    LastChangedDate: optionalDate(secret.lastChangedDate),
    LastAccessedDate: optionalDate(secret.lastAccessedDate),
    DeletedDate: optionalDate(secret.deletedDate),
    Tags: secret.tags.length === 0 ? undefined : secret.tags.map((tag) => ({ ...tag })),
    CreatedDate: epochSeconds(secret.createdDate),
    PrimaryRegion: secret.primaryRegion ?? secret.region,
    ReplicationStatus: secret.replicas?.map((replica) => ({
      Region: replica.region,
      KmsKeyId: replica.kmsKeyId ?? 'alias/aws/secretsmanager',
      Status: replica.status,
      ...(replica.statusMessage === undefined ? {} : { StatusMessage: replica.statusMessage }),
    })),
  };
}

function stagesMember(secret: SecretRecord): Record<string, string[]> | undefined {
  const map = versionIdsToStages(secret);
  return Object.keys(map).length === 0 ? undefined : map;
}

export function describeView(secret: SecretRecord): Record<string, unknown> {
  return compact({ ...metadata(secret), VersionIdsToStages: stagesMember(secret) });
}

export function listEntryView(secret: SecretRecord): Record<string, unknown> {
  return compact({ ...metadata(secret), SecretVersionsToStages: stagesMember(secret) });
}
