/**
 * What the scheduler remembers per secret between ticks: when rotation was enabled, the last
 * manual value change (it counts as a rotation for next-date purposes), the last window it acted
 * in, and the retry state of a failing rotation. In memory here (tests that need no disk);
 * `DurableScheduleStore` implements the same {@link ScheduleStore} interface so schedules survive
 * a restart.
 */

export interface RetryState {
  /** The pending version being retried. */
  versionId: string;
  /** Attempts made so far (1 = the first run). */
  attempts: number;
  /** When the next attempt is due (ISO); absent once retries are exhausted. */
  nextAttemptAt?: string;
}

export interface ScheduleEntry {
  secretArn: string;
  region: string;
  /** When RotateSecret last turned rotation on (ISO). */
  enabledAt: string;
  /** Last time a write other than a rotation moved AWSCURRENT (ISO). */
  lastManualWriteAt?: string;
  /** Start (ISO) of the last window the scheduler started or re-drove a rotation in. */
  handledWindowStart?: string;
  retry?: RetryState;
}

export interface ScheduleStore {
  get(secretArn: string): Promise<ScheduleEntry | undefined>;
  put(entry: ScheduleEntry): Promise<void>;
  delete(secretArn: string): Promise<void>;
  list(): Promise<ScheduleEntry[]>;
}

export class InMemoryScheduleStore implements ScheduleStore {
  readonly #entries = new Map<string, ScheduleEntry>();

  async get(secretArn: string): Promise<ScheduleEntry | undefined> {
    const entry = this.#entries.get(secretArn);
    return entry === undefined ? undefined : structuredClone(entry);
  }

  async put(entry: ScheduleEntry): Promise<void> {
    this.#entries.set(entry.secretArn, structuredClone(entry));
  }

  async delete(secretArn: string): Promise<void> {
    this.#entries.delete(secretArn);
  }

  async list(): Promise<ScheduleEntry[]> {
    return [...this.#entries.values()].map((entry) => structuredClone(entry));
  }
}
