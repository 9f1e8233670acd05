/**
 * The Secrets Manager service: authorizes and dispatches an operation against the caller's account
 * and Region, then, in one step, refreshes replicas and persists every secret the request touched
 * (or rolls them all back if it failed), so each request is atomic in memory and on disk.
 */
import { batchGetSecretValue } from './batch-operations.ts';
import type { Operation, OperationContext, RequestCaller } from './context.ts';
import {
  AccessDeniedError,
  InvalidParameterError,
  InvalidRequestError,
  UnknownOperationError,
} from './errors.ts';
import { deleteSecret, restoreSecret, tagResource, untagResource } from './lifecycle-operations.ts';
import { listSecrets } from './list-operations.ts';
import { accessDenied, REPLICA_READ_ONLY } from './messages.ts';
import type {
  ResolvedOptions,
  RotationRequest,
  SecretRecord,
  SecretsManagerServiceOptions,
} from './model.ts';
import { decodeSecret, encodeSecret, type SecretPersistence, type StoredSecret } from './persistence.ts';
import { getRandomPassword } from './random-password.ts';
import { isReplica, syncReplicas } from './replication.ts';
import {
  removeRegionsFromReplication,
  replicateSecretToRegions,
  stopReplicationToReplica,
} from './replication-operations.ts';
import { cancelRotateSecret, rotateSecret } from './rotation-operations.ts';
import { createSecret, describeSecret, updateSecret } from './secret-operations.ts';
import { listSecretVersionIds, updateSecretVersionStage } from './stage-operations.ts';
import { SecretStore } from './store.ts';
import { asInput, type Input } from './validation.ts';
import { getSecretValue, putSecretValue } from './value-operations.ts';
import { QUOTA_WRITES, WriteQuota } from './write-quota.ts';

/** A Map, not an object literal, so a target such as `constructor` can't reach a prototype member. */
const OPERATIONS = new Map<string, Operation>([
  ['CreateSecret', createSecret],
  ['DescribeSecret', describeSecret],
  ['UpdateSecret', updateSecret],
  ['DeleteSecret', deleteSecret],
  ['RestoreSecret', restoreSecret],
  ['TagResource', tagResource],
  ['UntagResource', untagResource],
  ['GetSecretValue', getSecretValue],
  ['BatchGetSecretValue', batchGetSecretValue],
  ['PutSecretValue', putSecretValue],
  ['UpdateSecretVersionStage', updateSecretVersionStage],
  ['ListSecretVersionIds', listSecretVersionIds],
  ['ListSecrets', listSecrets],
  ['RotateSecret', rotateSecret],
  ['CancelRotateSecret', cancelRotateSecret],
  ['GetRandomPassword', getRandomPassword],
  ['ReplicateSecretToRegions', replicateSecretToRegions],
  ['RemoveRegionsFromReplication', removeRegionsFromReplication],
  ['StopReplicationToReplica', stopReplicationToReplica],
]);

/** The operations this endpoint implements. */
export const SUPPORTED_OPERATIONS: readonly string[] = [...OPERATIONS.keys()];

/** Operations that change a secret: refused on a replica (AWS: writes go to the primary's Region). */
const WRITES = new Set([
  'UpdateSecret',
  'DeleteSecret',
  'RestoreSecret',
  'TagResource',
  'UntagResource',
  'PutSecretValue',
  'UpdateSecretVersionStage',
  'RotateSecret',
  'CancelRotateSecret',
  'ReplicateSecretToRegions',
  'RemoveRegionsFromReplication',
]);

/**
 * Operations that only read (views of a secret, a password): they change no secret, so the
 * secrets they looked at need no comparison with their stored form afterwards. GetSecretValue and
 * BatchGetSecretValue are not among them: they record the access date.
 */
const READS = new Set(['DescribeSecret', 'ListSecretVersionIds', 'ListSecrets', 'GetRandomPassword']);

const REGION = /^[a-z0-9-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;
const SECRET_ARN_ACCOUNT = /^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:(\d{12}):secret:/;

/** Per-request context the endpoint passes in. */
export interface RequestContext {
  region: string;
  /** The verified caller; absent, the request is trusted (no policy check) and runs in `accountId`. */
  caller?: RequestCaller;
  /** Account of a trusted request without caller (default: the service's `accountId`). */
  accountId?: string;
}

export interface SecretsManagerServiceDeps {
  /** Where secrets are stored; absent, they live in memory only. */
  persistence?: SecretPersistence;
}

/**
 * An in-memory Secrets Manager with AWS's version, label, idempotency, deletion, replication and
 * rotation-start semantics, per account and Region, optionally persisted.
 *
 * @example
 * ```ts
 * const service = new SecretsManagerService({ onRotationRequested: (r) => engine.rotate(r) });
 * await service.handle('CreateSecret', { Name: 'db', SecretString: '{}' }, { region: 'us-east-1' });
 * ```
 */
export class SecretsManagerService {
  private readonly options: ResolvedOptions;
  private readonly stores = new Map<string, SecretStore>();
  /** The last stored JSON of every secret by ARN: the rollback point and the "changed?" check. */
  private readonly committed = new Map<string, string>();
  private readonly persistence: SecretPersistence | undefined;
  private readonly writeQuota: WriteQuota | undefined;

  constructor(options: SecretsManagerServiceOptions = {}, deps: SecretsManagerServiceDeps = {}) {
    this.options = {
      accountId: options.accountId ?? '000000000000',
      defaultRegion: options.defaultRegion ?? 'us-east-1',
      now: options.now ?? (() => new Date()),
      onRotationRequested: options.onRotationRequested,
      maxVersions: options.maxVersions ?? 100,
      deprecatedVersionMinAgeMs: options.deprecatedVersionMinAgeMs ?? 24 * 60 * 60 * 1000,
      abandonRotationOnManualWrite: options.abandonRotationOnManualWrite ?? true,
      allowCurrentLabelRemoval: options.allowCurrentLabelRemoval ?? false,
      allowTypeChange: options.allowTypeChange ?? false,
    };
    if (!ACCOUNT_ID.test(this.options.accountId)) throw new TypeError('accountId must be 12 digits.');
    if (!REGION.test(this.options.defaultRegion)) throw new TypeError('defaultRegion is not a Region name.');
    if (!Number.isInteger(this.options.maxVersions) || this.options.maxVersions < 1) {
      throw new TypeError('maxVersions must be a positive integer.');
    }
    this.writeQuota = options.writeQuota === undefined ? undefined : new WriteQuota(options.writeQuota);
    this.persistence = deps.persistence;
    this.load();
  }

  /** The Region used when a request names none. */
  get defaultRegion(): string {
    return this.options.defaultRegion;
  }

  /** The account of trusted requests without a caller. */
  get accountId(): string {
    return this.options.accountId;
  }

  /**
   * Runs one operation. `input` is the parsed JSON body (PascalCase members); the result is the
   * JSON-ready output (epoch-second timestamps, base64 binaries).
   *
   * @throws SecretsManagerServiceError with the AWS `__type`, HTTP status and message.
   */
  async handle(operation: string, input: unknown, ctx: RequestContext): Promise<unknown> {
    const run = OPERATIONS.get(operation);
    if (run === undefined) {
      throw new UnknownOperationError(
        `The operation ${operation.slice(0, 64)} is not supported by this endpoint.`,
      );
    }
    const request = asInput(input);
    if (!REGION.test(ctx.region)) throw new InvalidParameterError('The Region name is invalid.');
    const accountId = ctx.caller?.accountId ?? ctx.accountId ?? this.options.accountId;
    if (!ACCOUNT_ID.test(accountId)) throw new InvalidParameterError('The account id is invalid.');
    const storeIn = (region: string) => this.storeFor(accountId, region);
    const store = storeIn(ctx.region);
    // A copy: an injected clock may hand out the same Date object every time.
    const now = new Date(this.options.now().getTime());
    // Throttled before anything else: a throttled request changes nothing.
    if (QUOTA_WRITES.has(operation)) this.writeQuota?.take(accountId, ctx.region, now.getTime());
    const context: OperationContext = {
      store,
      region: ctx.region,
      accountId,
      now,
      options: this.options,
      requestRotation: (rotation) => this.notifyRotation(rotation),
      storeIn,
      authorize: (action, resource) => this.authorize(ctx.caller, accountId, action, resource),
    };
    try {
      const purged = store.purgeExpired(now);
      this.checkTarget(operation, request, context);
      const output = run(context, request);
      // Comparing a secret with its stored form costs an encoding of it: reads skip that.
      if (READS.has(operation) && !purged) this.forgetTouched(accountId);
      else this.commit(accountId);
      return output;
    } catch (error) {
      this.rollback(accountId);
      throw error;
    }
  }

  /** The policy check on the request's own target (each secret of a batch is checked again inside). */
  private checkTarget(operation: string, input: Input, ctx: OperationContext): void {
    const action = `secretsmanager:${operation}`;
    const secretId = typeof input.SecretId === 'string' ? input.SecretId : undefined;
    if (secretId !== undefined) {
      const secret = ctx.store.find(secretId);
      ctx.authorize(action, secret ?? secretId);
      if (secret !== undefined && isReplica(secret) && WRITES.has(operation)) {
        throw new InvalidRequestError(REPLICA_READ_ONLY);
      }
      return;
    }
    if (operation === 'CreateSecret' && typeof input.Name === 'string') {
      ctx.authorize(action, `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${input.Name}`);
      return;
    }
    ctx.authorize(action, '*');
  }

  private authorize(
    caller: RequestCaller | undefined,
    accountId: string,
    action: string,
    resource: SecretRecord | string,
  ): void {
    const arn = typeof resource === 'string' ? resource : resource.arn;
    const owner = SECRET_ARN_ACCOUNT.exec(arn)?.[1];
    // Another account's secret: only its resource policy could allow it, and the local stack has none.
    if (owner !== undefined && owner !== accountId) {
      throw new AccessDeniedError(accessDenied(caller?.principalArn ?? accountId, action, arn, 'resource'));
    }
    if (caller === undefined) return;
    const conditions: Record<string, string> = {};
    if (typeof resource !== 'string' && resource.type !== undefined) {
      conditions['secretsmanager:resource/Type'] = resource.type;
    }
    const decision = caller.decide(action, arn, conditions);
    if (decision === 'allow') return;
    throw new AccessDeniedError(
      accessDenied(caller.principalArn, action, arn, decision === 'deny' ? 'explicit' : 'identity'),
    );
  }

  private storeKey(accountId: string, region: string): string {
    return `${accountId}/${region}`;
  }

  private storeFor(accountId: string, region: string): SecretStore {
    const key = this.storeKey(accountId, region);
    let store = this.stores.get(key);
    if (store === undefined) {
      store = new SecretStore(region, accountId);
      this.stores.set(key, store);
    }
    return store;
  }

  private accountStores(accountId: string): SecretStore[] {
    return [...this.stores.values()].filter((store) => store.accountId === accountId);
  }

  /** Refreshes replicas of touched primaries, then stores every touched secret that changed, atomically. */
  private commit(accountId: string): void {
    for (const store of this.accountStores(accountId)) {
      for (const arn of store.touchedArns()) {
        const secret = store.peek(arn);
        if (secret !== undefined && !isReplica(secret) && (secret.replicas?.length ?? 0) > 0) {
          syncReplicas(secret, (region) => this.storeFor(accountId, region));
        }
      }
    }
    const writes: { arn: string; stored: StoredSecret | undefined; json: string | undefined }[] = [];
    for (const store of this.accountStores(accountId)) {
      for (const arn of store.takeTouched()) {
        const secret = store.peek(arn);
        if (secret === undefined) {
          if (this.committed.has(arn)) writes.push({ arn, stored: undefined, json: undefined });
          continue;
        }
        const stored = encodeSecret(secret, accountId);
        const json = JSON.stringify(stored);
        if (json !== this.committed.get(arn)) writes.push({ arn, stored, json });
      }
    }
    if (writes.length === 0) return;
    const persistence = this.persistence;
    if (persistence !== undefined) {
      persistence.transaction(() => {
        for (const { arn, stored } of writes) {
          if (stored === undefined) persistence.collection.delete(arn);
          else persistence.collection.put(arn, stored);
        }
      });
    }
    for (const { arn, json } of writes) {
      if (json === undefined) this.committed.delete(arn);
      else this.committed.set(arn, json);
    }
  }

  /** After a read: nothing it touched changed. */
  private forgetTouched(accountId: string): void {
    for (const store of this.accountStores(accountId)) store.takeTouched();
  }

  /** Puts every touched secret back as it was last committed. */
  private rollback(accountId: string): void {
    for (const store of this.accountStores(accountId)) {
      for (const arn of store.takeTouched()) {
        const json = this.committed.get(arn);
        if (json === undefined) store.removeArn(arn);
        else store.add(decodeSecret(JSON.parse(json) as StoredSecret));
      }
      store.takeTouched();
    }
  }

  private load(): void {
    if (this.persistence === undefined) return;
    for (const { value } of this.persistence.collection.all()) {
      const store = this.storeFor(value.accountId, value.region);
      store.add(decodeSecret(value));
      this.committed.set(value.arn, JSON.stringify(value));
    }
    for (const store of this.stores.values()) store.takeTouched();
  }

  /** Fire and forget: the hook runs after the request's state change; its failures are ignored. */
  private notifyRotation(request: RotationRequest): void {
    const hook = this.options.onRotationRequested;
    if (hook === undefined) return;
    void Promise.resolve()
      .then(() => hook({ ...request }))
      .catch(() => undefined);
  }
}
