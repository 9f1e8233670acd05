/**
 * What the console does with Secrets Manager, over an injected SDK v3 client: list secrets with
 * their rotation state, show one secret (versions, stages, progress, history, events), create and
 * rotate. It never reads a secret value: the console shows ids, stages and dates only.
 */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  paginateListSecrets,
  paginateListSecretVersionIds,
  RotateSecretCommand,
  type RotationRulesType,
  type SecretListEntry,
  type SecretsManagerClient,
  type Tag,
} from '@aws-sdk/client-secrets-manager';
import { GRACE_PERIOD_KEY, METADATA_TAG_PREFIX, resolvePartnerConfig, TYPE_TAG } from '../aws/resolver.ts';
import { RotorError } from '../engine/errors.ts';
import type { PartnerCatalog } from '../runtime/catalog.ts';
import { assertValid } from '../runtime/validation.ts';
import {
  type CreateSecretRequest,
  createSecretRequestSchema,
  type RotationSchedule,
} from './create-request.ts';
import { ConsoleRequestError } from './errors.ts';
import {
  type ConsoleAuditRecord,
  type ConsoleEvent,
  consoleAuditRecordOf,
  consoleEventOf,
} from './records.ts';
import type { RotationAttempt, RotationProgressSource } from './rotation-progress.ts';

/**
 * How a secret's partner configuration is stored: as MES fields (`Type`,
 * `ExternalSecretRotationMetadata`; the local stack) or as tags (`rotor:type`, `rotor:meta:*`;
 * real AWS, where `Type` is reserved for AWS-hosted partners).
 */
export type ConfigStyle = 'fields' | 'tags';

export interface SecretsApiOptions {
  secretsManager: SecretsManagerClient;
  catalog: PartnerCatalog;
  rotations: RotationProgressSource;
  configStyle: ConfigStyle;
  /** With `tags`: the Rotor rotation function Secrets Manager invokes (`RotationLambdaARN`). */
  rotationLambdaArn?: string;
}

export interface SecretSummary {
  name: string;
  arn: string;
  type: string | undefined;
  description: string | undefined;
  rotationEnabled: boolean;
  lastRotatedDate: string | undefined;
  nextRotationDate: string | undefined;
  roleArn: string | undefined;
  /** From the rotation records, when the endpoint keeps them. */
  lastResult: RotationAttempt['result'] | undefined;
  failureCategory: string | undefined;
}

export interface SecretVersion {
  versionId: string;
  stages: string[];
  createdDate: string | undefined;
  lastAccessedDate: string | undefined;
}

export interface SecretDetails extends SecretSummary {
  metadata: Record<string, string>;
  gracePeriodSeconds: number | undefined;
  rotationRules: RotationRulesType | undefined;
  tags: { key: string; value: string }[];
  versions: SecretVersion[];
  /** Undefined when the endpoint keeps no rotation records (real AWS). */
  attempts: RotationAttempt[] | undefined;
  /** Newest first; undefined when the endpoint keeps none (real AWS). */
  events: ConsoleEvent[] | undefined;
  /** Newest first; undefined when the endpoint keeps none (real AWS). */
  audit: ConsoleAuditRecord[] | undefined;
}

const iso = (date: Date | undefined) => date?.toISOString();

function typeOf(entry: { Type?: string; Tags?: Tag[] }): string | undefined {
  return entry.Type || entry.Tags?.find((tag) => tag.Key === TYPE_TAG)?.Value;
}

function awsFailure(error: unknown, action: string): ConsoleRequestError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status =
    e.name === 'ResourceNotFoundException' ? 404 : e.name === 'ResourceExistsException' ? 409 : 502;
  return new ConsoleRequestError(
    status,
    `${action} failed: ${e.name ?? 'Error'}: ${e.message ?? ''}`.trim(),
    {
      cause: error,
    },
  );
}

function rulesFor(schedule: RotationSchedule): RotationRulesType {
  if (schedule.kind === 'days') return { AutomaticallyAfterDays: schedule.days };
  return {
    ScheduleExpression: schedule.expression,
    ...(schedule.window ? { Duration: schedule.window } : {}),
  };
}

/**
 * @example
 * ```ts
 * const api = new SecretsApi({ secretsManager, catalog, rotations: noProgress, configStyle: 'fields' });
 * const secrets = await api.list();
 * ```
 */
export class SecretsApi {
  readonly #options: SecretsApiOptions;

  constructor(options: SecretsApiOptions) {
    this.#options = options;
  }

  get #sm(): SecretsManagerClient {
    return this.#options.secretsManager;
  }

  /** Every secret, with its rotation state; `type` narrows to one partner. */
  async list(filter: { type?: string } = {}): Promise<SecretSummary[]> {
    const entries: SecretListEntry[] = [];
    try {
      for await (const page of paginateListSecrets({ client: this.#sm }, {}))
        entries.push(...(page.SecretList ?? []));
    } catch (error) {
      throw awsFailure(error, 'ListSecrets');
    }
    const attempts = (await this.#options.rotations.attempts()) ?? [];
    return entries
      .map((entry) =>
        this.#summary(
          entry,
          attempts.filter((a) => a.secretArn === entry.ARN),
        ),
      )
      .filter((summary) => !filter.type || summary.type === filter.type)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  #summary(entry: SecretListEntry | DescribeSecretCommandOutput, attempts: RotationAttempt[]): SecretSummary {
    const last = attempts.at(-1);
    return {
      name: entry.Name ?? '',
      arn: entry.ARN ?? '',
      type: typeOf(entry),
      description: entry.Description,
      rotationEnabled: entry.RotationEnabled === true,
      lastRotatedDate: iso(entry.LastRotatedDate),
      nextRotationDate: iso(entry.NextRotationDate),
      roleArn: entry.ExternalSecretRotationRoleArn,
      lastResult: last?.result,
      failureCategory: last?.failure?.category,
    };
  }

  /** One secret: configuration, versions with stages, rotation attempts, events and audit. */
  async details(secretId: string): Promise<SecretDetails> {
    let describe: DescribeSecretCommandOutput;
    const versions: SecretVersion[] = [];
    try {
      describe = await this.#sm.send(new DescribeSecretCommand({ SecretId: secretId }));
      for await (const page of paginateListSecretVersionIds(
        { client: this.#sm },
        { SecretId: secretId, IncludeDeprecated: true },
      )) {
        for (const v of page.Versions ?? []) {
          versions.push({
            versionId: v.VersionId ?? '',
            stages: v.VersionStages ?? [],
            createdDate: iso(v.CreatedDate),
            lastAccessedDate: iso(v.LastAccessedDate),
          });
        }
      }
    } catch (error) {
      throw awsFailure(error, `Reading secret ${secretId}`);
    }
    versions.sort((a, b) => (b.createdDate ?? '').localeCompare(a.createdDate ?? ''));
    const arn = describe.ARN ?? secretId;
    const { rotations } = this.#options;
    const [attempts, events, audit] = await Promise.all([
      rotations.attempts(arn),
      rotations.events(arn),
      rotations.audit(arn),
    ]);
    let metadata: Record<string, string> = {};
    let gracePeriodSeconds: number | undefined;
    try {
      ({ metadata, gracePeriodSeconds } = resolvePartnerConfig(describe));
    } catch {
      // Not a Rotor secret (no partner type): shown without partner configuration.
    }
    return {
      ...this.#summary(describe, attempts ?? []),
      metadata,
      gracePeriodSeconds,
      rotationRules: describe.RotationRules,
      tags: (describe.Tags ?? []).map((tag) => ({ key: tag.Key ?? '', value: tag.Value ?? '' })),
      versions,
      attempts,
      // The control routes already filter by secret; shown newest first.
      events: events?.map(consoleEventOf).reverse(),
      audit: audit?.map(consoleAuditRecordOf).reverse(),
    };
  }

  /**
   * Validates everything (request shape, value and metadata against the partner's schemas) before
   * any call, so bad input changes nothing; then `CreateSecret` and, with automatic rotation,
   * `RotateSecret`.
   *
   * @throws {ConsoleRequestError} 400 naming the field; 409 when the name is taken; 502 when AWS refuses.
   */
  async create(body: unknown): Promise<{ arn: string; name: string; versionId: string | undefined }> {
    const request = await this.#validate(body);
    const { configStyle, rotationLambdaArn } = this.#options;
    const { rotation } = request;
    if (configStyle === 'tags' && rotation.automatic && !rotationLambdaArn) {
      throw new ConsoleRequestError(
        400,
        'Automatic rotation needs the Rotor rotation function; start the console with --rotation-function-arn, or turn automatic rotation off.',
        { field: 'rotation.automatic' },
      );
    }
    const metadataEntries = Object.entries(request.metadata);
    if (rotation.gracePeriodSeconds !== undefined)
      metadataEntries.push([GRACE_PERIOD_KEY, String(rotation.gracePeriodSeconds)]);
    // Metadata goes into RotateSecret when rotation is on with MES fields; otherwise into tags,
    // which the engine's resolver reads just the same.
    const metadataAsTags = configStyle === 'tags' || !rotation.automatic;
    const tags: Tag[] = [
      ...(request.tags ?? []).map((tag) => ({ Key: tag.key, Value: tag.value })),
      ...(configStyle === 'tags' ? [{ Key: TYPE_TAG, Value: request.type }] : []),
      ...(metadataAsTags
        ? metadataEntries.map(([key, value]) => ({
            Key: key === GRACE_PERIOD_KEY ? key : `${METADATA_TAG_PREFIX}${key}`,
            Value: value,
          }))
        : []),
    ];
    let arn: string;
    try {
      const created = await this.#sm.send(
        new CreateSecretCommand({
          Name: request.name,
          Description: request.description || undefined,
          KmsKeyId: request.kmsKeyId || undefined,
          SecretString: JSON.stringify(request.value),
          ...(configStyle === 'fields' ? { Type: request.type } : {}),
          Tags: tags.length ? tags : undefined,
        }),
      );
      arn = created.ARN ?? request.name;
    } catch (error) {
      throw awsFailure(error, 'CreateSecret');
    }
    if (!rotation.automatic) return { arn, name: request.name, versionId: undefined };
    try {
      const rotated = await this.#sm.send(
        new RotateSecretCommand({
          SecretId: arn,
          RotationRules: rulesFor(rotation.schedule),
          RotateImmediately: rotation.rotateImmediately,
          ...(configStyle === 'fields'
            ? {
                ExternalSecretRotationMetadata: metadataEntries.map(([Key, Value]) => ({ Key, Value })),
                ...(rotation.roleArn ? { ExternalSecretRotationRoleArn: rotation.roleArn } : {}),
              }
            : { RotationLambdaARN: rotationLambdaArn }),
        }),
      );
      return { arn, name: request.name, versionId: rotated.VersionId };
    } catch (error) {
      const failure = awsFailure(error, 'RotateSecret');
      throw new ConsoleRequestError(
        502,
        `The secret ${request.name} was created, but rotation could not be turned on (${failure.message}). Open it and use Rotate now.`,
        { cause: error },
      );
    }
  }

  async #validate(body: unknown): Promise<CreateSecretRequest> {
    try {
      assertValid<CreateSecretRequest>(createSecretRequestSchema, body, 'request');
      const manifest = await this.#options.catalog.resolve(body.type);
      assertValid(manifest.secretSchema, body.value, `${manifest.type} secret value`);
      assertValid(manifest.metadataSchema, body.metadata, `${manifest.type} rotation metadata`);
      return body;
    } catch (error) {
      if (error instanceof RotorError) {
        const field = (error as { field?: string }).field;
        throw new ConsoleRequestError(400, error.message, { field, cause: error });
      }
      throw error;
    }
  }

  /**
   * `RotateSecret` with the stored configuration: `test` asks for a test rotation
   * (`RotateImmediately: false`), otherwise the rotation starts now.
   */
  async rotate(
    secretId: string,
    options: { test: boolean },
  ): Promise<{ arn: string; versionId: string | undefined }> {
    try {
      const output = await this.#sm.send(
        new RotateSecretCommand({ SecretId: secretId, RotateImmediately: !options.test }),
      );
      return { arn: output.ARN ?? secretId, versionId: output.VersionId };
    } catch (error) {
      throw awsFailure(error, 'RotateSecret');
    }
  }

  /** Roles already used by secrets here: the wizard's role picker. */
  async knownRoles(): Promise<string[]> {
    const roles = new Set<string>();
    for (const secret of await this.list()) if (secret.roleArn) roles.add(secret.roleArn);
    return [...roles].sort();
  }
}
