/**
 * A fault plan shared by every outbound call of a rotation: the Secrets Manager middleware and the
 * partner proxy both ask it, in call order, whether call k should fail and how. Calls are counted
 * across the whole rotation (all step invocations), so "call k" names one point of the data path.
 */

/** How a call fails. */
export const FAULT_KINDS = ['crash', 'server-error', 'throttle', 'timeout', 'malformed'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What an interceptor must do with the call it is about to make. */
export type CallVerdict =
  | { action: 'pass' }
  /** The invocation is dead: fail without reaching the service (also every later call of it). */
  | { action: 'crash' }
  | { action: 'fault'; kind: Exclude<FaultKind, 'crash'> };

/** One call as seen by an interceptor, for debugging a failing matrix case. */
export interface CallRecord {
  index: number;
  via: 'secrets-manager' | 'partner';
  name: string;
  verdict: CallVerdict['action'];
}

/**
 * @example
 * ```ts
 * const plan = new FaultPlan();
 * plan.arm(3, 'timeout');        // the third call of the rotation times out
 * plan.beginInvocation();        // before each step invocation
 * ```
 */
export class FaultPlan {
  #calls = 0;
  #target: { k: number; kind: FaultKind } | undefined;
  #crashed = false;
  #outage: Exclude<FaultKind, 'crash'> | undefined;
  readonly log: CallRecord[] = [];

  /** Fail call `k` (1-based, counted from now) with `kind`; resets the counter. */
  arm(k: number, kind: FaultKind): void {
    this.reset();
    this.#target = { k, kind };
  }

  /** Every call fails with `kind` until `reset` (an outage, not a one-shot fault). */
  outage(kind: Exclude<FaultKind, 'crash'>): void {
    this.reset();
    this.#outage = kind;
  }

  /** No fault; counting restarts (used to measure a clean rotation). */
  reset(): void {
    this.#calls = 0;
    this.#target = undefined;
    this.#crashed = false;
    this.#outage = undefined;
    this.log.length = 0;
  }

  /** A new step invocation: a crash of the previous one no longer applies. */
  beginInvocation(): void {
    this.#crashed = false;
  }

  /** Calls counted since the last `arm`/`reset`. */
  get calls(): number {
    return this.#calls;
  }

  /** Whether the armed fault has fired. */
  get fired(): boolean {
    return this.#target !== undefined && this.#calls >= this.#target.k;
  }

  /** Called by an interceptor before each outbound call. */
  next(via: CallRecord['via'], name: string): CallVerdict {
    this.#calls += 1;
    let verdict: CallVerdict = { action: 'pass' };
    if (this.#crashed) verdict = { action: 'crash' };
    else if (this.#outage) verdict = { action: 'fault', kind: this.#outage };
    else if (this.#target && this.#calls === this.#target.k) {
      if (this.#target.kind === 'crash') {
        this.#crashed = true;
        verdict = { action: 'crash' };
      } else verdict = { action: 'fault', kind: this.#target.kind };
    }
    this.log.push({ index: this.#calls, via, name, verdict: verdict.action });
    return verdict;
  }
}
