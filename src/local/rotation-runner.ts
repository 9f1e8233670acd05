/**
 * Runs a rotation the way Secrets Manager does: the four steps in order, each through the
 * rotation handler, with a fresh `RotationToken`. Keeps a record of every attempt (steps, result,
 * failure category) for the CLI and the console; records never hold secret values or tokens.
 */
import { randomBytes } from 'node:crypto';
import { RotorError } from '../engine/errors.ts';
import { ROTATION_STEPS, type RotationStep } from '../engine/event.ts';

export type RotationHandlerFn = (event: unknown, context: { invokedFunctionArn: string }) => Promise<void>;

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
  result: 'running' | 'succeeded' | 'failed';
  steps: StepRecord[];
  failure?: { step: RotationStep; category: string; name: string; message: string };
}

/** A RotationToken-shaped value (36–256 chars of `[a-zA-Z0-9-]`). */
function newRotationToken(): string {
  return randomBytes(32).toString('hex');
}

export class RotationRunner {
  readonly #handler: RotationHandlerFn;
  readonly #now: () => Date;
  readonly #attempts: RotationAttempt[] = [];
  readonly #running = new Set<Promise<void>>();

  /** The Lambda-style context each invocation gets: it names the function, and so the account. */
  readonly #context: { invokedFunctionArn: string };

  constructor(handler: RotationHandlerFn, functionArn: string, now: () => Date = () => new Date()) {
    this.#handler = handler;
    this.#context = { invokedFunctionArn: functionArn };
    this.#now = now;
  }

  /** Starts a rotation in the background and returns its record at once. */
  start(secretArn: string, versionId: string): RotationAttempt {
    const attempt: RotationAttempt = {
      secretArn,
      versionId,
      startedAt: this.#now().toISOString(),
      result: 'running',
      steps: [],
    };
    this.#attempts.push(attempt);
    const run = this.#run(attempt).finally(() => this.#running.delete(run));
    this.#running.add(run);
    return attempt;
  }

  async #run(attempt: RotationAttempt): Promise<void> {
    const rotationToken = newRotationToken();
    for (const step of ROTATION_STEPS) {
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
          this.#context,
        );
        record.status = 'succeeded';
        record.finishedAt = this.#now().toISOString();
      } catch (error) {
        record.status = 'failed';
        record.finishedAt = attempt.finishedAt = this.#now().toISOString();
        attempt.result = 'failed';
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
