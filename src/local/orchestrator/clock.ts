/**
 * The orchestrator's clock. The system clock drives `rotor local`; a {@link VirtualClock} lets tests
 * move time (windows, retry back-off) without waiting.
 */

export interface Clock {
  now(): Date;
  /** Called whenever time jumps (virtual clocks only); returns an unsubscribe function. */
  onAdvance?(listener: () => void): () => void;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that only moves when told to.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock(new Date('2026-03-01T00:00:00Z'));
 * const service = new SecretsManagerService({ now: () => clock.now() });
 * clock.advance(30 * 24 * 3600_000); // the scheduler runs due rotations
 * ```
 */
export class VirtualClock implements Clock {
  #time: number;
  readonly #listeners = new Set<() => void>();

  constructor(start: Date = new Date()) {
    this.#time = start.getTime();
  }

  now(): Date {
    return new Date(this.#time);
  }

  /** Moves time forward by `ms` (never backwards) and tells the listeners. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('VirtualClock.advance needs a non-negative ms.');
    this.#time += ms;
    for (const listener of this.#listeners) listener();
  }

  /** Moves time forward to `date`. */
  set(date: Date): void {
    this.advance(Math.max(0, date.getTime() - this.#time));
  }

  onAdvance(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
