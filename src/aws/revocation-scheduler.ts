/**
 * Grace-period revocations as EventBridge Scheduler one-time schedules: after a successful
 * `finishSecret`, one `at(...)` schedule per rotation invokes the revocation function with the
 * secret's ARN when the rotated-out credential's grace period ends. Schedules delete themselves
 * after they run.
 */
import { createHash } from 'node:crypto';
import { CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { InvalidConfigurationError, RotorError } from '../engine/errors.ts';
import type { RotorEvent, RotorEventSink } from '../engine/events.ts';
import { awsErrorName, classifyAwsError } from './errors.ts';

/** What the revocation function receives from a schedule. */
export interface RevocationRequest {
  secretArn: string;
  /** The version that became AWSCURRENT in the rotation that scheduled this revocation. */
  rotatedVersionId?: string;
}

export interface RevocationSchedulerOptions {
  client: SchedulerClient;
  /** Schedule group (`ROTOR_SCHEDULE_GROUP`). */
  groupName: string;
  /** ARN of the revocation function (`ROTOR_REVOCATION_FUNCTION_ARN`). */
  targetArn: string;
  /** Role EventBridge Scheduler assumes to invoke it (`ROTOR_SCHEDULER_ROLE_ARN`). */
  roleArn: string;
  now?: () => Date;
}

/** `at()` wants `yyyy-mm-ddThh:mm:ss`, no zone (the zone is a separate field), no fraction. */
function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

/**
 * One name per (secret, rotation, time): creating the same schedule twice is a no-op, while a
 * revocation that re-schedules itself for a later time gets a new one. Names allow 1–64 of
 * `[0-9a-zA-Z-_.]`; a hash fits any ARN.
 */
export function revocationScheduleName(secretArn: string, rotatedVersionId: string, at: Date): string {
  const digest = createHash('sha256').update(`${secretArn}|${rotatedVersionId}|${at.toISOString()}`);
  return `rotor-revoke-${digest.digest('hex').slice(0, 40)}`;
}

/**
 * @example
 * ```ts
 * const scheduler = new RevocationScheduler({ client: new SchedulerClient({}), groupName, targetArn, roleArn });
 * await scheduler.schedule({ secretArn, rotatedVersionId }, new Date(Date.now() + 3600_000));
 * ```
 */
export class RevocationScheduler implements RotorEventSink {
  readonly #options: RevocationSchedulerOptions;

  constructor(options: RevocationSchedulerOptions) {
    this.#options = options;
  }

  /**
   * Creates the one-time schedule; an existing schedule of the same name counts as done.
   *
   * @returns the schedule name and whether this call created it.
   * @throws {RotorError} when Scheduler refuses (categorised).
   */
  async schedule(request: RevocationRequest, at: Date): Promise<{ name: string; created: boolean }> {
    const { client, groupName, targetArn, roleArn } = this.#options;
    const name = revocationScheduleName(request.secretArn, request.rotatedVersionId ?? '', at);
    try {
      await client.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: groupName,
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Description: `Rotor: revoke the rotated-out credential of ${request.secretArn}`.slice(0, 512),
          Target: {
            Arn: targetArn,
            RoleArn: roleArn,
            Input: JSON.stringify(request),
            RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
          },
        }),
      );
      return { name, created: true };
    } catch (error) {
      if (awsErrorName(error) === 'ConflictException') return { name, created: false };
      if (error instanceof RotorError) throw error;
      throw classifyAwsError(error, 'EventBridge Scheduler', `CreateSchedule ${name} in ${groupName}`);
    }
  }

  /** As an event sink: schedules a revocation for every `Rotation Succeeded`, at its grace period's end. */
  async publish(event: RotorEvent): Promise<void> {
    if (event.detailType !== 'Rotation Succeeded') return;
    const { secretArn, versionId, gracePeriodSeconds } = event.detail;
    if (gracePeriodSeconds === undefined) {
      throw new InvalidConfigurationError(
        `Rotation Succeeded for ${secretArn} carries no grace period; cannot schedule its revocation.`,
        { field: 'gracePeriodSeconds' },
      );
    }
    const now = this.#options.now?.() ?? new Date();
    // Whole seconds, a minute at least: Scheduler refuses at() times in the past.
    const at = new Date(Math.ceil(now.getTime() / 1000) * 1000 + Math.max(gracePeriodSeconds, 60) * 1000);
    await this.schedule({ secretArn, rotatedVersionId: versionId }, at);
  }
}
