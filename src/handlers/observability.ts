/**
 * Powertools for the Lambda handlers: structured logs (Logger), EMF metrics (Metrics) and X-Ray
 * subsegments (Tracer). Tracer is loaded only when tracing is on (in Lambda, unless
 * `POWERTOOLS_TRACE_ENABLED=false`): importing it loads the X-Ray SDK, whose context tracking
 * hooks every promise of the process for its lifetime — a cost on each cold start and each SDK call
 * that a handler without tracing should not pay. Metrics are off outside Lambda unless
 * `POWERTOOLS_METRICS_DISABLED=false` asks for them, so nothing prints EMF blobs or X-Ray warnings
 * there. Nothing here ever records a secret value or a token (I7): logs
 * carry ids, steps and token hashes; metrics carry counts, durations and categories; subsegments
 * carry hook names, partner types and error categories.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { HookWrapper } from '../engine/engine.ts';
import { RotorError } from '../engine/errors.ts';
import type { LogAttributes, RotationLogger } from '../runtime/logger.ts';

/** CloudWatch namespace of Rotor's metrics. */
export const METRICS_NAMESPACE = 'Rotor';

/** The metrics the handlers emit; names are what the template's alarms and dashboards use. */
export const METRIC_NAMES = {
  rotationSucceeded: 'RotationSucceeded',
  rotationFailed: 'RotationFailed',
  stepDuration: 'StepDuration',
  credentialRevoked: 'CredentialRevoked',
  revocationFailed: 'RevocationFailed',
  eventDeliveryFailed: 'EventDeliveryFailed',
} as const;

/** What a handler records; backed by Powertools Metrics in Lambda and by nothing elsewhere. */
export interface RotorMetrics {
  /** Adds one to `name`, optionally split by one dimension (e.g. `category`). */
  count(name: string, dimension?: { name: string; value: string }): void;
  /** Records how long a step took, split by step. */
  duration(step: string, milliseconds: number): void;
  /** Flushes what was recorded (one EMF document per dimension set). */
  flush(): void;
}

/** Metrics that go nowhere. */
export const noMetrics: RotorMetrics = { count() {}, duration() {}, flush() {} };

/**
 * Powertools Metrics behind {@link RotorMetrics}. Dimensioned values go out as single-metric EMF
 * documents, so a `category` dimension never spills onto the other metrics of the invocation.
 *
 * @example
 * ```ts
 * const metrics = powertoolsMetrics(new Metrics({ namespace: 'Rotor', serviceName: 'rotor-rotation' }));
 * metrics.count('RotationFailed', { name: 'category', value: 'throttled' });
 * metrics.flush();
 * ```
 */
export function powertoolsMetrics(metrics: Metrics): RotorMetrics {
  return {
    count(name, dimension) {
      if (!dimension) {
        metrics.addMetric(name, MetricUnit.Count, 1);
        return;
      }
      const single = metrics.singleMetric();
      single.addDimension(dimension.name, dimension.value);
      single.addMetric(name, MetricUnit.Count, 1);
    },
    duration(step, milliseconds) {
      const single = metrics.singleMetric();
      single.addDimension('step', step);
      single.addMetric(METRIC_NAMES.stepDuration, MetricUnit.Milliseconds, milliseconds);
    },
    flush() {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    },
  };
}

/** Powertools drops attributes named like its own keys; the engine's `message` becomes `errorMessage`. */
function attributesFor(attributes: LogAttributes | undefined): LogAttributes {
  if (!attributes || !('message' in attributes)) return { ...attributes };
  const { message, ...rest } = attributes;
  return { ...rest, errorMessage: message };
}

/** Adapts Powertools Logger (structured JSON to stdout) to the engine's narrow logger. */
export function powertoolsLogger(logger: Logger): RotationLogger {
  return {
    debug: (message, attributes) => logger.debug(message, attributesFor(attributes)),
    info: (message, attributes) => logger.info(message, attributesFor(attributes)),
    warn: (message, attributes) => logger.warn(message, attributesFor(attributes)),
    error: (message, attributes) => logger.error(message, attributesFor(attributes)),
  };
}

/**
 * A {@link HookWrapper} that opens one X-Ray subsegment per partner hook call
 * (`## SalesforceClientSecret.create`), annotated with the partner type and, on failure, the error
 * category only — an error message is never attached, so nothing unscrubbed reaches a trace.
 *
 * @example
 * ```ts
 * new RotationEngine({ clients, hookWrapper: tracedHooks(new Tracer({ serviceName: 'rotor' })) });
 * ```
 */
export function tracedHooks(tracer: Tracer): HookWrapper {
  return async (hook, partnerType, call) => {
    if (!tracer.isTracingEnabled()) return call();
    const parent = tracer.getSegment();
    if (!parent) return call();
    const subsegment = parent.addNewSubsegment(`## ${partnerType}.${hook}`);
    subsegment.addAnnotation('partnerType', partnerType);
    subsegment.addAnnotation('hook', hook);
    tracer.setSegment(subsegment);
    try {
      return await call();
    } catch (error) {
      subsegment.addAnnotation('errorCategory', error instanceof RotorError ? error.category : 'internal');
      subsegment.addFaultFlag();
      throw error;
    } finally {
      subsegment.close();
      tracer.setSegment(parent);
    }
  };
}

export interface Observability {
  logger: Logger;
  /** Absent when tracing is off (see {@link tracingEnabled}). */
  tracer: Tracer | undefined;
  metrics: RotorMetrics;
}

/**
 * Whether the handlers trace to X-Ray: only in Lambda, and not when `POWERTOOLS_TRACE_ENABLED` is
 * `false` (the template sets it from its `Tracing` parameter).
 */
export function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME) && env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
}

/**
 * The Powertools trio for one handler.
 *
 * @param serviceName - `rotor-rotation`, `rotor-revocation`, …
 * @example
 * ```ts
 * const { logger, tracer, metrics } = await createObservability('rotor-rotation', process.env);
 * ```
 */
export async function createObservability(
  serviceName: string,
  env: NodeJS.ProcessEnv,
): Promise<Observability> {
  // An explicit POWERTOOLS_METRICS_DISABLED is Powertools' to honour; absent, emit only in Lambda.
  const useMetrics = env.POWERTOOLS_METRICS_DISABLED !== undefined || Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE;
  const metrics = useMetrics ? powertoolsMetrics(new Metrics({ namespace, serviceName })) : noMetrics;
  const tracer = tracingEnabled(env)
    ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName })
    : undefined;
  return { logger: new Logger({ serviceName }), tracer, metrics };
}
