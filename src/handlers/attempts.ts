/**
 * Counts tries of a step per token within one function instance, for the `attempt` field of Rotor
 * events. Secrets Manager retries a failed step with the same token; a warm instance sees the
 * retries, a cold one starts again at 1 — so `attempt` is a lower bound, never an overcount.
 */
const MAX_TRACKED = 1000;

export class AttemptCounter {
  readonly #tries = new Map<string, number>();

  /**
   * Records one more try and returns its number (1 for the first).
   *
   * @example
   * ```ts
   * const attempt = attempts.next(`${event.ClientRequestToken}:${event.Step}`);
   * ```
   */
  next(key: string): number {
    const attempt = (this.#tries.get(key) ?? 0) + 1;
    // Bounded: forget the oldest keys rather than grow with every rotation a warm instance serves.
    if (!this.#tries.has(key) && this.#tries.size >= MAX_TRACKED) {
      const oldest = this.#tries.keys().next().value;
      if (oldest !== undefined) this.#tries.delete(oldest);
    }
    this.#tries.set(key, attempt);
    return attempt;
  }
}
