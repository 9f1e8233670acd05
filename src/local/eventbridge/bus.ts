/**
 * The local EventBridge default bus: `PutEvents` over AWS JSON 1.1 (`X-Amz-Target: AWSEvents.PutEvents`)
 * and an in-process `publish` for the stack's own publishers. Events are stored durably in the
 * `eventbridge.events` collection in arrival order; `changesAfter` is the feed `rotor events
 * --follow` polls. Events are plaintext on disk by design: they never carry secret values (I7).
 */
import { randomUUID } from 'node:crypto';
import type { BusEvent as OrchestratorEvent } from '../orchestrator/event-bus.ts';
import type { DurableCollection, StoredRecord } from '../storage/index.ts';
import { EventBridgeError } from './errors.ts';

export const EVENTS_COLLECTION = 'eventbridge.events';
const MAX_ENTRIES = 10;
/** AWS: 256 KiB per PutEvents request. */
const MAX_REQUEST_BYTES = 256 * 1024;

/** One entry of a PutEvents request (the SDK's `PutEventsRequestEntry`). */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  EventBusName?: string;
  Time?: number | string;
}

/** An event as EventBridge delivers it to targets: the orchestrator's event, plus its bus. */
export interface BusEvent extends OrchestratorEvent {
  'event-bus-name': string;
}

export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** Where an event was put: the caller's account and the request's Region. */
export interface BusScope {
  accountId: string;
  region: string;
}

function awsTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function entryError(code: string, message: string): PutEventsResultEntry {
  return { ErrorCode: code, ErrorMessage: message };
}

/**
 * @example
 * ```ts
 * const bus = new LocalEventBus(storage.collection<BusEvent>(EVENTS_COLLECTION));
 * bus.publish({ Source: 'rotor', DetailType: 'RotationSucceeded', Detail: '{}' }, { accountId, region });
 * for (const { seq, value } of bus.changesAfter(0)) console.log(seq, value['detail-type']);
 * ```
 */
export class LocalEventBus {
  readonly #events: DurableCollection<BusEvent>;
  readonly #now: () => Date;
  readonly #listeners = new Set<(event: StoredRecord<BusEvent>) => void>();

  constructor(events: DurableCollection<BusEvent>, options: { now?: () => Date } = {}) {
    this.#events = events;
    this.#now = options.now ?? (() => new Date());
  }

  #busName(name: string | undefined, scope: BusScope): string | undefined {
    if (name === undefined || name === '' || name === 'default') return 'default';
    if (name === `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/default`) return 'default';
    return undefined;
  }

  #accept(entry: PutEventsEntry, scope: BusScope): PutEventsResultEntry {
    for (const member of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[member] !== 'string' || entry[member] === '') {
        return entryError(
          'InvalidArgument',
          `Parameter ${member} is not valid. Reason: ${member} is a required argument.`,
        );
      }
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail!);
    } catch {
      return entryError('MalformedDetail', 'Detail is malformed.');
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return entryError('MalformedDetail', 'Detail is malformed.');
    }
    const bus = this.#busName(entry.EventBusName, scope);
    if (bus === undefined) {
      return entryError('InvalidArgument', `Event bus ${entry.EventBusName} does not exist.`);
    }
    const time =
      entry.Time === undefined
        ? this.#now()
        : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType!,
      source: entry.Source!,
      account: scope.accountId,
      time: awsTime(Number.isNaN(time.getTime()) ? this.#now() : time),
      region: scope.region,
      resources: Array.isArray(entry.Resources) ? entry.Resources.filter((r) => typeof r === 'string') : [],
      detail: detail as Record<string, unknown>,
      'event-bus-name': bus,
    };
    const stored = this.#events.append(event);
    for (const listener of this.#listeners) listener(stored);
    return { EventId: event.id };
  }

  /** The `PutEvents` operation: validates the request, stores the valid entries, reports each. */
  putEvents(input: unknown, scope: BusScope): { FailedEntryCount: number; Entries: PutEventsResultEntry[] } {
    const entries = (input as { Entries?: unknown } | null)?.Entries;
    if (!Array.isArray(entries)) {
      throw new EventBridgeError(
        'ValidationException',
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
      );
    }
    if (entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw new EventBridgeError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
      );
    }
    if (Buffer.byteLength(JSON.stringify(entries)) > MAX_REQUEST_BYTES) {
      throw new EventBridgeError(
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    }
    const results = entries.map((entry) =>
      typeof entry === 'object' && entry !== null
        ? this.#accept(entry as PutEventsEntry, scope)
        : entryError('InvalidArgument', 'Entry is not a structure.'),
    );
    return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results };
  }

  /** In-process publishing for the stack's own components (same checks as PutEvents). */
  publish(entry: PutEventsEntry, scope: BusScope): PutEventsResultEntry {
    return this.putEvents({ Entries: [entry] }, scope).Entries[0]!;
  }

  /** Stored events after `seq`, oldest first. */
  changesAfter(seq: number, limit?: number): StoredRecord<BusEvent>[] {
    return this.#events.changesAfter(seq, limit);
  }

  /** Calls `listener` for every event stored from now on; returns the unsubscribe function. */
  subscribe(listener: (event: StoredRecord<BusEvent>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
