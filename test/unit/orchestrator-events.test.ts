/** The local event bus, the audit log, event shapes and the `rotor events` line format. */
import { describe, expect, it } from 'vitest';
import { formatEvent } from '../../src/cli/commands/events.ts';
import {
  type AuditRecord,
  busEventSink,
  InMemoryAuditLog,
  InMemoryEventBus,
  labelUpdatedEvent,
  rotationServiceEvent,
  VirtualClock,
} from '../../src/local/orchestrator/index.ts';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-AbCdEf';
const OTHER = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/other-XyZ123';
const TIME = new Date('2026-03-01T10:30:00.000Z');

describe('Class: InMemoryEventBus', () => {
  it('numbers events, filters by cursor, secret and source, and tells subscribers', async () => {
    // Prepare
    const bus = new InMemoryEventBus();
    const seen: number[] = [];
    const unsubscribe = bus.subscribe((entry) => seen.push(entry.seq));

    // Act
    await bus.publish(
      rotationServiceEvent('RotationStarted', { secretArn: ARN, versionId: 'v1', time: TIME }),
    );
    await bus.publish(
      labelUpdatedEvent({
        secretArn: OTHER,
        name: 'app/other',
        label: 'AWSCURRENT',
        versionId: 'v9',
        time: TIME,
      }),
    );
    unsubscribe();
    await busEventSink(bus, { now: () => TIME }).publish({
      detailType: 'Rotation Failed',
      detail: { secretArn: ARN, step: 'testSecret', category: 'credential-rejected', message: 'rejected' },
    });

    // Assess
    expect(seen).toEqual([1, 2]);
    expect((await bus.list({ secretId: 'app/db' })).map((e) => e.seq)).toEqual([1, 3]);
    expect((await bus.list({ secretId: ARN.slice(0, -7) })).map((e) => e.seq)).toEqual([1, 3]);
    expect((await bus.list({ since: 1 })).map((e) => e.seq)).toEqual([2, 3]);
    expect((await bus.list({ source: 'rotor' }))[0]?.event).toMatchObject({
      source: 'rotor',
      'detail-type': 'Rotation Failed',
      account: '111122223333',
      region: 'eu-west-1',
      resources: [ARN],
    });
  });

  it('keeps sequence numbers increasing when old events fall off', async () => {
    // Prepare
    const bus = new InMemoryEventBus({ capacity: 2 });

    // Act
    for (const versionId of ['a', 'b', 'c']) {
      await bus.publish(rotationServiceEvent('RotationStarted', { secretArn: ARN, versionId, time: TIME }));
    }

    // Assess
    expect((await bus.list()).map((e) => e.seq)).toEqual([2, 3]);
  });
});

describe('Function: rotationServiceEvent', () => {
  it('shapes a CloudTrail service event with the secret in additionalEventData', () => {
    // Act
    const event = rotationServiceEvent('RotationFailed', {
      secretArn: ARN,
      versionId: 'v1',
      time: TIME,
      errorMessage: 'Error when executing lambda fn during setSecret step',
    });

    // Assess
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'AWS Service Event via CloudTrail',
      source: 'aws.secretsmanager',
      account: '111122223333',
      region: 'eu-west-1',
      time: TIME.toISOString(),
      detail: {
        eventName: 'RotationFailed',
        eventType: 'AwsServiceEvent',
        eventSource: 'secretsmanager.amazonaws.com',
        userIdentity: { invokedBy: 'secretsmanager.amazonaws.com' },
        additionalEventData: { SecretId: ARN },
        requestParameters: null,
        responseElements: null,
        managementEvent: true,
        requestID: `Rotation-${ARN}-v1`,
        errorMessage: 'Error when executing lambda fn during setSecret step',
      },
    });
  });
});

describe('Function: formatEvent', () => {
  it('prints one line per event kind', () => {
    // Act
    const lines = [
      formatEvent(rotationServiceEvent('RotationSucceeded', { secretArn: ARN, versionId: 'v1', time: TIME })),
      formatEvent(
        labelUpdatedEvent({
          secretArn: ARN,
          name: 'app/db',
          label: 'AWSCURRENT',
          versionId: 'v1',
          time: TIME,
        }),
      ),
    ];

    // Assess
    expect(lines[0]).toMatch(/^2026-03-01T10:30:00.000Z {2}aws\.secretsmanager +RotationSucceeded +arn:/);
    expect(lines[1]).toContain('app/db  AWSCURRENT -> v1');
  });
});

describe('Class: InMemoryAuditLog', () => {
  it('lists records by secret and finish time, newest last', async () => {
    // Prepare
    const audit = new InMemoryAuditLog();
    const record = (secretArn: string, finishedAt: string): AuditRecord => ({
      id: finishedAt,
      secretArn,
      versionId: 'v',
      kind: 'rotation',
      trigger: 'schedule',
      attempt: 1,
      startedAt: finishedAt,
      finishedAt,
      durationMs: 0,
      result: 'succeeded',
      steps: [],
    });

    // Act
    await audit.append(record(ARN, '2026-03-01T00:00:00.000Z'));
    await audit.append(record(OTHER, '2026-03-02T00:00:00.000Z'));
    await audit.append(record(ARN, '2026-03-03T00:00:00.000Z'));

    // Assess
    expect((await audit.list({ secretId: 'app/db' })).map((r) => r.id)).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
    ]);
    expect((await audit.list({ since: '2026-03-01T12:00:00.000Z' })).map((r) => r.secretArn)).toEqual([
      OTHER,
      ARN,
    ]);
    expect(await audit.list({ limit: 1 })).toHaveLength(1);
  });
});

describe('Class: VirtualClock', () => {
  it('moves only forward and tells its listeners', () => {
    // Prepare
    const clock = new VirtualClock(TIME);
    let told = 0;
    clock.onAdvance(() => {
      told += 1;
    });

    // Act
    clock.advance(1000);
    clock.set(new Date(TIME.getTime() + 5000));

    // Assess
    expect(clock.now().toISOString()).toBe('2026-03-01T10:30:05.000Z');
    expect(told).toBe(2);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
