/**
 * Errors of the rotation orchestrator. Messages name secrets, versions, fields and steps only —
 * never a secret value or a `RotationToken`.
 */

/** Base of the orchestrator's own errors; chains `cause`. */
export class OrchestratorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** A `cron()` body that breaks the AWS rules; the message names the field. */
export class CronSyntaxError extends OrchestratorError {}

/** `RotationRules` that parse but cannot be scheduled (bad rate, window too long, ...). */
export class RotationRulesError extends OrchestratorError {
  /** The member at fault, e.g. `RotationRules.Duration`. */
  readonly field: string;

  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }
}

/** A manual write moved AWSCURRENT while the rotation ran; the rotation stops (RotationAbandoned). */
export class RotationAbandonedError extends OrchestratorError {}

/** Cleaning up after a test or abandoned rotation (discard at the source, AWSPENDING removal) failed. */
export class RotationCleanupError extends OrchestratorError {}
