/**
 * What every handler builds on its first invocation: configuration, Powertools, SDK clients
 * (traced when tracing is on), the event sinks the configuration asks for, and the engine. One
 * place, so the rotation and revocation functions are wired the same way.
 *
 * Cold starts are paid by every rotation, so only what the first step needs loads up front: the
 * EventBridge and Scheduler clients (and their modules) load on the first event that needs them —
 * a `createSecret` publishes none.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import type { RevocationScheduler } from '../aws/revocation-scheduler.ts';
import {
  ENGINE_CLIENT_CONFIG,
  SecretsManagerClients,
  type SecretsManagerClientsOptions,
} from '../aws/roles.ts';
import { applyWriteBudget, budgetedClientFactory, WriteBudget } from '../aws/write-budget.ts';
import { RotationEngine } from '../engine/engine.ts';
import { fanOut, lazySink, type RotorEvent, type RotorEventSink } from '../engine/events.ts';
import type { RotationLogger } from '../runtime/logger.ts';
import { externalIdReader, handlerConfigFrom } from './config.ts';
import {
  createObservability,
  METRIC_NAMES,
  powertoolsLogger,
  type RotorMetrics,
  tracedHooks,
} from './observability.ts';

/** The part of the Lambda context the handlers read. */
export interface LambdaContextLike {
  /** The handlers take their own account id from it (`arn:aws:lambda:<region>:<account>:function:…`). */
  invokedFunctionArn?: string;
  /**
   * The role to rotate under, when the invoker names one: the local stack passes a secret's
   * `ExternalSecretRotationRoleArn`, as Secrets Manager does for managed external secrets.
   */
  roleArn?: string;
}

/** Injectable dependencies of a handler; anything absent is built from the environment. */
export interface HandlerOptions {
  secretsManager?: SecretsManagerClient;
  sts?: STSClient;
  eventBridge?: EventBridgeClient;
  scheduler?: SchedulerClient;
  logger?: RotationLogger;
  /** Replaces the sinks built from the configuration (EventBridge, revocation scheduler). */
  events?: RotorEventSink;
  metrics?: RotorMetrics;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Builds the client for a customer role's assumed credentials (the local stack points it at itself). */
  createSecretsManagerClient?: SecretsManagerClientsOptions['createClient'];
}

export interface Wired {
  engine: RotationEngine;
  metrics: RotorMetrics;
  /** Present when the configuration enables grace-period schedules; loads the scheduler once. */
  scheduler: (() => Promise<RevocationScheduler>) | undefined;
}

/** Memoises an async factory; a failure is not kept, so the next call tries again. */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () =>
    (built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    }));
}

/**
 * Builds a handler's engine and helpers.
 *
 * @param decorate - adds per-invocation fields (the rotation handler's `attempt`) to each event.
 * @throws {InvalidConfigurationError} for a bad environment variable.
 * @example
 * ```ts
 * const { engine, metrics } = await wireHandler('rotor-rotation', options, context);
 * ```
 */
export async function wireHandler(
  serviceName: string,
  options: HandlerOptions,
  context: LambdaContextLike | undefined,
  decorate: (event: RotorEvent) => RotorEvent = (event) => event,
): Promise<Wired> {
  const env = options.env ?? process.env;
  const config = handlerConfigFrom(env);
  const observability = await createObservability(serviceName, env);
  const { tracer } = observability;
  const traced = <T extends Parameters<NonNullable<typeof tracer>['captureAWSv3Client']>[0]>(client: T): T =>
    tracer ? tracer.captureAWSv3Client(client) : client;
  const metrics = options.metrics ?? observability.metrics;
  const log = options.logger ?? powertoolsLogger(observability.logger);
  // Paces this container's quota-counted writes (ROTOR_SM_WRITES_PER_SECOND), shared by every client.
  const writeBudget = config.writeBudget && new WriteBudget(config.writeBudget);
  const secretsManager = applyWriteBudget(
    options.secretsManager ?? traced(new SecretsManagerClient(ENGINE_CLIENT_CONFIG)),
    writeBudget,
  );

  const schedulerConfig = config.scheduler;
  const scheduler = schedulerConfig
    ? once(async () => {
        const { RevocationScheduler } = await import('../aws/revocation-scheduler.ts');
        const client =
          options.scheduler ?? traced(new (await import('@aws-sdk/client-scheduler')).SchedulerClient({}));
        return new RevocationScheduler({ client, ...schedulerConfig, now: options.now });
      })
    : undefined;
  const sinks: RotorEventSink[] = [];
  const { eventBusName } = config;
  if (eventBusName) {
    sinks.push(
      lazySink(async () => {
        const { EventBridgeEventSink } = await import('../aws/event-publisher.ts');
        const client =
          options.eventBridge ??
          traced(new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient({}));
        return new EventBridgeEventSink({ client, eventBusName });
      }),
    );
  }
  // The scheduler listens for Rotation Succeeded: the revocation is due when the grace period ends.
  if (scheduler) sinks.push(lazySink(scheduler));
  const sink =
    options.events ??
    fanOut(sinks, (error, event) => {
      metrics.count(METRIC_NAMES.eventDeliveryFailed);
      log.error('Could not deliver a Rotor event', {
        detailType: event.detailType,
        category: error.category,
        message: error.message,
      });
    });

  const engine = new RotationEngine({
    clients: new SecretsManagerClients({
      secretsManager,
      sts: options.sts ?? traced(new STSClient({})),
      engineAccountId: context?.invokedFunctionArn?.split(':')[4],
      customerRoleName: config.customerRoleName,
      externalId: externalIdReader(config, secretsManager),
      now: options.now,
      createClient: budgetedClientFactory(options.createSecretsManagerClient, writeBudget),
    }),
    logger: log,
    events: { publish: (event) => sink.publish(decorate(event)) },
    now: options.now,
    simulatorMode: config.simulatorMode,
    simulatorUrls: config.simulatorUrls,
    defaultGracePeriodSeconds: config.defaultGracePeriodSeconds,
    hookWrapper: tracer ? tracedHooks(tracer) : undefined,
  });
  return { engine, metrics, scheduler };
}
