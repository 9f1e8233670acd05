/**
 * The {@link AuditLog} over a durable collection: one appended record per rotation attempt, kept
 * across restarts and a `kill -9`. Records hold ids, names and categories, never a secret value,
 * so the collection is plaintext.
 */
import type { DurableCollection } from '../storage/index.ts';
import { type AuditFilter, type AuditLog, type AuditRecord, auditMatches } from './audit-log.ts';

export const AUDIT_COLLECTION = 'orchestrator.audit';

/**
 * @example
 * ```ts
 * const audit = new DurableAuditLog(storage.collection<AuditRecord>(AUDIT_COLLECTION));
 * const failures = (await audit.list({ secretId: arn })).filter((r) => r.result === 'failed');
 * ```
 */
export class DurableAuditLog implements AuditLog {
  readonly #records: DurableCollection<AuditRecord>;

  constructor(records: DurableCollection<AuditRecord>) {
    this.#records = records;
  }

  async append(record: AuditRecord): Promise<void> {
    this.#records.append(structuredClone(record));
  }

  async list(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    const found = this.#records
      .all()
      .map((stored) => stored.value)
      .filter((record) => auditMatches(record, filter));
    return filter.limit === undefined ? found : found.slice(-filter.limit);
  }
}
