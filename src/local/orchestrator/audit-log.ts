/**
 * One audit record per rotation attempt: which secret and versions, who started it, every step
 * with its timing, the result and the failure category. Records hold ids, names and categories —
 * never a secret value or a `RotationToken`. In memory here (tests that need no disk);
 * `DurableAuditLog` implements the same {@link AuditLog} interface for the stack.
 */
import type { RotationStep } from '../../engine/event.ts';
import { secretMatches } from './event-bus.ts';

/** Who started an attempt. */
export type RotationTrigger =
  /** A `RotateSecret` call (with `RotateImmediately` true). */
  | 'rotate-secret'
  /** The schedule: the secret's rotation window opened. */
  | 'schedule'
  /** An automatic retry after a failed attempt. */
  | 'retry'
  /** `RotateSecret` with `RotateImmediately=false`: a test rotation. */
  | 'test';

export type AttemptResult = 'succeeded' | 'failed' | 'abandoned';

export interface AuditStep {
  step: RotationStep;
  status: 'succeeded' | 'failed' | 'skipped';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

export interface AuditRecord {
  /** Unique per attempt. */
  id: string;
  secretArn: string;
  /** The pending version the attempt worked on (the rotation's ClientRequestToken). */
  versionId: string;
  /** The version under AWSCURRENT when the attempt started. */
  previousVersionId?: string;
  kind: 'rotation' | 'test-rotation';
  trigger: RotationTrigger;
  /** The caller's identity when known (RotateSecret through a signed request). */
  principal?: string;
  /** The role the rotation ran under (`ExternalSecretRotationRoleArn`), when set. */
  roleArn?: string;
  /** 1 for the first attempt of a rotation, 2 for its first retry, ... */
  attempt: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  result: AttemptResult;
  steps: AuditStep[];
  failure?: { step?: string; category: string; name: string; message: string };
}

export interface AuditFilter {
  secretId?: string;
  /** Only records finished after this ISO time. */
  since?: string;
  limit?: number;
}

export interface AuditLog {
  append(record: AuditRecord): Promise<void>;
  /** Oldest first. */
  list(filter?: AuditFilter): Promise<AuditRecord[]>;
}

/** Whether `record` passes `filter` (shared by the in-memory and durable logs). */
export function auditMatches(record: AuditRecord, filter: AuditFilter): boolean {
  return (
    (filter.secretId === undefined || secretMatches(record.secretArn, filter.secretId)) &&
    (filter.since === undefined || record.finishedAt > filter.since)
  );
}

/**
 * @example
 * ```ts
 * const audit = new InMemoryAuditLog();
 * const failures = (await audit.list({ secretId: arn })).filter((r) => r.result === 'failed');
 * ```
 */
export class InMemoryAuditLog implements AuditLog {
  readonly #records: AuditRecord[] = [];

  async append(record: AuditRecord): Promise<void> {
    this.#records.push(structuredClone(record));
  }

  async list(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    const found = this.#records.filter((record) => auditMatches(record, filter));
    return structuredClone(filter.limit === undefined ? found : found.slice(-filter.limit));
  }
}
