/**
 * The {@link EventBus} over a durable collection: events survive a restart and a `kill -9`, and
 * `seq` is the collection's own change sequence, so `since` cursors stay valid across restarts.
 * The stack gives it the EventBridge collection, so `PutEvents`, Secrets Manager's and Rotor's
 * events share one feed. Events are plaintext on disk by design: they never carry secret values (I7).
 */
import type { DurableCollection, StoredRecord } from '../storage/index.ts';
import { type BusEntry, type BusEvent, type EventBus, type EventFilter, eventMatches } from './event-bus.ts';

/**
 * @example
 * ```ts
 * const bus = new DurableEventBus(storage.collection<BusEvent>(EVENTS_COLLECTION));
 * const recent = await bus.list({ since: 10, secretId: 'demo/SalesforceClientSecret' });
 * ```
 */
export class DurableEventBus implements EventBus {
  readonly #events: DurableCollection<BusEvent>;
  readonly #listeners = new Set<(entry: BusEntry) => void>();

  constructor(events: DurableCollection<BusEvent>) {
    this.#events = events;
  }

  async publish(event: BusEvent): Promise<BusEntry> {
    const stored = this.#events.append(structuredClone(event));
    const entry = { seq: stored.seq, event: stored.value };
    this.announce(stored);
    return structuredClone(entry);
  }

  /** Tells subscribers about an event another writer (the EventBridge endpoint) stored in the same collection. */
  announce(stored: StoredRecord<BusEvent>): void {
    for (const listener of this.#listeners)
      listener({ seq: stored.seq, event: structuredClone(stored.value) });
  }

  async list(filter: EventFilter = {}): Promise<BusEntry[]> {
    const found = this.#events
      .changesAfter(filter.since ?? 0)
      .map((stored) => ({ seq: stored.seq, event: stored.value }))
      .filter((entry) => eventMatches(entry, filter));
    return filter.limit === undefined ? found : found.slice(0, filter.limit);
  }

  subscribe(listener: (entry: BusEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
