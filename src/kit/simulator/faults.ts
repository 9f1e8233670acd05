/**
 * Armed faults for a partner simulator: the next matching requests get a fault instead of the real
 * answer. The registry is shared; each simulator brings its fault type, what a fault matches on,
 * and the partner-shaped reply a fault produces.
 */

/** What every simulator fault has: how many matching requests it hits (default 1). */
export interface CountedFault {
  times?: number;
}

/** True when `method` and `path` satisfy the optional method and path-substring conditions. */
export function matchesMethodAndPath(
  match: { method?: string; pathIncludes?: string },
  method: string,
  path: string,
): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  return match.pathIncludes === undefined || path.includes(match.pathIncludes);
}

/**
 * @example
 * ```ts
 * const faults = new FaultRegistry<MyFault, { method: string; path: string }>((f, r) =>
 *   matchesMethodAndPath(f.match, r.method, r.path));
 * faults.add({ match: { pathIncludes: '/keys' }, kind: 'status', status: 503 });
 * const fault = faults.take({ method: 'POST', path: '/v1/keys' });
 * ```
 */
export class FaultRegistry<F extends CountedFault, R> {
  readonly #matches: (fault: F, request: R) => boolean;
  #armed: { fault: F; remaining: number }[] = [];

  constructor(matches: (fault: F, request: R) => boolean) {
    this.#matches = matches;
  }

  add(fault: F): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError('fault.times must be a positive integer');
    this.#armed.push({ fault: structuredClone(fault), remaining: times });
  }

  clear(): void {
    this.#armed = [];
  }

  /** The first armed fault matching the request, consuming one of its uses. */
  take(request: R): F | undefined {
    const armed = this.#armed.find(({ fault }) => this.#matches(fault, request));
    if (!armed) return undefined;
    armed.remaining -= 1;
    if (armed.remaining === 0) this.#armed = this.#armed.filter((candidate) => candidate !== armed);
    return armed.fault;
  }
}
