/**
 * The orchestrator's event bus, audit log and schedule store over the local stack's SQLite storage:
 * what one open wrote, the next open lists, with event sequence numbers that keep growing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_COLLECTION,
  type AuditRecord,
  type BusEntry,
  type BusEvent,
  DurableAuditLog,
  DurableEventBus,
  DurableScheduleStore,
  rotationServiceEvent,
  SCHEDULES_COLLECTION,
  type ScheduleEntry,
} from '../../src/local/orchestrator/index.ts';
import { LocalStorage } from '../../src/local/storage/index.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:app-AbCdEf';
const OTHER = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:other-GhIjKl';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rotor-orchestrator-stores-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const busOf = (storage: LocalStorage) => new DurableEventBus(storage.collection<BusEvent>('events'));

function auditRecord(id: string, secretArn: string, finishedAt: string): AuditRecord {
  return {
    id,
    secretArn,
    versionId: `v-${id}`,
    kind: 'rotation',
    trigger: 'schedule',
    attempt: 1,
    startedAt: finishedAt,
    finishedAt,
    durationMs: 0,
    result: 'succeeded',
    steps: [],
  };
}

describe('Class: DurableEventBus', () => {
  it('lists the events of an earlier open and continues their sequence', async () => {
    // Prepare
    const time = new Date('2026-01-01T00:00:00Z');
    const first = LocalStorage.open({ dataDir: dir });
    const published = [
      await busOf(first).publish(
        rotationServiceEvent('RotationStarted', { secretArn: ARN, versionId: 'v1', time }),
      ),
      await busOf(first).publish(
        rotationServiceEvent('RotationStarted', { secretArn: OTHER, versionId: 'v2', time }),
      ),
    ];
    first.close();

    // Act
    const second = LocalStorage.open({ dataDir: dir });
    const bus = busOf(second);
    const heard: BusEntry[] = [];
    bus.subscribe((entry) => heard.push(entry));
    const listed = await bus.list();
    const later = await bus.publish(
      rotationServiceEvent('RotationSucceeded', { secretArn: ARN, versionId: 'v1', time }),
    );
    const forSecret = await bus.list({ secretId: 'app' });
    const sinceFirst = await bus.list({ since: published[0]!.seq, limit: 1 });
    second.close();

    // Assess
    expect(listed).toEqual(published);
    expect(later.seq).toBeGreaterThan(published[1]!.seq);
    expect(heard).toEqual([later]);
    expect(forSecret.map((entry) => entry.seq)).toEqual([published[0]!.seq, later.seq]);
    expect(sinceFirst).toEqual([published[1]]);
  });
});

describe('Class: DurableAuditLog', () => {
  it('keeps records across a reopen, oldest first, filtered by secret, time and limit', async () => {
    // Prepare
    const first = LocalStorage.open({ dataDir: dir });
    const records = [
      auditRecord('a', ARN, '2026-01-01T00:00:00.000Z'),
      auditRecord('b', OTHER, '2026-01-02T00:00:00.000Z'),
      auditRecord('c', ARN, '2026-01-03T00:00:00.000Z'),
    ];
    const log = new DurableAuditLog(first.collection<AuditRecord>(AUDIT_COLLECTION));
    for (const record of records) await log.append(record);
    first.close();

    // Act
    const second = LocalStorage.open({ dataDir: dir });
    const reopened = new DurableAuditLog(second.collection<AuditRecord>(AUDIT_COLLECTION));
    const all = await reopened.list();
    const forSecret = await reopened.list({ secretId: ARN });
    const recent = await reopened.list({ since: '2026-01-01T12:00:00.000Z', limit: 1 });
    second.close();

    // Assess
    expect(all).toEqual(records);
    expect(forSecret.map((record) => record.id)).toEqual(['a', 'c']);
    expect(recent.map((record) => record.id)).toEqual(['c']);
  });
});

describe('Class: DurableScheduleStore', () => {
  it('keeps, replaces and deletes entries across a reopen, listed in ARN order', async () => {
    // Prepare
    const first = LocalStorage.open({ dataDir: dir });
    const store = new DurableScheduleStore(first.collection<ScheduleEntry>(SCHEDULES_COLLECTION));
    await store.put({ secretArn: OTHER, region: 'us-east-1', enabledAt: '2026-01-01T00:00:00.000Z' });
    await store.put({ secretArn: ARN, region: 'us-east-1', enabledAt: '2026-01-01T00:00:00.000Z' });
    await store.put({
      secretArn: ARN,
      region: 'us-east-1',
      enabledAt: '2026-01-01T00:00:00.000Z',
      retry: { versionId: 'v1', attempts: 2, nextAttemptAt: '2026-01-01T01:00:00.000Z' },
    });
    first.close();

    // Act
    const second = LocalStorage.open({ dataDir: dir });
    const reopened = new DurableScheduleStore(second.collection<ScheduleEntry>(SCHEDULES_COLLECTION));
    const listed = await reopened.list();
    await reopened.delete(OTHER);
    const afterDelete = await reopened.list();
    second.close();

    // Assess
    expect(listed.map((entry) => entry.secretArn)).toEqual([ARN, OTHER]);
    expect(listed[0]?.retry).toEqual({
      versionId: 'v1',
      attempts: 2,
      nextAttemptAt: '2026-01-01T01:00:00.000Z',
    });
    expect(afterDelete.map((entry) => entry.secretArn)).toEqual([ARN]);
  });
});
