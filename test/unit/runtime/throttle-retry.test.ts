/** A partner client's bounded retry of throttled calls (src/runtime/throttle-retry.ts). */
import { describe, expect, it } from 'vitest';
import { PartnerUnavailableError, ThrottledError } from '../../../src/engine/errors.ts';
import { retryThrottled } from '../../../src/runtime/throttle-retry.ts';

/** A call that fails with the given errors in turn, then answers 'ok'. */
function failing(...errors: Error[]) {
  let calls = 0;
  const call = async () => {
    calls += 1;
    const error = errors.shift();
    if (error) throw error;
    return 'ok';
  };
  return { call, calls: () => calls };
}

/** Records the waits instead of waiting. */
function recordedSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('Function: retryThrottled', () => {
  it('retries a throttled call with a growing, jittered back-off and returns its answer', async () => {
    // Prepare
    const { call, calls } = failing(new ThrottledError('slow down'), new ThrottledError('slow down'));
    const { waits, sleep } = recordedSleep();

    // Act
    const answer = await retryThrottled(call, { sleep, random: () => 0.5 });

    // Assess
    expect(answer).toBe('ok');
    expect(calls()).toBe(3);
    expect(waits).toEqual([187.5, 375]);
  });

  it('waits what the partner asked (Retry-After) when it said', async () => {
    // Prepare
    const { call } = failing(new ThrottledError('slow down', { retryAfterSeconds: 2 }));
    const { waits, sleep } = recordedSleep();

    // Act
    await retryThrottled(call, { sleep });

    // Assess
    expect(waits).toEqual([2000]);
  });

  it('gives up at once when the partner asks for a longer wait than maxDelayMs', async () => {
    // Prepare
    const throttled = new ThrottledError('slow down', { retryAfterSeconds: 60 });
    const { call, calls } = failing(throttled);
    const { waits, sleep } = recordedSleep();

    // Act
    const error = await retryThrottled(call, { sleep, maxDelayMs: 5000 }).catch((e: unknown) => e);

    // Assess
    expect(error).toBe(throttled);
    expect(calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('stops after `retries` and passes the throttled error up', async () => {
    // Prepare
    const errors = [1, 2, 3].map(() => new ThrottledError('slow down'));
    const { call, calls } = failing(...errors);
    const { sleep } = recordedSleep();

    // Act
    const error = await retryThrottled(call, { sleep, retries: 2 }).catch((e: unknown) => e);

    // Assess
    expect(error).toBe(errors[2]);
    expect(calls()).toBe(3);
  });

  it('does not retry other failures', async () => {
    // Prepare
    const unavailable = new PartnerUnavailableError('down');
    const { call, calls } = failing(unavailable);
    const { sleep } = recordedSleep();

    // Act
    const error = await retryThrottled(call, { sleep }).catch((e: unknown) => e);

    // Assess
    expect(error).toBe(unavailable);
    expect(calls()).toBe(1);
  });
});
