/**
 * The console's view of a secret's events and audit records. The local stack serves events as
 * `{seq, event}` bus entries holding EventBridge-shaped events (Secrets Manager's CloudTrail
 * service events, its "Secret Label Updated" event, Rotor's own events) and audit records as the
 * orchestrator writes them; the pages get flat rows with a name and a short summary instead of
 * reading those shapes themselves. Only ids, names, steps and categories pass through: the stack's
 * events and records hold no secret value, and nothing here adds one.
 */

/** One row of the details page's Events table. */
export interface ConsoleEvent {
  /** The bus sequence number, when the endpoint keeps one. */
  seq: number | undefined;
  time: string | undefined;
  /** `detail.eventName` for CloudTrail service events (`RotationSucceeded`), else `detail-type`. */
  name: string;
  source: string | undefined;
  summary: string;
}

/** One row of the details page's Audit records table. */
export interface ConsoleAuditRecord {
  id: string | undefined;
  startedAt: string | undefined;
  versionId: string | undefined;
  /** `rotation` or `test-rotation`. */
  kind: string | undefined;
  /** `rotate-secret`, `schedule`, `retry` or `test`. */
  trigger: string | undefined;
  result: string | undefined;
  failureCategory: string | undefined;
  failureStep: string | undefined;
  durationMs: number | undefined;
  /** Each step and its status, e.g. `createSecret:succeeded`. */
  steps: string[];
}

type Json = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
const object = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});

function eventSummary(event: Json, detail: Json): string {
  if (detail.eventType === 'AwsServiceEvent') {
    const error = text(detail.errorMessage);
    if (error) return `Failed: ${error}`;
    // The local stack's requestID is `Rotation-<secretArn>-<versionId>`; AWS's suffix may differ.
    const secretArn = text(object(detail.additionalEventData).SecretId);
    const requestId = text(detail.requestID) ?? '';
    const prefix = `Rotation-${secretArn}-`;
    return secretArn && requestId.startsWith(prefix)
      ? `Rotation request ${requestId.slice(prefix.length)}`
      : 'Secrets Manager rotation lifecycle event';
  }
  if (event['detail-type'] === 'Secret Label Updated') {
    return `${text(detail.labelUpdated) ?? 'A label'} moved to version ${text(detail.versionId) ?? '?'}`;
  }
  const parts = [
    text(detail.partnerType),
    text(detail.versionId) && `version ${detail.versionId}`,
    text(detail.step) && `at ${detail.step}`,
    text(detail.category) && `[${detail.category}]`,
    text(detail.message),
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : '—';
}

/**
 * A bus entry (`{seq, event}`) or a bare EventBridge event as one console row.
 *
 * @example
 * ```ts
 * consoleEventOf({ seq: 3, event: { 'detail-type': 'AWS Service Event via CloudTrail', time, detail: { eventName: 'RotationSucceeded' } } });
 * // → { seq: 3, time, name: 'RotationSucceeded', ... }
 * ```
 */
export function consoleEventOf(wrapped: object): ConsoleEvent {
  const entry = wrapped as Json;
  const event = 'event' in entry ? object(entry.event) : entry;
  const detail = object(event.detail);
  return {
    seq: typeof entry.seq === 'number' ? entry.seq : undefined,
    time: text(event.time),
    name: text(detail.eventName) ?? text(event['detail-type']) ?? 'Event',
    source: text(event.source),
    summary: eventSummary(event, detail),
  };
}

/**
 * An orchestrator audit record as one console row.
 *
 * @example
 * ```ts
 * consoleAuditRecordOf(record).steps; // ['createSecret:succeeded', 'setSecret:succeeded', ...]
 * ```
 */
export function consoleAuditRecordOf(audited: object): ConsoleAuditRecord {
  const record = audited as Json;
  const failure = object(record.failure);
  const steps = Array.isArray(record.steps) ? (record.steps as unknown[]).map(object) : [];
  return {
    id: text(record.id),
    startedAt: text(record.startedAt),
    versionId: text(record.versionId),
    kind: text(record.kind),
    trigger: text(record.trigger),
    result: text(record.result),
    failureCategory: text(failure.category),
    failureStep: text(failure.step),
    durationMs: typeof record.durationMs === 'number' ? record.durationMs : undefined,
    steps: steps.map((step) => `${text(step.step) ?? '?'}:${text(step.status) ?? '?'}`),
  };
}
