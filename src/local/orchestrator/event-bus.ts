/**
 * The local event bus: EventBridge-shaped events (Secrets Manager's and Rotor's own) with a
 * sequence number for `since` cursors. In memory here (tests that need no disk); the stack uses
 * `DurableEventBus` behind the same {@link EventBus} interface.
 */

/** An event as EventBridge delivers it. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** A stored event and its position on the bus. */
export interface BusEntry {
  /** Increases with every event (by one in memory; the storage's change sequence when durable); `since` cursors compare against it. */
  seq: number;
  event: BusEvent;
}

export interface EventFilter {
  /** Only entries after this sequence number. */
  since?: number;
  /** Only events about this secret (ARN, partial ARN or name). */
  secretId?: string;
  source?: string;
  detailType?: string;
  limit?: number;
}

export interface EventBus {
  publish(event: BusEvent): Promise<BusEntry>;
  list(filter?: EventFilter): Promise<BusEntry[]>;
  /** Called for every published entry; returns an unsubscribe function. */
  subscribe(listener: (entry: BusEntry) => void): () => void;
}

/** The secret an event is about: Secrets Manager's `additionalEventData.SecretId`, `resources`, or Rotor's `secretArn`. */
export function secretOf(event: BusEvent): string | undefined {
  const detail = event.detail as {
    additionalEventData?: { SecretId?: string };
    secretArn?: string;
  };
  return detail.additionalEventData?.SecretId ?? detail.secretArn ?? event.resources[0];
}

/** Whether `arn` is the secret `secretId` names: the ARN itself, the ARN without its suffix, or the name. */
export function secretMatches(arn: string | undefined, secretId: string): boolean {
  if (arn === undefined) return false;
  if (arn === secretId) return true;
  const name = arn.split(':secret:')[1];
  return arn.slice(0, -7) === secretId || name?.slice(0, -7) === secretId;
}

/** Whether `entry` passes `filter` (shared by the in-memory and durable buses). */
export function eventMatches(entry: BusEntry, filter: EventFilter): boolean {
  if (filter.since !== undefined && entry.seq <= filter.since) return false;
  if (filter.source !== undefined && entry.event.source !== filter.source) return false;
  if (filter.detailType !== undefined && entry.event['detail-type'] !== filter.detailType) return false;
  if (filter.secretId !== undefined && !secretMatches(secretOf(entry.event), filter.secretId)) return false;
  return true;
}

/**
 * @example
 * ```ts
 * const bus = new InMemoryEventBus();
 * bus.subscribe(({ event }) => console.log(event['detail-type']));
 * const recent = await bus.list({ since: 10, secretId: 'demo/SalesforceClientSecret' });
 * ```
 */
export class InMemoryEventBus implements EventBus {
  readonly #entries: BusEntry[] = [];
  #seq = 0;
  readonly #listeners = new Set<(entry: BusEntry) => void>();
  /** Oldest entries are dropped past this many (a local bus, not an archive). */
  readonly #capacity: number;

  constructor(options: { capacity?: number } = {}) {
    this.#capacity = options.capacity ?? 10_000;
  }

  async publish(event: BusEvent): Promise<BusEntry> {
    this.#seq += 1;
    const entry = { seq: this.#seq, event: structuredClone(event) };
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.shift();
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  async list(filter: EventFilter = {}): Promise<BusEntry[]> {
    const found = this.#entries.filter((entry) => eventMatches(entry, filter));
    return structuredClone(filter.limit === undefined ? found : found.slice(0, filter.limit));
  }

  subscribe(listener: (entry: BusEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
