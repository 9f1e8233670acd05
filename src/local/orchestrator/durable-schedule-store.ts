/**
 * The {@link ScheduleStore} over a durable collection keyed by secret ARN, so a schedule (when
 * rotation was enabled, the last window acted in, retry state) survives a restart and a `kill -9`
 * and the scheduler catches up on its next start. Entries hold ARNs, dates and version ids only.
 */
import type { DurableCollection } from '../storage/index.ts';
import type { ScheduleEntry, ScheduleStore } from './schedule-store.ts';

export const SCHEDULES_COLLECTION = 'orchestrator.schedules';

/**
 * @example
 * ```ts
 * const schedules = new DurableScheduleStore(storage.collection<ScheduleEntry>(SCHEDULES_COLLECTION));
 * ```
 */
export class DurableScheduleStore implements ScheduleStore {
  readonly #entries: DurableCollection<ScheduleEntry>;

  constructor(entries: DurableCollection<ScheduleEntry>) {
    this.#entries = entries;
  }

  async get(secretArn: string): Promise<ScheduleEntry | undefined> {
    return this.#entries.get(secretArn);
  }

  async put(entry: ScheduleEntry): Promise<void> {
    this.#entries.put(entry.secretArn, entry);
  }

  async delete(secretArn: string): Promise<void> {
    this.#entries.delete(secretArn);
  }

  /** In ARN order, so the listing does not depend on which entry was written last. */
  async list(): Promise<ScheduleEntry[]> {
    return this.#entries
      .all()
      .map((stored) => stored.value)
      .sort((a, b) => a.secretArn.localeCompare(b.secretArn));
  }
}
