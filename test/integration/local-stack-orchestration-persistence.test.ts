/**
 * Orchestration state is durable like secrets: the events, audit records and schedules a rotation
 * left behind are listed the same after Ctrl-C and after `kill -9` of `rotor local`, and a schedule
 * set before a restart still fires after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { AuditRecord, BusEntry, ScheduleEntry } from '../../src/local/orchestrator/index.ts';
import { LOCAL_CREDENTIALS } from '../../src/local/stack.ts';
import { startTestStack } from '../support/local-stack.ts';
import { startRotorLocal } from '../support/rotor-process.ts';

const DEMO = 'demo/SalesforceClientSecret';
const DAY = 24 * 60 * 60 * 1000;
const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rotor-orchestration-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Listings {
  events: BusEntry[];
  audit: AuditRecord[];
  schedules: ScheduleEntry[];
}

/** What the control routes list: the event feed, the audit records and the schedules. */
async function listings(endpoint: string): Promise<Listings> {
  const get = async <T>(path: string) => (await (await fetch(`${endpoint}/_rotor/${path}`)).json()) as T;
  return {
    events: (await get<{ events: BusEntry[] }>('events')).events,
    audit: (await get<{ records: AuditRecord[] }>('audit')).records,
    schedules: (await get<{ schedules: ScheduleEntry[] }>('schedules')).schedules,
  };
}

/** Secrets Manager's `eventName`, else the detail-type, of every listed event. */
function eventNamesOf(listed: Listings): string[] {
  return listed.events.map(
    ({ event }) => (event.detail as { eventName?: string }).eventName ?? event['detail-type'],
  );
}

/**
 * Each start re-points the demo secret at its fresh simulator: a manual write, which adds label
 * events and moves the schedule's `lastManualWriteAt`. Everything listed before must still be there.
 */
function expectKept(after: Listings, before: Listings): void {
  expect(after.events.slice(0, before.events.length)).toEqual(before.events);
  expect(after.audit).toEqual(before.audit);
  expect(after.schedules).toEqual(
    before.schedules.map((entry) => ({ ...entry, lastManualWriteAt: expect.any(String) })),
  );
}

describe('Command: rotor local (orchestration state across restarts)', () => {
  it('lists the same events, audit records and schedules after Ctrl-C and after kill -9', async () => {
    // Prepare
    const dir = dataDir();
    const first = await startRotorLocal(dir);
    const sm = new SecretsManagerClient({
      endpoint: first.endpoint,
      region: 'us-east-1',
      // A copy: the SDK marks the credentials object it is given (`$source`), and the stack writes
      // the shared constant into a new data directory's identity.json.
      credentials: { ...LOCAL_CREDENTIALS },
      maxAttempts: 1,
    });
    await sm.send(new RotateSecretCommand({ SecretId: DEMO, RotationRules: { AutomaticallyAfterDays: 7 } }));
    const before = await vi.waitFor(
      async () => {
        const listed = await listings(first.endpoint);
        expect(listed.audit.map((record) => record.result)).toEqual(['succeeded']);
        // The audit record is written before the closing service event is published.
        expect(eventNamesOf(listed)).toContain('RotationSucceeded');
        return listed;
      },
      { timeout: 20_000, interval: 100 },
    );
    const described = await sm.send(new DescribeSecretCommand({ SecretId: DEMO }));
    sm.destroy();

    // Act: Ctrl-C and restart, then kill -9 and restart
    await first.stop();
    const second = await startRotorLocal(dir);
    const afterRestart = await listings(second.endpoint);
    await second.kill9();
    const third = await startRotorLocal(dir);
    const afterKill = await listings(third.endpoint);
    await third.stop();

    // Assess
    expect(eventNamesOf(before)).toEqual(expect.arrayContaining(['RotationStarted', 'RotationSucceeded']));
    expect(before.audit[0]).toMatchObject({ secretArn: described.ARN, trigger: 'rotate-secret' });
    expect(before.schedules).toEqual([expect.objectContaining({ secretArn: described.ARN })]);
    expectKept(afterRestart, before);
    expectKept(afterKill, before);
    const seqs = afterKill.events.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});

describe('Class: DurableScheduleStore (through the stack)', () => {
  it('keeps a RotateSecret schedule across a restart and fires its missed window after it', async () => {
    // Prepare: rotation rules set on a first start, then a clean stop
    const dir = dataDir();
    const first = await startTestStack({ dataDir: dir });
    const sm = first.sm();
    await sm.send(new RotateSecretCommand({ SecretId: DEMO, RotationRules: { AutomaticallyAfterDays: 7 } }));
    await first.stack.orchestration.orchestrator.idle();
    const { ARN } = await sm.send(new DescribeSecretCommand({ SecretId: DEMO }));
    await first.close();

    // Act: a second start whose clock then passes the whole 7-day window
    const second = await startTestStack({ dataDir: dir });
    try {
      const orchestrator = second.stack.orchestration.orchestrator;
      second.clock.advance(10 * DAY);
      await orchestrator.tick();
      await orchestrator.idle();
      const scheduled = await second.stack.orchestration.audit.list({ secretId: ARN });
      const described = await second.sm().send(new DescribeSecretCommand({ SecretId: DEMO }));

      // Assess
      expect(scheduled.map((record) => [record.trigger, record.result])).toEqual([
        ['rotate-secret', 'succeeded'],
        ['schedule', 'succeeded'],
      ]);
      expect(described.LastRotatedDate?.getTime()).toBeGreaterThan(Date.now() + 9 * DAY);
    } finally {
      await second.close();
    }
  });
});
