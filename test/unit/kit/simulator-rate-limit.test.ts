/** The partner simulators' shared rate limit: a token bucket per org or account on the simulator clock. */
import { describe, expect, it } from 'vitest';
import { SimulatorClock } from '../../../src/kit/simulator/clock.ts';
import { SimulatorRateLimiter } from '../../../src/kit/simulator/rate-limit.ts';

function frozenClock(): SimulatorClock {
  const start = new Date('2026-03-01T00:00:00.000Z');
  return new SimulatorClock(() => start);
}

describe('Class: SimulatorRateLimiter', () => {
  it('admits the burst, then refuses with how long until the next request is admitted', () => {
    // Prepare
    const clock = frozenClock();
    const limiter = new SimulatorRateLimiter({ requestsPerSecond: 2, burst: 3 }, () => clock.now());

    // Act
    const verdicts = [1, 2, 3, 4].map(() => limiter.take('00D000000000001'));

    // Assess
    expect(verdicts.slice(0, 3)).toEqual([{ limited: false }, { limited: false }, { limited: false }]);
    expect(verdicts[3]).toEqual({ limited: true, retryAfterSeconds: 1 });
  });

  it('refills at the rate as the simulator clock advances, up to the burst', () => {
    // Prepare
    const clock = frozenClock();
    const limiter = new SimulatorRateLimiter({ requestsPerSecond: 2 }, () => clock.now());
    limiter.take('org');
    limiter.take('org');

    // Act
    clock.advance(500);
    const afterHalfASecond = [limiter.take('org'), limiter.take('org')];
    clock.advance(60_000);
    const afterAMinute = [limiter.take('org'), limiter.take('org'), limiter.take('org')];

    // Assess
    expect(afterHalfASecond.map((v) => v.limited)).toEqual([false, true]);
    expect(afterAMinute.map((v) => v.limited)).toEqual([false, false, true]);
  });

  it('keeps one bucket per org or account', () => {
    // Prepare
    const clock = frozenClock();
    const limiter = new SimulatorRateLimiter({ requestsPerSecond: 1 }, () => clock.now());
    limiter.take('ACCOUNT_A');

    // Act
    const a = limiter.take('ACCOUNT_A');
    const b = limiter.take('ACCOUNT_B');

    // Assess
    expect(a.limited).toBe(true);
    expect(b.limited).toBe(false);
  });

  it('does not count a refused request against the bucket', () => {
    // Prepare
    const clock = frozenClock();
    const limiter = new SimulatorRateLimiter({ requestsPerSecond: 1 }, () => clock.now());
    limiter.take('org');
    for (let i = 0; i < 5; i++) limiter.take('org');

    // Act
    clock.advance(1000);
    const verdict = limiter.take('org');

    // Assess
    expect(verdict.limited).toBe(false);
  });

  it.each([
    [{ requestsPerSecond: 0 }, /rateLimit.requestsPerSecond must be a positive number/],
    [{ requestsPerSecond: 10, burst: 0 }, /rateLimit.burst must be a number ≥ 1/],
  ])('refuses %j, naming the field and a valid value', (limit, message) => {
    // Act
    const build = () => new SimulatorRateLimiter(limit, () => new Date());

    // Assess
    expect(build).toThrow(TypeError);
    expect(build).toThrow(message);
  });
});
