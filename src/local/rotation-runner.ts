/**
 * Runs a rotation the way Secrets Manager does: the steps in order, each through the rotation
 * handler, with a fresh `RotationToken` per attempt. Keeps a record of every attempt (steps,
 * result, failure category) for the CLI and the console; records never hold secret values or
 * tokens. Scheduling, retries and events live in the orchestrator (`orchestrator/`).
 */
import { randomBytes } from 'node:crypto';
import { RotorError } from '../engine/errors.ts';
import { ROTATION_STEPS, type RotationStep } from '../engine/event.ts';

/**
 * The Lambda-style context of one invocation: it names the function (and so the account) and, for
 * managed external secrets, the role the rotation runs under (`ExternalSecretRotationRoleArn`).
 */
export interface RunnerContext {
  invokedFunctionArn: string;
  roleArn?: string;
}

export type RotationHandlerFn = (event: unknown, context: RunnerContext) => Promise<void>;

export interface StepRecord {
  step: RotationStep;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt?: string;
}

export interface RotationAttempt {
  secretArn: string;
  versionId: string;
  startedAt: string;
  finishedAt?: string;
  result: 'running' | 'succeeded' | 'failed' | 'abandoned';
  steps: StepRecord[];
  failure?: { step: RotationStep; category: string; name: string; message: string };
  /** What started it (see the orchestrator's audit records). */
  trigger?: string;
  roleArn?: string;
}

export interface RunOptions {
  trigger?: string;
  /** Passed to the handler in its context. */
  roleArn?: string;
  /** The steps to run, in order; default all four (a test rotation stops before finishSecret). */
  steps?: readonly RotationStep[];
  /** Aborted when the rotation is abandoned: no further step starts. */
  signal?: AbortSignal;
}

/** A RotationToken-shaped value (36–256 chars of `[a-zA-Z0-9-]`). */
function newRotationToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * @example
 * ```ts
 * const runner = new RotationRunner(createRotationHandler({ secretsManager }), functionArn);
 * const attempt = await runner.run(secretArn, versionId, { trigger: 'schedule' });
 * ```
 */
export class RotationRunner {
  readonly #handler: RotationHandlerFn;
  readonly #now: () => Date;
  readonly #attempts: RotationAttempt[] = [];
  readonly #running = new Set<Promise<unknown>>();
  readonly #functionArn: string;

  constructor(handler: RotationHandlerFn, functionArn: string, now: () => Date = () => new Date()) {
    this.#handler = handler;
    this.#functionArn = functionArn;
    this.#now = now;
  }

  /** The function ARN invocations carry (the local Rotor rotation function). */
  get functionArn(): string {
    return this.#functionArn;
  }

  /** Starts a rotation in the background and returns its record at once. */
  start(secretArn: string, versionId: string, options: RunOptions = {}): RotationAttempt {
    const attempt = this.#newAttempt(secretArn, versionId, options);
    void this.#track(this.#run(attempt, options));
    return attempt;
  }

  /** Runs a rotation and resolves with its finished record (it never rejects). */
  run(secretArn: string, versionId: string, options: RunOptions = {}): Promise<RotationAttempt> {
    const attempt = this.#newAttempt(secretArn, versionId, options);
    return this.#track(this.#run(attempt, options).then(() => attempt));
  }

  #newAttempt(secretArn: string, versionId: string, options: RunOptions): RotationAttempt {
    const attempt: RotationAttempt = {
      secretArn,
      versionId,
      startedAt: this.#now().toISOString(),
      result: 'running',
      steps: [],
      ...(options.trigger === undefined ? {} : { trigger: options.trigger }),
      ...(options.roleArn === undefined ? {} : { roleArn: options.roleArn }),
    };
    this.#attempts.push(attempt);
    return attempt;
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    const tracked = promise.finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
    return tracked;
  }

  async #run(attempt: RotationAttempt, options: RunOptions): Promise<void> {
    const rotationToken = newRotationToken();
    const context: RunnerContext = {
      invokedFunctionArn: this.#functionArn,
      ...(options.roleArn === undefined ? {} : { roleArn: options.roleArn }),
    };
    for (const step of options.steps ?? ROTATION_STEPS) {
      if (options.signal?.aborted) {
        attempt.result = 'abandoned';
        attempt.finishedAt = this.#now().toISOString();
        return;
      }
      const record: StepRecord = { step, status: 'running', startedAt: this.#now().toISOString() };
      attempt.steps.push(record);
      try {
        await this.#handler(
          {
            Step: step,
            SecretId: attempt.secretArn,
            ClientRequestToken: attempt.versionId,
            RotationToken: rotationToken,
          },
          context,
        );
        record.status = 'succeeded';
        record.finishedAt = this.#now().toISOString();
      } catch (error) {
        record.status = 'failed';
        record.finishedAt = attempt.finishedAt = this.#now().toISOString();
        attempt.result = options.signal?.aborted ? 'abandoned' : 'failed';
        attempt.failure = {
          step,
          category: error instanceof RotorError ? error.category : 'internal',
          name: error instanceof Error ? error.name : 'Error',
          message: error instanceof Error ? error.message : 'Unknown failure',
        };
        return;
      }
    }
    attempt.result = 'succeeded';
    attempt.finishedAt = this.#now().toISOString();
  }

  /** Attempts, newest last; optionally only those of one secret (ARN or name). */
  attempts(secret?: string): RotationAttempt[] {
    if (!secret) return [...this.#attempts];
    return this.#attempts.filter(
      (a) => a.secretArn === secret || a.secretArn.split(':secret:')[1]?.slice(0, -7) === secret,
    );
  }

  /** Resolves when every rotation started so far has ended (for a clean shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
