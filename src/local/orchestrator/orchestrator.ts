/**
 * Rotation orchestration as Secrets Manager does it: a `RotateSecret` request runs the steps
 * asynchronously through the rotation handler (under the secret's role), failed rotations are
 * retried with back-off and then left for the next window, schedules fire inside their windows on
 * an injectable clock, `RotateImmediately=false` runs a test rotation, and a manual write that
 * moves AWSCURRENT mid-rotation abandons it. Every attempt publishes events and writes one audit
 * record.
 */
import { randomUUID } from 'node:crypto';
import type { RotationStep } from '../../engine/event.ts';
import type { RotationAttempt, RotationRunner } from '../rotation-runner.ts';
import type { RotationRequest } from '../secrets-manager/index.ts';
import { type AuditLog, type AuditRecord, InMemoryAuditLog, type RotationTrigger } from './audit-log.ts';
import { auditRecordOf } from './audit-record.ts';
import { cleanUpPending, copyCurrentToPending } from './cleanup.ts';
import { type Clock, systemClock } from './clock.ts';
import type { PendingDiscarder } from './discard.ts';
import { RotationAbandonedError } from './errors.ts';
import { type EventBus, InMemoryEventBus } from './event-bus.ts';
import { labelUpdatedEvent, type RotationEventName, rotationServiceEvent } from './events.ts';
import { type LabelChange, meaningOf } from './label-changes.ts';
import { type DescribedSecret, describe, type SecretsManagerPort, versionWithLabel } from './port.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay } from './retry-policy.ts';
import type { RotationSchedule } from './rotation-rules.ts';
import { basisOf, dueWindow, pendingVersion, scheduleOf } from './schedule-state.ts';
import { InMemoryScheduleStore, type ScheduleEntry, type ScheduleStore } from './schedule-store.ts';
import { nextRotationDate, windowAfter } from './windows.ts';

/**
 * What a test rotation (`RotateImmediately=false`) runs. AWS: it "creates an AWSPENDING version of
 * the secret and then removes it"; whether createSecret runs is Not confirmed.
 * - `create-set-test` (default): createSecret, setSecret and testSecret on the pending version,
 *   then the minted credential is discarded at the source and AWSPENDING removed;
 * - `test-current`: the pending version gets a copy of AWSCURRENT and only testSecret runs (nothing
 *   is minted at the source).
 */
export type TestRotationMode = 'create-set-test' | 'test-current';

export interface RotationOrchestratorOptions {
  port: SecretsManagerPort;
  runner: RotationRunner;
  clock?: Clock;
  bus?: EventBus;
  audit?: AuditLog;
  schedules?: ScheduleStore;
  /** Discards credentials minted for test or abandoned rotations; without it they stay at the source. */
  discarder?: PendingDiscarder;
  retry?: Partial<RetryPolicy>;
  testRotation?: TestRotationMode;
  /**
   * A window that passed with no rotation (the stack was down) is caught up at the next tick.
   * Default true: `NextRotationDate` promises a rotation "on or before" it.
   */
  catchUpMissedWindows?: boolean;
  /** How often the system clock is polled for due windows and retries. Default 1000 ms. */
  tickIntervalMs?: number;
  /**
   * How many rotations invoke the handler at once; the rest wait their turn, as invocations of a
   * Lambda function wait for its reserved concurrency. Default: no bound.
   */
  maxConcurrentRotations?: number;
}

const TEST_STEPS: readonly RotationStep[] = ['createSecret', 'setSecret', 'testSecret'];

interface ActiveRotation {
  versionId: string;
  controller: AbortController;
}

function isNotFound(error: unknown): boolean {
  return (error as { type?: string }).type === 'ResourceNotFoundException';
}

/** A bound on windows walked for a hint; past it, no hint (the secret is looked at every tick). */
const MAX_WINDOWS_WALKED = 1000;

/**
 * When a tick can next find a window of this secret due, given that none is due `now`: the start
 * of the first window of its chain (from `basis`, past the handled one) that opens after `now`.
 * Windows that opened already and were not due (closed, with catch-up off) never will be.
 */
function nextWindowStart(
  schedule: RotationSchedule,
  basis: Date,
  handledStart: string | undefined,
  now: Date,
): number {
  // The same chain as `dueWindow` walks: from the basis, or past the window already handled.
  let window = windowAfter(schedule, basis);
  if (window && handledStart !== undefined && window.start.getTime() <= Date.parse(handledStart))
    window = windowAfter(schedule, new Date(handledStart));
  for (let i = 0; window !== undefined && window.start <= now; i++) {
    if (i >= MAX_WINDOWS_WALKED) return now.getTime();
    window = windowAfter(schedule, window.start);
  }
  return window?.start.getTime() ?? Number.POSITIVE_INFINITY;
}

/**
 * @example
 * ```ts
 * const orchestrator = new RotationOrchestrator({ port: servicePort(service), runner, clock });
 * const service = new SecretsManagerService({ onRotationRequested: (r) => orchestrator.onRotationRequested(r) });
 * orchestrator.start();
 * ```
 */
export class RotationOrchestrator {
  readonly bus: EventBus;
  readonly audit: AuditLog;
  readonly schedules: ScheduleStore;
  readonly clock: Clock;
  readonly #port: SecretsManagerPort;
  readonly #runner: RotationRunner;
  readonly #discarder: PendingDiscarder | undefined;
  readonly #retry: RetryPolicy;
  readonly #testMode: TestRotationMode;
  readonly #catchUp: boolean;
  readonly #tickIntervalMs: number;
  readonly #active = new Map<string, ActiveRotation>();
  /** Triggers of rotations the scheduler asked RotateSecret for, by version id. */
  readonly #expected = new Map<string, RotationTrigger>();
  readonly #work = new Set<Promise<unknown>>();
  /** RotateSecret callers by version id, for the audit records of that rotation. */
  readonly #principals = new Map<string, string>();
  /**
   * Per secret, a time before which a tick has nothing to do for it: its next window (or retry)
   * as of the last look. Each tick otherwise describes every scheduled secret, which for a large
   * fleet is most of the scheduler's work. Dropped whenever something about the secret changes
   * that could bring its next window forward (a RotateSecret, a label move, its entry rewritten);
   * kept in memory only, so a restarted stack looks at every secret again.
   */
  readonly #notDueBefore = new Map<string, number>();
  readonly #maxConcurrent: number;
  /** Rotations invoking the handler now, and those waiting for one of them to end. */
  #invoking = 0;
  readonly #waiting: (() => void)[] = [];
  #ticking: Promise<void> | undefined;
  #tickAgain = false;
  #stop: (() => void) | undefined;

  constructor(options: RotationOrchestratorOptions) {
    this.#port = options.port;
    this.#runner = options.runner;
    this.clock = options.clock ?? systemClock;
    this.bus = options.bus ?? new InMemoryEventBus();
    this.audit = options.audit ?? new InMemoryAuditLog();
    this.schedules = options.schedules ?? new InMemoryScheduleStore();
    this.#discarder = options.discarder;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#testMode = options.testRotation ?? 'create-set-test';
    this.#catchUp = options.catchUpMissedWindows ?? true;
    this.#tickIntervalMs = options.tickIntervalMs ?? 1000;
    const max = options.maxConcurrentRotations ?? Number.POSITIVE_INFINITY;
    if (!(max === Number.POSITIVE_INFINITY || (Number.isInteger(max) && max >= 1))) {
      throw new TypeError(
        'maxConcurrentRotations must be a whole number ≥ 1, e.g. 50; leave it unset for no bound.',
      );
    }
    this.#maxConcurrent = max;
  }

  /** Runs `work` once fewer than `maxConcurrentRotations` others run; waiting ones go in order. */
  async #inSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.#invoking < this.#maxConcurrent) this.#invoking += 1;
    // A finishing rotation hands its slot straight to the first waiting one.
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#invoking -= 1;
    }
  }

  /** Starts the scheduler: on every jump of a virtual clock, else on an interval of the system clock. */
  start(): void {
    if (this.#stop) return;
    const onTick = () => void this.tick().catch(() => undefined);
    if (this.clock.onAdvance) {
      this.#stop = this.clock.onAdvance(onTick);
      return;
    }
    const timer = setInterval(onTick, this.#tickIntervalMs);
    timer.unref();
    this.#stop = () => clearInterval(timer);
  }

  /** Stops the scheduler and waits for running work. */
  async close(): Promise<void> {
    this.#stop?.();
    this.#stop = undefined;
    await this.idle();
  }

  /** Resolves once no tick, rotation, retry or clean-up is running. */
  async idle(): Promise<void> {
    while (this.#work.size > 0 || this.#ticking) {
      await Promise.allSettled([...this.#work, this.#ticking]);
    }
    await this.#runner.idle();
  }

  /**
   * Keeps `promise` in the work `idle()` waits for. Background work must never crash the stack: a
   * rejection is marked handled here, while callers that await the result still see it.
   */
  #track<T>(promise: Promise<T>): Promise<T> {
    const tracked = promise.finally(() => this.#work.delete(tracked));
    this.#work.add(tracked);
    tracked.catch(() => undefined);
    return tracked;
  }

  /** The service's `onRotationRequested`: RotateSecret has created the AWSPENDING version. */
  onRotationRequested(request: RotationRequest): Promise<void> {
    return this.#track(this.#onRotationRequested(request));
  }

  async #onRotationRequested(request: RotationRequest & { principal?: string }): Promise<void> {
    const { secretArn, versionId, region } = request;
    this.#notDueBefore.delete(secretArn);
    // Who called RotateSecret, once the service passes the caller's identity along.
    if (request.principal !== undefined) this.#principals.set(versionId, request.principal);
    const existing = await this.schedules.get(secretArn);
    const expected = this.#expected.get(versionId);
    this.#expected.delete(versionId);
    await this.schedules.put({
      ...existing,
      secretArn,
      region,
      // A scheduled rotation keeps the enable date; a RotateSecret call (re)configures.
      enabledAt: expected === undefined || existing === undefined ? this.#nowIso() : existing.enabledAt,
      retry: undefined,
    });
    if (!request.rotateImmediately) {
      await this.#testRotation(secretArn, versionId, region);
      return;
    }
    await this.#rotate(secretArn, versionId, region, expected ?? 'rotate-secret', 1);
  }

  /** A full rotation attempt of the pending version `versionId`. */
  async #rotate(
    secretArn: string,
    versionId: string,
    region: string,
    trigger: RotationTrigger,
    attemptNumber: number,
  ): Promise<void> {
    if (this.#active.has(secretArn)) return;
    const controller = new AbortController();
    this.#active.set(secretArn, { versionId, controller });
    try {
      const described = await describe(this.#port, secretArn, region);
      const roleArn = described.ExternalSecretRotationRoleArn;
      await this.#publish('RotationStarted', secretArn, versionId);
      const attempt = await this.#inSlot(() =>
        this.#runner.run(secretArn, versionId, {
          trigger,
          signal: controller.signal,
          ...(roleArn === undefined ? {} : { roleArn }),
        }),
      );
      if (attempt.result === 'abandoned') {
        await this.#cleanUp(secretArn, versionId, region).catch(() => undefined);
      }
      await this.#record(attempt, 'rotation', trigger, attemptNumber, described);
      if (attempt.result !== 'failed') this.#principals.delete(versionId);
      if (attempt.result === 'succeeded') {
        await this.#publish('RotationSucceeded', secretArn, versionId);
        await this.#updateEntry(secretArn, (entry) => ({ ...entry, retry: undefined }));
      } else if (attempt.result === 'failed') {
        const step = attempt.failure?.step ?? 'createSecret';
        await this.#publish(
          'RotationFailed',
          secretArn,
          versionId,
          `Error when executing lambda ${this.#runner.functionArn} during ${step} step`,
        );
        await this.#scheduleRetry(secretArn, versionId, attemptNumber);
      }
    } finally {
      this.#active.delete(secretArn);
    }
  }

  async #scheduleRetry(secretArn: string, versionId: string, attempts: number): Promise<void> {
    const delay = retryDelay(this.#retry, attempts);
    const nextAttemptAt =
      delay === undefined ? undefined : new Date(this.clock.now().getTime() + delay).toISOString();
    await this.#updateEntry(secretArn, (entry) => ({
      ...entry,
      retry: { versionId, attempts, ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }) },
    }));
  }

  /** RotateImmediately=false: exercise the steps on a pending version, then remove every trace of it. */
  async #testRotation(secretArn: string, versionId: string, region: string): Promise<void> {
    if (this.#active.has(secretArn)) return;
    const controller = new AbortController();
    this.#active.set(secretArn, { versionId, controller });
    try {
      const described = await describe(this.#port, secretArn, region);
      const roleArn = described.ExternalSecretRotationRoleArn;
      await this.#publish('TestRotationStarted', secretArn, versionId);
      let steps = TEST_STEPS;
      if (this.#testMode === 'test-current') {
        // Should the copy fail, testSecret finds no pending value and the test fails like any other.
        await copyCurrentToPending({ port: this.#port, secretArn, versionId, region }).catch(() => undefined);
        steps = ['testSecret'];
      }
      const attempt = await this.#inSlot(() =>
        this.#runner.run(secretArn, versionId, {
          trigger: 'test',
          steps,
          signal: controller.signal,
          ...(roleArn === undefined ? {} : { roleArn }),
        }),
      );
      try {
        await this.#cleanUp(secretArn, versionId, region, this.#testMode === 'create-set-test');
      } catch (error) {
        if (attempt.result === 'succeeded') {
          attempt.result = 'failed';
          attempt.failure = {
            step: 'testSecret',
            category: 'internal',
            name: 'RotationCleanupError',
            message: (error as Error).message,
          };
        }
      }
      await this.#record(attempt, 'test-rotation', 'test', 1, described);
      this.#principals.delete(versionId);
      await this.#publish(
        attempt.result === 'succeeded' ? 'TestRotationSucceeded' : 'TestRotationFailed',
        secretArn,
        versionId,
        attempt.result === 'succeeded'
          ? undefined
          : `Error when executing lambda ${this.#runner.functionArn} during ${attempt.failure?.step ?? 'testSecret'} step`,
      );
    } finally {
      this.#active.delete(secretArn);
    }
  }

  /** Leaves no trace of an unfinished rotation (I4); `discard` false keeps the source as it is. */
  #cleanUp(secretArn: string, versionId: string, region: string, discard = true): Promise<void> {
    return cleanUpPending(
      { port: this.#port, secretArn, versionId, region },
      discard ? this.#discarder : undefined,
    );
  }

  /** The service observer's report of label moves: label events, manual writes and abandonment. */
  onLabelsChanged(change: LabelChange): Promise<void> {
    return this.#track(this.#onLabelsChanged(change));
  }

  async #onLabelsChanged(change: LabelChange): Promise<void> {
    const { secretArn, name, region } = change;
    this.#notDueBefore.delete(secretArn);
    const time = this.clock.now();
    const meaning = meaningOf(change);
    for (const { label, versionId } of meaning.reported) {
      await this.bus.publish(labelUpdatedEvent({ secretArn, name, label, versionId, time }));
    }
    if (!meaning.manualWrite) return;
    await this.#updateEntry(secretArn, (entry) => ({ ...entry, lastManualWriteAt: time.toISOString() }));
    if (meaning.abandonedVersionId !== undefined)
      await this.#abandon(secretArn, meaning.abandonedVersionId, region);
  }

  async #abandon(secretArn: string, versionId: string, region: string): Promise<void> {
    await this.#publish('RotationAbandoned', secretArn, versionId);
    await this.#updateEntry(secretArn, (entry) =>
      entry.retry?.versionId === versionId ? { ...entry, retry: undefined } : entry,
    );
    const active = this.#active.get(secretArn);
    if (active?.versionId === versionId) {
      // The running attempt stops before its next step and cleans up after itself.
      active.controller.abort(new RotationAbandonedError(`Rotation of ${secretArn} was abandoned.`));
      return;
    }
    await this.#cleanUp(secretArn, versionId, region).catch(() => undefined);
  }

  /**
   * One scheduler pass: starts retries that are due and rotations whose window has opened.
   * Overlapping calls share one pass.
   */
  tick(): Promise<void> {
    if (this.#ticking) {
      // Time moved during a pass: run one more pass after it, so no due window is missed.
      this.#tickAgain = true;
      return this.#ticking;
    }
    this.#ticking = (async () => {
      do {
        this.#tickAgain = false;
        await this.#tickOnce();
      } while (this.#tickAgain);
    })().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  async #tickOnce(): Promise<void> {
    const now = this.clock.now().getTime();
    for (const entry of await this.schedules.list()) {
      if (this.#active.has(entry.secretArn)) continue;
      if (now < (this.#notDueBefore.get(entry.secretArn) ?? Number.NEGATIVE_INFINITY)) continue;
      await this.#tickEntry(entry).catch(() => undefined);
    }
  }

  async #tickEntry(entry: ScheduleEntry): Promise<void> {
    let described: DescribedSecret;
    try {
      described = await describe(this.#port, entry.secretArn, entry.region);
    } catch (error) {
      if (isNotFound(error)) await this.schedules.delete(entry.secretArn);
      return;
    }
    if (described.DeletedDate !== undefined || described.RotationEnabled !== true) return;
    const now = this.clock.now();
    const pending = pendingVersion(described);
    const retry = entry.retry;
    if (retry?.nextAttemptAt !== undefined) {
      if (pending !== retry.versionId) {
        await this.schedules.put({ ...entry, retry: undefined });
      } else if (now.getTime() >= Date.parse(retry.nextAttemptAt)) {
        void this.#track(
          this.#rotate(entry.secretArn, retry.versionId, entry.region, 'retry', retry.attempts + 1),
        );
        return;
      } else {
        this.#notDueBefore.set(entry.secretArn, Date.parse(retry.nextAttemptAt));
        return;
      }
    }
    const schedule = scheduleOf(described);
    if (schedule === undefined) return;
    const basis = basisOf(described, entry);
    const window = dueWindow(schedule, basis, entry.handledWindowStart, now, this.#catchUp);
    if (window === undefined) {
      this.#notDueBefore.set(
        entry.secretArn,
        nextWindowStart(schedule, basis, entry.handledWindowStart, now),
      );
      return;
    }
    await this.schedules.put({ ...entry, handledWindowStart: window.start.toISOString(), retry: undefined });
    if (pending !== undefined) {
      // "A previous rotation isn't complete. That rotation will be reattempted." — here it is.
      void this.#track(this.#rotate(entry.secretArn, pending, entry.region, 'schedule', 1));
      return;
    }
    const versionId = randomUUID();
    this.#expected.set(versionId, 'schedule');
    await this.#port
      .call('RotateSecret', { SecretId: entry.secretArn, ClientRequestToken: versionId }, entry.region)
      .catch(() => this.#expected.delete(versionId));
  }

  /**
   * `NextRotationDate` of a described secret, or undefined when no schedule applies. It counts from
   * the last rotation or manual value change, so it stays in the past while rotations fail.
   */
  async nextRotationDate(described: DescribedSecret): Promise<Date | undefined> {
    if (described.RotationEnabled !== true) return undefined;
    const schedule = scheduleOf(described);
    if (schedule === undefined) return undefined;
    return nextRotationDate(schedule, basisOf(described, await this.schedules.get(described.ARN)));
  }

  async #updateEntry(secretArn: string, update: (entry: ScheduleEntry) => ScheduleEntry): Promise<void> {
    this.#notDueBefore.delete(secretArn);
    const entry = await this.schedules.get(secretArn);
    if (entry !== undefined) await this.schedules.put(update(entry));
  }

  async #publish(name: RotationEventName, secretArn: string, versionId: string, errorMessage?: string) {
    await this.bus.publish(
      rotationServiceEvent(name, {
        secretArn,
        versionId,
        time: this.clock.now(),
        ...(errorMessage === undefined ? {} : { errorMessage }),
      }),
    );
  }

  async #record(
    attempt: RotationAttempt,
    kind: AuditRecord['kind'],
    trigger: RotationTrigger,
    attemptNumber: number,
    described: DescribedSecret,
  ): Promise<void> {
    await this.audit.append(
      auditRecordOf(attempt, {
        kind,
        trigger,
        attemptNumber,
        previousVersionId: versionWithLabel(described, 'AWSCURRENT'),
        principal: trigger === 'schedule' ? undefined : this.#principals.get(attempt.versionId),
        now: this.clock.now(),
      }),
    );
  }

  #nowIso(): string {
    return this.clock.now().toISOString();
  }
}
