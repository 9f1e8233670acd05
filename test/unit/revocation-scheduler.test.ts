import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { RevocationScheduler, revocationScheduleName } from '../../src/aws/revocation-scheduler.ts';

const scheduler = mockClient(SchedulerClient);
const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:sf/app-AbCdEf';
const NOW = new Date('2026-11-25T10:00:00.250Z');

function createScheduler() {
  return new RevocationScheduler({
    client: new SchedulerClient({}),
    groupName: 'rotor-revocations',
    targetArn: 'arn:aws:lambda:eu-west-1:999988887777:function:rotor-revocation',
    roleArn: 'arn:aws:iam::999988887777:role/rotor-scheduler',
    now: () => NOW,
  });
}

beforeEach(() => {
  scheduler.reset();
});

describe('Class: RevocationScheduler', () => {
  it('schedules a one-time, self-deleting revocation at the end of the grace period of a rotation', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

    // Act
    await createScheduler().publish({
      detailType: 'Rotation Succeeded',
      detail: {
        secretArn: ARN,
        partnerType: 'SalesforceClientSecret',
        versionId: 'v-2',
        gracePeriodSeconds: 3600,
      },
    });

    // Assess
    const at = new Date('2026-11-25T11:00:01.000Z');
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: revocationScheduleName(ARN, 'v-2', at),
      GroupName: 'rotor-revocations',
      ScheduleExpression: 'at(2026-11-25T11:00:01)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:lambda:eu-west-1:999988887777:function:rotor-revocation',
        RoleArn: 'arn:aws:iam::999988887777:role/rotor-scheduler',
        Input: JSON.stringify({ secretArn: ARN, rotatedVersionId: 'v-2' }),
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      },
    });
  });

  it('ignores every event but Rotation Succeeded', async () => {
    // Act
    await createScheduler().publish({
      detailType: 'Rotation Failed',
      detail: { secretArn: ARN, category: 'throttled', message: 'slow down' },
    });

    // Assess
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
  });

  it('treats an existing schedule of the same name as done', async () => {
    // Prepare
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));

    // Act
    const outcome = await createScheduler().schedule({ secretArn: ARN }, new Date('2026-11-25T12:00:00Z'));

    // Assess
    expect(outcome.created).toBe(false);
    expect(outcome.name).toMatch(/^rotor-revoke-[0-9a-f]{40}$/);
  });

  it('classifies a refused call', async () => {
    // Prepare
    scheduler
      .on(CreateScheduleCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $fault: 'client' }));

    // Act
    const error = await createScheduler()
      .schedule({ secretArn: ARN }, new Date('2026-11-25T12:00:00Z'))
      .catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toMatchObject({ category: 'permission-denied' });
  });
});
