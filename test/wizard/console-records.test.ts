/**
 * The console's flattening of the local stack's events and audit records (shapes from
 * `src/local/orchestrator/events.ts` and `audit-record.ts`), built with the orchestrator's own
 * event constructors so a change of shape there fails here.
 */
import { describe, expect, it } from 'vitest';
import { consoleAuditRecordOf, consoleEventOf } from '../../src/console/records.ts';
import {
  labelUpdatedEvent,
  rotationServiceEvent,
  rotorBusEvent,
} from '../../src/local/orchestrator/events.ts';

const secretArn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:demo/sf-AbCdEf';
const versionId = '5e913ae3-ad16-4509-8837-71aab09e8603';
const time = new Date('2026-11-25T02:00:00.000Z');

describe('Function: consoleEventOf', () => {
  it('names CloudTrail service events by their eventName and summarises them without secrets', () => {
    // Prepare
    const ok = { seq: 4, event: rotationServiceEvent('RotationSucceeded', { secretArn, versionId, time }) };
    const failed = {
      seq: 5,
      event: rotationServiceEvent('TestRotationFailed', { secretArn, versionId, time, errorMessage: 'boom' }),
    };

    // Act
    const rows = [consoleEventOf(ok), consoleEventOf(failed)];

    // Assess
    expect(rows[0]).toEqual({
      seq: 4,
      time: time.toISOString(),
      name: 'RotationSucceeded',
      source: 'aws.secretsmanager',
      summary: `Rotation request ${versionId}`,
    });
    expect(rows[1]?.name).toBe('TestRotationFailed');
    expect(rows[1]?.summary).toBe('Failed: boom');
  });

  it('names label and Rotor events by their detail-type, with the label, step and category', () => {
    // Prepare
    const label = labelUpdatedEvent({ secretArn, name: 'demo/sf', label: 'AWSCURRENT', versionId, time });
    const rotor = rotorBusEvent(
      {
        detailType: 'Rotation Failed',
        detail: { secretArn, versionId, step: 'createSecret', category: 'conflict', message: 'slot taken' },
      },
      time,
    );

    // Act
    const [labelRow, rotorRow] = [consoleEventOf({ seq: 1, event: label }), consoleEventOf(rotor)];

    // Assess
    expect(labelRow).toMatchObject({
      name: 'Secret Label Updated',
      summary: `AWSCURRENT moved to version ${versionId}`,
    });
    expect(rotorRow).toMatchObject({
      seq: undefined,
      name: 'Rotation Failed',
      source: 'rotor',
      summary: `version ${versionId} at createSecret [conflict] slot taken`,
    });
  });
});

describe('Function: consoleAuditRecordOf', () => {
  it('keeps trigger, result, failure category and step, duration and the steps in order', () => {
    // Prepare
    const record = {
      id: 'a1',
      secretArn,
      versionId,
      kind: 'rotation',
      trigger: 'schedule',
      attempt: 1,
      startedAt: time.toISOString(),
      finishedAt: time.toISOString(),
      durationMs: 1200,
      result: 'failed',
      steps: [
        { step: 'createSecret', status: 'succeeded' },
        { step: 'setSecret', status: 'failed' },
      ],
      failure: { step: 'setSecret', category: 'partner-unavailable', name: 'X', message: 'down' },
    };

    // Act
    const row = consoleAuditRecordOf(record);

    // Assess
    expect(row).toEqual({
      id: 'a1',
      startedAt: time.toISOString(),
      versionId,
      kind: 'rotation',
      trigger: 'schedule',
      result: 'failed',
      failureCategory: 'partner-unavailable',
      failureStep: 'setSecret',
      durationMs: 1200,
      steps: ['createSecret:succeeded', 'setSecret:failed'],
    });
  });
});
