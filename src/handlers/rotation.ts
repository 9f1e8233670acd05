/**
 * Lambda entry point for Secrets Manager rotation. It runs unchanged against AWS or any compatible
 * endpoint: SDK clients take their endpoint from the SDK's own environment variables
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_STS`, …).
 *
 * Configuration (environment, see `config.ts`):
 * - `ROTOR_CUSTOMER_ROLE_NAME`: role to assume in a secret's account when it is not this one;
 * - `ROTOR_EXTERNAL_ID_SECRET` / `ROTOR_EXTERNAL_ID_PARAMETER`: name of the Secrets Manager secret /
 *   SSM SecureString parameter holding the ExternalId that role requires (`ROTOR_EXTERNAL_ID`: the
 *   value itself, for local use);
 * - `ROTOR_GRACE_PERIOD_SECONDS`: default grace period before revoking a rotated-out credential;
 * - `ROTOR_EVENT_BUS_NAME`: Rotor's EventBridge bus (events are dropped when unset);
 * - `ROTOR_SCHEDULE_GROUP`, `ROTOR_REVOCATION_FUNCTION_ARN`, `ROTOR_SCHEDULER_ROLE_ARN`: grace-period
 *   revocation schedules (none when unset);
 * - `ROTOR_SM_WRITES_PER_SECOND`: pace this container's quota-counted Secrets Manager writes
 *   (unset: not paced);
 * - `ROTOR_SIMULATOR_MODE=true`: accept loopback partner URLs (local stack and tests only);
 * - `ROTOR_SIMULATOR_URLS`: in simulator mode, JSON `{ "<Type>": "<simulator base URL>" }`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { RotorError } from '../engine/errors.ts';
import { ROTATION_STEPS } from '../engine/event.ts';
import { AttemptCounter } from './attempts.ts';
import { METRIC_NAMES } from './observability.ts';
import { type HandlerOptions, type LambdaContextLike, type Wired, wireHandler } from './wiring.ts';

export { powertoolsLogger } from './observability.ts';
export type { LambdaContextLike } from './wiring.ts';

export type RotationHandlerOptions = HandlerOptions;

/** Reads `Step` and the token off an event that may not be valid, for metrics and attempts. */
function stepOf(event: unknown): { step: string; token: string } {
  const { Step, ClientRequestToken } = (event ?? {}) as { Step?: unknown; ClientRequestToken?: unknown };
  return {
    step: (ROTATION_STEPS as readonly unknown[]).includes(Step) ? (Step as string) : 'unknown',
    token: typeof ClientRequestToken === 'string' ? ClientRequestToken : '',
  };
}

/**
 * Builds a rotation handler. The module's {@link handler} is this with defaults from the
 * environment; the local stack builds its own with clients pointed at itself.
 *
 * @example
 * ```ts
 * const rotate = createRotationHandler({ secretsManager: new SecretsManagerClient({ endpoint }) });
 * await rotate({ Step: 'createSecret', SecretId: arn, ClientRequestToken: versionId });
 * ```
 */
export function createRotationHandler(options: RotationHandlerOptions = {}) {
  const attempts = new AttemptCounter();
  // Per invocation, so concurrent rotations through one handler (the local stack) keep their own.
  const currentAttempt = new AsyncLocalStorage<number>();
  let wired: Promise<Wired> | undefined;
  // A configuration error fails this invocation; the next one wires again (it may be fixed).
  const forgetWiring = (error: unknown): never => {
    wired = undefined;
    throw error;
  };

  return async (event: unknown, context?: LambdaContextLike): Promise<void> => {
    wired ??= wireHandler('rotor-rotation', options, context, (rotorEvent) => ({
      ...rotorEvent,
      detail: { ...rotorEvent.detail, attempt: currentAttempt.getStore() ?? 1 },
    })).catch(forgetWiring);
    const { engine, metrics } = await wired;
    const { step, token } = stepOf(event);
    const attempt = attempts.next(`${token}:${step}`);
    const started = performance.now();
    try {
      await currentAttempt.run(attempt, () => engine.run(event, { roleArn: context?.roleArn }));
      if (step === 'finishSecret') metrics.count(METRIC_NAMES.rotationSucceeded);
    } catch (error) {
      const category = error instanceof RotorError ? error.category : 'internal';
      metrics.count(METRIC_NAMES.rotationFailed, { name: 'category', value: category });
      throw error;
    } finally {
      metrics.duration(step, performance.now() - started);
      metrics.flush();
    }
  };
}

/** The Lambda handler: `Handler: rotation.handler`. */
export const handler = createRotationHandler();
