/**
 * A partner client's bounded retry of a throttled call. Partner rate limits clear within seconds,
 * while the next retry above the client — Secrets Manager re-running the step, the local
 * orchestrator's retry of the rotation — comes minutes later; retrying here, briefly, is what a
 * partner's own SDK does. A throttled request was refused before it ran, so sending it again
 * changes nothing at the source (I3). Bounded, so a step stays well inside its Lambda timeout:
 * when the partner asks for a longer wait than `maxDelayMs`, or the retries are spent, the
 * `throttled` error goes up and the rotation is retried later.
 */
import { ThrottledError } from '../engine/errors.ts';

export interface ThrottleRetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** The first back-off when the partner gives no `Retry-After` (default 250 ms; doubles per retry). */
  baseDelayMs?: number;
  /** The longest single wait, also for a `Retry-After`; a longer one is not waited for (default 5 s). */
  maxDelayMs?: number;
  /** Waits `ms` milliseconds; injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1); injected in tests. */
  random?: () => number;
}

/**
 * Runs `call`, retrying it while it fails with a {@link ThrottledError}: after the partner's
 * `Retry-After` when it gave one, else after an exponential back-off with jitter (so rotations
 * throttled together do not come back together).
 *
 * @example
 * ```ts
 * const token = await retryThrottled(() => requestToken(pair));
 * ```
 */
export async function retryThrottled<T>(
  call: () => Promise<T>,
  options: ThrottleRetryOptions = {},
): Promise<T> {
  const {
    retries = 3,
    baseDelayMs = 250,
    maxDelayMs = 5000,
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    random = Math.random,
  } = options;
  for (let retry = 0; ; retry += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ThrottledError) || retry >= retries) throw error;
      const hinted = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000;
      if (hinted !== undefined && hinted > maxDelayMs) throw error;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
      await sleep(hinted ?? backoff / 2 + random() * (backoff / 2));
    }
  }
}
