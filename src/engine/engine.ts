/**
 * The Secrets Manager four-step rotation contract, implemented once for every partner.
 *
 * Pre-checks run before every step; each step is idempotent for its token (I3); the source moves
 * first and `AWSCURRENT` moves last, in exactly one `UpdateSecretVersionStage` (I1, I2).
 */
import type { DescribeSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClients } from '../aws/roles.ts';
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, SecretStore, versionWithStage } from '../aws/secret-store.ts';
import { VersionCache } from '../aws/version-cache.ts';
import { type AnyPartnerManifest, PartnerCatalog } from '../runtime/catalog.ts';
import { type LogAttributes, type RotationLogger, silentLogger } from '../runtime/logger.ts';
import type { HookContext, PartnerRotatorV1, SecretValue } from '../runtime/partner.ts';
import { parseSecretString } from '../runtime/validation.ts';
import { ConflictError, InternalError, InvalidConfigurationError, RotorError } from './errors.ts';
import { parseRotationEvent, type RotationStep, tokenHash } from './event.ts';
import { noEvents, type RotorEventSink } from './events.ts';
import { findsOrphans, type OrphanCredential } from './orphans.ts';
import {
  bindPartner,
  checkSecretValue,
  type HookWrapper,
  type PartnerBindingOptions,
} from './partner-binding.ts';
import { Redactor } from './redactor.ts';

export type { HookWrapper };

/**
 * Default grace period: one hour. Long enough for the common consumer caches (Secrets Manager
 * Agent 300 s, CSI driver polling, External Secrets Operator's default 1 h refresh) to pick up
 * the new value before the old one stops working.
 */
export const DEFAULT_GRACE_PERIOD_SECONDS = 3600;

export interface RotationEngineOptions {
  clients: SecretsManagerClients;
  catalog?: PartnerCatalog;
  logger?: RotationLogger;
  events?: RotorEventSink;
  now?: () => Date;
  /** Accept loopback partner URLs (simulators). Off in production. */
  simulatorMode?: boolean;
  /** In simulator mode: partner type → simulator base URL, for partners whose value holds no URL. */
  simulatorUrls?: Readonly<Record<string, string>>;
  defaultGracePeriodSeconds?: number;
  /** Immutable secret versions by id, reused across the steps of a rotation (default: a small in-memory cache). */
  versionCache?: VersionCache;
  /**
   * Wraps every partner hook call, e.g. to open a trace subsegment per call. It must call `call`
   * once and return (or throw) what it does.
   */
  hookWrapper?: HookWrapper;
}

/** What {@link RotationEngine.revokePrevious} did. */
export interface RevokeOutcome {
  revoked: boolean;
  reason: 'revoked' | 'no-previous' | 'grace-period' | 'already-gone';
  /** When the grace period ends, if that is what stopped it. */
  notBefore?: Date;
}

/** One secret, resolved and checked: what every step needs. */
interface Prepared {
  arn: string;
  store: SecretStore;
  describe: DescribeSecretCommandOutput;
  /** The version under AWSCURRENT, from DescribeSecret. */
  currentVersionId: string | undefined;
  manifest: AnyPartnerManifest;
  rotator: PartnerRotatorV1;
  context: HookContext;
}

function scopedLogger(base: RotationLogger, scope: LogAttributes): RotationLogger {
  return {
    debug: (message, attributes) => base.debug(message, { ...scope, ...attributes }),
    info: (message, attributes) => base.info(message, { ...scope, ...attributes }),
    warn: (message, attributes) => base.warn(message, { ...scope, ...attributes }),
    error: (message, attributes) => base.error(message, { ...scope, ...attributes }),
  };
}

/**
 * Runs rotation steps for any catalog partner.
 *
 * @example
 * ```ts
 * const engine = new RotationEngine({ clients: new SecretsManagerClients({ secretsManager, sts }) });
 * await engine.run({ Step: 'createSecret', SecretId: arn, ClientRequestToken: versionId });
 * ```
 */
export class RotationEngine {
  readonly #clients: SecretsManagerClients;
  readonly #logger: RotationLogger;
  readonly #events: RotorEventSink;
  readonly #now: () => Date;
  readonly #simulatorMode: boolean;
  readonly #versionCache: VersionCache;
  /** What binding a partner for a hook needs (see partner-binding.ts). */
  readonly #binding: PartnerBindingOptions;

  constructor(options: RotationEngineOptions) {
    this.#clients = options.clients;
    this.#logger = options.logger ?? silentLogger;
    this.#events = options.events ?? noEvents;
    this.#now = options.now ?? (() => new Date());
    this.#simulatorMode = options.simulatorMode ?? false;
    this.#versionCache = options.versionCache ?? new VersionCache();
    this.#binding = {
      catalog: options.catalog ?? new PartnerCatalog(),
      simulatorMode: this.#simulatorMode,
      simulatorUrls: options.simulatorUrls ?? {},
      defaultGracePeriodSeconds: options.defaultGracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS,
      now: this.#now,
      hookWrapper: options.hookWrapper,
    };
  }

  /**
   * Runs one step of a rotation event.
   *
   * @throws {InvalidConfigurationError} bad event, secret, metadata, partner or host (before any change).
   * @throws {ConflictError} the token is not the pending version, or the source is in the way.
   * @param invocation.roleArn - run under this role in the secret's account (see
   *   {@link SecretsManagerClients.forSecret}); default: the configured customer role.
   * @throws {RotorError} any other failure, categorised.
   */
  async run(rawEvent: unknown, invocation: { roleArn?: string } = {}): Promise<void> {
    const redactor = new Redactor();
    let log = scopedLogger(this.#logger, {});
    let partnerType: string | undefined;
    let step: string | undefined;
    let secretId: string | undefined;
    try {
      const event = parseRotationEvent(rawEvent);
      redactor.add(event.RotationToken);
      ({ Step: step, SecretId: secretId } = event);
      const token = event.ClientRequestToken;
      log = scopedLogger(this.#logger, { secretId, step, tokenHash: tokenHash(token) });
      log.info('Rotation step started');

      const store = new SecretStore(await this.#clients.forSecret(secretId, invocation), this.#versionCache);
      const describe = await store.describe(secretId);
      const arn = describe.ARN ?? secretId;
      if (!this.#preChecksPass(describe, arn, token, log)) return;

      const prepared = await this.#prepare(store, describe, arn, token, event.Step, redactor, log);
      partnerType = prepared.manifest.type;
      await this.#runStep(event.Step, prepared, token, event.RotationToken, redactor);
      log.info('Rotation step succeeded', { partnerType });
      if (event.Step === 'finishSecret') {
        await this.#events.publish({
          detailType: 'Rotation Succeeded',
          detail: {
            secretArn: arn,
            partnerType,
            versionId: token,
            gracePeriodSeconds: prepared.context.gracePeriodSeconds,
          },
        });
      }
    } catch (thrown) {
      const error = redactor.scrubError(
        thrown instanceof RotorError
          ? thrown
          : new InternalError('Unexpected failure during rotation; see the cause.', { cause: thrown }),
      );
      error.withContext({ step, secretId, partnerType });
      log.error('Rotation step failed', {
        errorName: error.name,
        category: error.category,
        message: error.message,
      });
      await this.#events
        .publish({
          detailType: 'Rotation Failed',
          detail: {
            secretArn: secretId ?? 'unknown',
            partnerType,
            step,
            category: error.category,
            message: error.message,
          },
        })
        .catch(() => log.warn('Could not publish the Rotation Failed event'));
      throw error;
    }
  }

  /** The AWS template's pre-checks. Returns false when the step has nothing to do. */
  #preChecksPass(
    describe: DescribeSecretCommandOutput,
    arn: string,
    token: string,
    log: RotationLogger,
  ): boolean {
    if (describe.RotationEnabled === false) {
      throw new InvalidConfigurationError(
        `Secret ${arn} is not enabled for rotation; enable it with RotateSecret.`,
        {
          field: 'RotationEnabled',
        },
      );
    }
    const stages = describe.VersionIdsToStages?.[token];
    if (!stages) {
      throw new ConflictError(`Secret version ${token} has no stage for rotation of secret ${arn}.`);
    }
    if (stages.includes(AWSCURRENT)) {
      log.info('Version is already AWSCURRENT; nothing to do');
      return false;
    }
    if (!stages.includes(AWSPENDING)) {
      throw new ConflictError(
        `Secret version ${token} is not set as AWSPENDING for rotation of secret ${arn}.`,
      );
    }
    return true;
  }

  /** Resolves partner, metadata and plugin, all checked before any change (I6). */
  async #prepare(
    store: SecretStore,
    describe: DescribeSecretCommandOutput,
    arn: string,
    token: string,
    step: RotationStep | 'revoke' | 'repair',
    redactor: Redactor,
    log: RotationLogger,
  ): Promise<Prepared> {
    const { manifest, rotator, context } = await bindPartner(
      describe,
      {
        secretId: arn,
        token,
        logFor: (partnerType) => scopedLogger(log, { partnerType, step }),
        readSecret: async (otherId) => {
          const otherStore = new SecretStore(await this.#clients.forSecret(otherId));
          const version = await otherStore.getVersion(otherId, { stage: AWSCURRENT });
          const value = parseSecretString(version.secretString, `secret ${otherId}`);
          redactor.addValues(value);
          return value;
        },
      },
      this.#binding,
    );
    const currentVersionId = versionWithStage(describe, AWSCURRENT);
    return { arn, store, describe, currentVersionId, manifest, rotator, context };
  }

  /** Reads a version's value and checks it: schema and egress, before any hook sees it. */
  async #readValue(
    prepared: Prepared,
    select: { versionId?: string; stage: string },
    redactor: Redactor,
  ): Promise<SecretValue> {
    // AWSCURRENT is read by its version id (from DescribeSecret) so a cached copy can serve it.
    if (select.stage === AWSCURRENT && !select.versionId)
      select = { ...select, versionId: prepared.currentVersionId };
    const version = await prepared.store.getVersion(prepared.arn, select);
    return this.#checkValue(prepared.manifest, version.secretString, `${select.stage} value`, redactor);
  }

  #checkValue(
    manifest: AnyPartnerManifest,
    secretString: string | undefined,
    what: string,
    redactor: Redactor,
  ): SecretValue {
    return checkSecretValue(manifest, secretString, what, { simulatorMode: this.#simulatorMode, redactor });
  }

  async #runStep(
    step: RotationStep,
    prepared: Prepared,
    token: string,
    rotationToken: string | undefined,
    redactor: Redactor,
  ): Promise<void> {
    const { arn, store, rotator, context } = prepared;
    const pendingSelect = { versionId: token, stage: AWSPENDING };
    switch (step) {
      case 'createSecret': {
        const current = await this.#readValue(prepared, { stage: AWSCURRENT }, redactor);
        if (await store.findVersion(arn, pendingSelect)) {
          context.log.info('AWSPENDING value already exists for this token; nothing to create');
          return;
        }
        const { pending } = await rotator.create({ current }, context);
        await this.#storePending(prepared, current, pending, token, rotationToken, redactor);
        return;
      }
      case 'setSecret': {
        const current = await this.#readValue(prepared, { stage: AWSCURRENT }, redactor);
        const pending = await this.#readValue(prepared, pendingSelect, redactor);
        await rotator.set({ current, pending }, context);
        return;
      }
      case 'testSecret': {
        const pending = await this.#readValue(prepared, pendingSelect, redactor);
        await rotator.test({ pending }, context);
        return;
      }
      case 'finishSecret': {
        const current = await this.#readValue(prepared, { stage: AWSCURRENT }, redactor);
        const pending = await this.#readValue(prepared, pendingSelect, redactor);
        await rotator.promote({ current, pending }, context);
        await store.moveCurrent(arn, token, prepared.currentVersionId);
        return;
      }
    }
  }

  /**
   * Stores a freshly minted credential as AWSPENDING. If the write fails, the credential is
   * discarded at the source (I4) — unless the write in fact landed (a lost response), in which
   * case discarding would strand the rotation.
   */
  async #storePending(
    prepared: Prepared,
    current: SecretValue,
    pending: SecretValue,
    token: string,
    rotationToken: string | undefined,
    redactor: Redactor,
  ): Promise<void> {
    const { arn, store, context, manifest } = prepared;
    try {
      this.#checkValue(manifest, JSON.stringify(pending), 'pending value from the plugin', redactor);
    } catch (error) {
      await this.#discard(prepared, current, pending);
      throw new InternalError(
        `${manifest.type} plugin produced an invalid pending value; it was discarded.`,
        {
          cause: error,
        },
      );
    }
    const secretString = JSON.stringify(pending);
    try {
      await store.putPending(arn, token, secretString, rotationToken);
    } catch (error) {
      const landed = await store
        .findVersion(arn, { versionId: token, stage: AWSPENDING })
        .catch(() => undefined);
      if (landed?.secretString === secretString) {
        context.log.warn('PutSecretValue reported a failure but the pending value is stored; keeping it');
        return;
      }
      await this.#discard(prepared, current, pending);
      throw error;
    }
  }

  async #discard(prepared: Prepared, current: SecretValue, pending: SecretValue): Promise<void> {
    try {
      await prepared.rotator.discard({ current, pending }, prepared.context);
      prepared.context.log.warn('Discarded the credential minted for this token');
    } catch (discardError) {
      const category = discardError instanceof RotorError ? discardError.category : 'internal';
      prepared.context.log.error(
        'Could not discard the minted credential; it will be reused or cleaned up on retry',
        {
          category,
        },
      );
    }
  }

  /**
   * Revokes the credential under `AWSPREVIOUS` once the grace period since the last rotation is
   * over (I5). Never touches the credential under `AWSCURRENT`.
   *
   * @example
   * ```ts
   * const outcome = await engine.revokePrevious(secretArn);
   * if (outcome.reason === 'grace-period') scheduleAt(outcome.notBefore);
   * ```
   */
  async revokePrevious(secretId: string): Promise<RevokeOutcome> {
    const redactor = new Redactor();
    const log = scopedLogger(this.#logger, { secretId, step: 'revoke' });
    let partnerType: string | undefined;
    try {
      const store = new SecretStore(await this.#clients.forSecret(secretId), this.#versionCache);
      const describe = await store.describe(secretId);
      const arn = describe.ARN ?? secretId;
      const stages = describe.VersionIdsToStages ?? {};
      const previousId = Object.keys(stages).find((id) => stages[id]?.includes(AWSPREVIOUS));
      if (!previousId) return { revoked: false, reason: 'no-previous' };
      const prepared = await this.#prepare(store, describe, arn, previousId, 'revoke', redactor, log);
      partnerType = prepared.manifest.type;
      const rotatedAt = describe.LastRotatedDate;
      const notBefore = new Date(
        (rotatedAt?.getTime() ?? this.#now().getTime()) + prepared.context.gracePeriodSeconds * 1000,
      );
      if (!rotatedAt || notBefore.getTime() > this.#now().getTime()) {
        log.info('Grace period not over; previous credential kept', { notBefore: notBefore.toISOString() });
        return { revoked: false, reason: 'grace-period', notBefore };
      }
      const current = await this.#readValue(prepared, { stage: AWSCURRENT }, redactor);
      const previous = await this.#readValue(
        prepared,
        { versionId: previousId, stage: AWSPREVIOUS },
        redactor,
      );
      const { revoked } = await prepared.rotator.revoke({ previous, current }, prepared.context);
      log.info(revoked ? 'Previous credential revoked' : 'Previous credential was already gone', {
        partnerType,
      });
      if (revoked) {
        await this.#events.publish({
          detailType: 'Credential Revoked',
          detail: { secretArn: arn, partnerType, versionId: previousId },
        });
      }
      return { revoked, reason: revoked ? 'revoked' : 'already-gone' };
    } catch (thrown) {
      const error = redactor.scrubError(
        thrown instanceof RotorError
          ? thrown
          : new InternalError('Unexpected failure during revocation.', { cause: thrown }),
      );
      error.withContext({ step: 'revoke', secretId, partnerType });
      log.error('Revocation failed', {
        errorName: error.name,
        category: error.category,
        message: error.message,
      });
      throw error;
    }
  }
  /**
   * Abandons a stuck rotation (repair): discards the pending credential at the source with the
   * plugin's `discard`, when the pending version holds a value, then removes AWSPENDING from that
   * version. Refuses the version under `AWSCURRENT`, which it never touches (I1). The label stays
   * when the discard fails, so the fix can be retried.
   *
   * @returns whether a pending value was handed to the plugin's `discard`.
   * @example
   * ```ts
   * await engine.discardPending(secretArn, stuckVersionId);
   * ```
   */
  async discardPending(secretId: string, versionId: string): Promise<{ discarded: boolean }> {
    const redactor = new Redactor();
    const log = scopedLogger(this.#logger, { secretId, step: 'repair', tokenHash: tokenHash(versionId) });
    let partnerType: string | undefined;
    try {
      const store = new SecretStore(await this.#clients.forSecret(secretId), this.#versionCache);
      const describe = await store.describe(secretId);
      const arn = describe.ARN ?? secretId;
      const stages = describe.VersionIdsToStages?.[versionId] ?? [];
      if (stages.includes(AWSCURRENT)) {
        throw new ConflictError(`Version ${versionId} of ${arn} is AWSCURRENT; it is never discarded.`);
      }
      if (!stages.includes(AWSPENDING)) return { discarded: false };
      const prepared = await this.#prepare(store, describe, arn, versionId, 'repair', redactor, log);
      partnerType = prepared.manifest.type;
      const stored = await store.findVersion(arn, { versionId, stage: AWSPENDING });
      let discarded = false;
      if (stored) {
        const current = await this.#readValue(prepared, { stage: AWSCURRENT }, redactor);
        const pending = this.#checkValue(
          prepared.manifest,
          stored.secretString,
          'AWSPENDING value',
          redactor,
        );
        await prepared.rotator.discard({ current, pending }, prepared.context);
        discarded = true;
      }
      await store.clearPending(arn, versionId);
      log.warn('Abandoned the pending rotation', { partnerType, discarded });
      return { discarded };
    } catch (thrown) {
      const error = redactor.scrubError(
        thrown instanceof RotorError
          ? thrown
          : new InternalError('Unexpected failure while discarding a pending rotation.', { cause: thrown }),
      );
      error.withContext({ step: 'repair', secretId, partnerType });
      log.error('Discarding the pending rotation failed', {
        errorName: error.name,
        category: error.category,
        message: error.message,
      });
      throw error;
    }
  }
  /**
   * Orphan credentials of a secret at the source, when its plugin can tell (the optional hooks
   * of `orphans.ts`); `undefined` when it cannot.
   *
   * @example
   * ```ts
   * for (const orphan of (await engine.findOrphans(secretArn)) ?? []) await engine.revokeOrphan(secretArn, orphan);
   * ```
   */
  async findOrphans(secretId: string): Promise<OrphanCredential[] | undefined> {
    return this.#withOrphanHooks(secretId, async (prepared, current, redactor) => {
      if (!findsOrphans(prepared.rotator)) return undefined;
      const known = [current];
      const stages = prepared.describe.VersionIdsToStages ?? {};
      for (const [versionId, labels] of Object.entries(stages)) {
        if (versionId === prepared.currentVersionId) continue;
        const stage = labels.includes(AWSPENDING)
          ? AWSPENDING
          : labels.includes(AWSPREVIOUS)
            ? AWSPREVIOUS
            : '';
        if (!stage) continue;
        const stored = await prepared.store.findVersion(prepared.arn, { versionId, stage });
        if (stored)
          known.push(this.#checkValue(prepared.manifest, stored.secretString, `${stage} value`, redactor));
      }
      return prepared.rotator.listOrphans({ current, known }, prepared.context);
    });
  }

  /** Revokes one orphan found by {@link findOrphans}. */
  async revokeOrphan(secretId: string, orphan: OrphanCredential): Promise<void> {
    await this.#withOrphanHooks(secretId, async (prepared, current) => {
      if (!findsOrphans(prepared.rotator)) {
        throw new InvalidConfigurationError(`The ${prepared.manifest.type} plugin cannot revoke orphans.`, {
          field: 'Type',
        });
      }
      await prepared.rotator.revokeOrphan({ current, orphan }, prepared.context);
      prepared.context.log.warn('Revoked an orphan credential at the source', { orphanId: orphan.id });
    });
  }

  async #withOrphanHooks<T>(
    secretId: string,
    work: (prepared: Prepared, current: SecretValue, redactor: Redactor) => Promise<T>,
  ): Promise<T> {
    const redactor = new Redactor();
    const log = scopedLogger(this.#logger, { secretId, step: 'repair' });
    try {
      const store = new SecretStore(await this.#clients.forSecret(secretId), this.#versionCache);
      const describe = await store.describe(secretId);
      const arn = describe.ARN ?? secretId;
      const currentVersionId = versionWithStage(describe, AWSCURRENT) ?? '';
      const prepared = await this.#prepare(store, describe, arn, currentVersionId, 'repair', redactor, log);
      const current = await this.#readValue(prepared, { stage: AWSCURRENT }, redactor);
      return await work(prepared, current, redactor);
    } catch (thrown) {
      const error = redactor.scrubError(
        thrown instanceof RotorError
          ? thrown
          : new InternalError('Unexpected failure while handling orphan credentials.', { cause: thrown }),
      );
      error.withContext({ step: 'repair', secretId });
      log.error('Orphan handling failed', {
        errorName: error.name,
        category: error.category,
        message: error.message,
      });
      throw error;
    }
  }
}
