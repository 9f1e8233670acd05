/** Turns the runner's record of an attempt into its audit record. */
import { randomUUID } from 'node:crypto';
import type { RotationAttempt } from '../rotation-runner.ts';
import type { AuditRecord, RotationTrigger } from './audit-log.ts';

export interface AuditContext {
  kind: AuditRecord['kind'];
  trigger: RotationTrigger;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attemptNumber: number;
  /** The version under AWSCURRENT when the attempt started. */
  previousVersionId: string | undefined;
  /** The RotateSecret caller, when known. */
  principal?: string | undefined;
  /** Used for anything the attempt left unfinished. */
  now: Date;
}

const elapsed = (from: string, to: string) => Date.parse(to) - Date.parse(from);

/**
 * @example
 * ```ts
 * await audit.append(auditRecordOf(attempt, { kind: 'rotation', trigger: 'schedule', attemptNumber: 1, previousVersionId, now }));
 * ```
 */
export function auditRecordOf(attempt: RotationAttempt, context: AuditContext): AuditRecord {
  const finishedAt = attempt.finishedAt ?? context.now.toISOString();
  return {
    id: randomUUID(),
    secretArn: attempt.secretArn,
    versionId: attempt.versionId,
    ...(context.previousVersionId === undefined ? {} : { previousVersionId: context.previousVersionId }),
    kind: context.kind,
    trigger: context.trigger,
    ...(context.principal === undefined ? {} : { principal: context.principal }),
    ...(attempt.roleArn === undefined ? {} : { roleArn: attempt.roleArn }),
    attempt: context.attemptNumber,
    startedAt: attempt.startedAt,
    finishedAt,
    durationMs: elapsed(attempt.startedAt, finishedAt),
    result: attempt.result === 'running' ? 'failed' : attempt.result,
    steps: attempt.steps.map((step) => {
      const stepFinished = step.finishedAt ?? finishedAt;
      return {
        step: step.step,
        status: step.status === 'running' ? 'failed' : step.status,
        startedAt: step.startedAt,
        finishedAt: stepFinished,
        durationMs: elapsed(step.startedAt, stepFinished),
      };
    }),
    ...(attempt.failure === undefined ? {} : { failure: { ...attempt.failure } }),
  };
}
