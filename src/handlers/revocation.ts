/**
 * Lambda entry point for grace-period revocations. EventBridge Scheduler invokes it with
 * `{ "secretArn": "…", "rotatedVersionId": "…" }` when a rotated-out credential's grace period
 * ends; it revokes the credential under `AWSPREVIOUS` through the engine (which re-checks the grace
 * period and `AWSCURRENT`, I5) and, if the grace period turns out not to be over (a longer
 * per-secret `rotor:grace-period`), schedules itself again for when it is.
 *
 * Configuration: as the rotation handler (`config.ts`), the scheduler variables included.
 */
import type { RevocationRequest } from '../aws/revocation-scheduler.ts';
import type { RevokeOutcome } from '../engine/engine.ts';
import { InvalidConfigurationError, RotorError } from '../engine/errors.ts';
import { METRIC_NAMES } from './observability.ts';
import { type HandlerOptions, type LambdaContextLike, type Wired, wireHandler } from './wiring.ts';

export type RevocationHandlerOptions = HandlerOptions;

/** What one invocation did, returned to the caller (and recorded by Lambda destinations). */
export interface RevocationResult extends RevokeOutcome {
  secretArn: string;
  /** Set when the grace period was not over and a later revocation was scheduled. */
  rescheduledAt?: string;
}

/**
 * Checks the scheduler's input, failing closed before any call.
 *
 * @throws {InvalidConfigurationError} naming the bad field.
 */
export function parseRevocationRequest(raw: unknown): RevocationRequest {
  const request = (raw ?? {}) as Partial<RevocationRequest>;
  if (typeof request.secretArn !== 'string' || !request.secretArn.startsWith('arn:')) {
    throw new InvalidConfigurationError(
      'Invalid revocation request: "secretArn" must be the secret\'s ARN, e.g. {"secretArn":"arn:aws:secretsmanager:…"}.',
      { field: 'secretArn' },
    );
  }
  if (request.rotatedVersionId !== undefined && typeof request.rotatedVersionId !== 'string') {
    throw new InvalidConfigurationError('Invalid revocation request: "rotatedVersionId" must be a string.', {
      field: 'rotatedVersionId',
    });
  }
  return { secretArn: request.secretArn, rotatedVersionId: request.rotatedVersionId };
}

/**
 * Builds a revocation handler.
 *
 * @example
 * ```ts
 * const revoke = createRevocationHandler({ secretsManager });
 * const result = await revoke({ secretArn }, { invokedFunctionArn });
 * ```
 */
export function createRevocationHandler(options: RevocationHandlerOptions = {}) {
  let wired: Promise<Wired> | undefined;
  // A configuration error fails this invocation; the next one wires again (it may be fixed).
  const forgetWiring = (error: unknown): never => {
    wired = undefined;
    throw error;
  };

  return async (event: unknown, context?: LambdaContextLike): Promise<RevocationResult> => {
    wired ??= wireHandler('rotor-revocation', options, context).catch(forgetWiring);
    const { engine, scheduler, metrics } = await wired;
    try {
      const request = parseRevocationRequest(event);
      const outcome = await engine.revokePrevious(request.secretArn);
      if (outcome.revoked) metrics.count(METRIC_NAMES.credentialRevoked);
      const result: RevocationResult = { secretArn: request.secretArn, ...outcome };
      if (outcome.reason === 'grace-period' && outcome.notBefore && scheduler) {
        await (await scheduler()).schedule(request, outcome.notBefore);
        result.rescheduledAt = outcome.notBefore.toISOString();
      }
      return result;
    } catch (error) {
      const category = error instanceof RotorError ? error.category : 'internal';
      metrics.count(METRIC_NAMES.revocationFailed, { name: 'category', value: category });
      throw error;
    } finally {
      metrics.flush();
    }
  };
}

/** The Lambda handler: `Handler: revocation.handler`. */
export const handler = createRevocationHandler();
