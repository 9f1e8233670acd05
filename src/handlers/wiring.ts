/**
 * What every handler builds on its first invocation: configuration, Powertools, SDK clients
 * (traced), the event sinks the configuration asks for, and the engine. One place, so the rotation
 * and revocation functions are wired the same way.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { EventBridgeEventSink, fanOut } from '../aws/event-publisher.ts';
import { RevocationScheduler } from '../aws/revocation-scheduler.ts';
import { SecretsManagerClients, type SecretsManagerClientsOptions } from '../aws/roles.ts';
import { RotationEngine } from '../engine/engine.ts';
import type { RotorEvent, RotorEventSink } from '../engine/events.ts';
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
  /** Present when the configuration enables grace-period schedules. */
  scheduler: RevocationScheduler | undefined;
}

/**
 * Builds a handler's engine and helpers.
 *
 * @param decorate - adds per-invocation fields (the rotation handler's `attempt`) to each event.
 * @throws {InvalidConfigurationError} for a bad environment variable.
 * @example
 * ```ts
 * const { engine, metrics } = wireHandler('rotor-rotation', options, context);
 * ```
 */
export function wireHandler(
  serviceName: string,
  options: HandlerOptions,
  context: LambdaContextLike | undefined,
  decorate: (event: RotorEvent) => RotorEvent = (event) => event,
): Wired {
  const env = options.env ?? process.env;
  const config = handlerConfigFrom(env);
  const observability = createObservability(serviceName, env);
  const { tracer } = observability;
  const metrics = options.metrics ?? observability.metrics;
  const log = options.logger ?? powertoolsLogger(observability.logger);
  const secretsManager = options.secretsManager ?? tracer.captureAWSv3Client(new SecretsManagerClient({}));

  const scheduler = config.scheduler
    ? new RevocationScheduler({
        client: options.scheduler ?? tracer.captureAWSv3Client(new SchedulerClient({})),
        ...config.scheduler,
        now: options.now,
      })
    : undefined;
  const sinks: RotorEventSink[] = [];
  if (config.eventBusName) {
    sinks.push(
      new EventBridgeEventSink({
        client: options.eventBridge ?? tracer.captureAWSv3Client(new EventBridgeClient({})),
        eventBusName: config.eventBusName,
      }),
    );
  }
  // The scheduler listens for Rotation Succeeded: the revocation is due when the grace period ends.
  if (scheduler) sinks.push(scheduler);
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
      sts: options.sts ?? tracer.captureAWSv3Client(new STSClient({})),
      engineAccountId: context?.invokedFunctionArn?.split(':')[4],
      customerRoleName: config.customerRoleName,
      externalId: externalIdReader(config, secretsManager),
      now: options.now,
      createClient: options.createSecretsManagerClient,
    }),
    logger: log,
    events: { publish: (event) => sink.publish(decorate(event)) },
    now: options.now,
    simulatorMode: config.simulatorMode,
    simulatorUrls: config.simulatorUrls,
    defaultGracePeriodSeconds: config.defaultGracePeriodSeconds,
    hookWrapper: tracedHooks(tracer),
  });
  return { engine, metrics, scheduler };
}
