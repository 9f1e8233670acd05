/**
 * A partner simulator's clock: a source (real time unless injected) plus an offset that tests
 * advance. Credential lifetimes, token expiry and signature-time checks read it, never
 * `Date.now()` directly. Shared by every simulator in `partners/`.
 */
export class SimulatorClock {
  readonly #source: () => Date;
  #offsetMs = 0;

  constructor(source: () => Date = () => new Date()) {
    this.#source = source;
  }

  now(): Date {
    return new Date(this.#source().getTime() + this.#offsetMs);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advanceTime expects a finite, non-negative ms');
    this.#offsetMs += ms;
  }
}
