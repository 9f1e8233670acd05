/**
 * How failed rotations are retried. AWS says only that it "retries the entire rotation process
 * multiple times" (count and back-off Not confirmed), so both are options. Defaults: 3 retries
 * after the first attempt, 1, 2 and 4 minutes apart; then the rotation waits for the next window.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. Default 3. */
  maxRetries: number;
  /** Delay before the first retry. Default 60 s. */
  baseDelayMs: number;
  /** Each further retry waits this much longer. Default 2. */
  factor: number;
  /** Upper bound of one delay. Default 1 h. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxRetries: 3,
  baseDelayMs: 60_000,
  factor: 2,
  maxDelayMs: 3_600_000,
};

/**
 * The wait before retry number `retry` (1-based), or undefined when retries are exhausted.
 *
 * @example
 * ```ts
 * retryDelay(DEFAULT_RETRY_POLICY, 2); // 120000
 * ```
 */
export function retryDelay(policy: RetryPolicy, retry: number): number | undefined {
  if (retry > policy.maxRetries) return undefined;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (retry - 1));
}
