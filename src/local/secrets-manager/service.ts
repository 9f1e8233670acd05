/** The Secrets Manager service: dispatches an operation to its handler against the Region's store. */
import type { Operation, OperationContext } from './context.ts';
import { InvalidParameterError, UnknownOperationError } from './errors.ts';
import { deleteSecret, restoreSecret, tagResource, untagResource } from './lifecycle-operations.ts';
import { listSecrets } from './list-operations.ts';
import type { ResolvedOptions, RotationRequest, SecretsManagerServiceOptions } from './model.ts';
import { getRandomPassword } from './random-password.ts';
import { cancelRotateSecret, rotateSecret } from './rotation-operations.ts';
import { createSecret, describeSecret, updateSecret } from './secret-operations.ts';
import { listSecretVersionIds, updateSecretVersionStage } from './stage-operations.ts';
import { SecretStore } from './store.ts';
import { asInput } from './validation.ts';
import { getSecretValue, putSecretValue } from './value-operations.ts';

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
  ['PutSecretValue', putSecretValue],
  ['UpdateSecretVersionStage', updateSecretVersionStage],
  ['ListSecretVersionIds', listSecretVersionIds],
  ['ListSecrets', listSecrets],
  ['RotateSecret', rotateSecret],
  ['CancelRotateSecret', cancelRotateSecret],
  ['GetRandomPassword', getRandomPassword],
]);

/** The operations this endpoint implements. */
export const SUPPORTED_OPERATIONS: readonly string[] = [...OPERATIONS.keys()];

const REGION = /^[a-z0-9-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * An in-memory Secrets Manager with AWS's version, label, idempotency, deletion and rotation-start
 * semantics. Each Region has its own secrets.
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

  constructor(options: SecretsManagerServiceOptions = {}) {
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
  }

  /** The Region used when a request names none. */
  get defaultRegion(): string {
    return this.options.defaultRegion;
  }

  /**
   * Runs one operation. `input` is the parsed JSON body (PascalCase members); the result is the
   * JSON-ready output (epoch-second timestamps, base64 binaries).
   *
   * @throws SecretsManagerServiceError with the AWS `__type`, HTTP status and message.
   */
  async handle(operation: string, input: unknown, ctx: { region: string }): Promise<unknown> {
    const run = OPERATIONS.get(operation);
    if (run === undefined) {
      throw new UnknownOperationError(
        `The operation ${operation.slice(0, 64)} is not supported by this endpoint.`,
      );
    }
    const request = asInput(input);
    if (!REGION.test(ctx.region)) throw new InvalidParameterError('The Region name is invalid.');
    const store = this.storeFor(ctx.region);
    // A copy: an injected clock may hand out the same Date object every time.
    const now = new Date(this.options.now().getTime());
    store.purgeExpired(now);
    const context: OperationContext = {
      store,
      region: ctx.region,
      now,
      options: this.options,
      requestRotation: (request) => this.notifyRotation(request),
    };
    return run(context, request);
  }

  private storeFor(region: string): SecretStore {
    let store = this.stores.get(region);
    if (store === undefined) {
      store = new SecretStore(region, this.options.accountId);
      this.stores.set(region, store);
    }
    return store;
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
