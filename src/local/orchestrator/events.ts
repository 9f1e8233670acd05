/**
 * The events the local stack publishes (reference §9): Secrets Manager's CloudTrail service events
 * for the rotation lifecycle, its native "Secret Label Updated" event, and Rotor's own events from
 * the engine. None carries a secret value or a `RotationToken`: only ARNs, names, version ids,
 * labels, steps and categories.
 */
import { randomUUID } from 'node:crypto';
import type { RotorEvent, RotorEventSink } from '../../engine/events.ts';
import type { BusEvent, EventBus } from './event-bus.ts';

export type RotationEventName =
  | 'RotationStarted'
  | 'RotationSucceeded'
  | 'RotationFailed'
  | 'RotationAbandoned'
  | 'TestRotationStarted'
  | 'TestRotationSucceeded'
  | 'TestRotationFailed';

export const SERVICE_EVENT_DETAIL_TYPE = 'AWS Service Event via CloudTrail';
export const LABEL_UPDATED_DETAIL_TYPE = 'Secret Label Updated';
export const SECRETS_MANAGER_SOURCE = 'aws.secretsmanager';
export const ROTOR_SOURCE = 'rotor';
const SERVICE_PRINCIPAL = 'secretsmanager.amazonaws.com';

/** Labels whose changes "Secret Label Updated" leaves out (AWS: AWSPENDING and AWSPREVIOUS). */
export const UNREPORTED_LABELS: ReadonlySet<string> = new Set(['AWSPENDING', 'AWSPREVIOUS']);

export interface EventScope {
  account: string;
  region: string;
  time: Date;
}

/** The account and Region of a secret ARN (`arn:aws:secretsmanager:<region>:<account>:secret:...`). */
export function scopeOf(secretArn: string, time: Date): EventScope {
  const [, , , region = 'us-east-1', account = '000000000000'] = secretArn.split(':');
  return { account, region, time };
}

function envelope(
  detailType: string,
  source: string,
  scope: EventScope,
  resources: string[],
  detail: Record<string, unknown>,
): BusEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: scope.account,
    time: scope.time.toISOString(),
    region: scope.region,
    resources,
    detail,
  };
}

/**
 * A CloudTrail `AwsServiceEvent` as EventBridge delivers it: `requestParameters` and
 * `responseElements` null, the secret in `additionalEventData.SecretId`.
 *
 * @example
 * ```ts
 * await bus.publish(rotationServiceEvent('RotationStarted', { secretArn, versionId, time: clock.now() }));
 * ```
 */
export function rotationServiceEvent(
  eventName: RotationEventName,
  options: { secretArn: string; versionId: string; time: Date; errorMessage?: string },
): BusEvent {
  const scope = scopeOf(options.secretArn, options.time);
  const eventId = randomUUID();
  return envelope(SERVICE_EVENT_DETAIL_TYPE, SECRETS_MANAGER_SOURCE, scope, [], {
    eventVersion: '1.08',
    userIdentity: { accountId: scope.account, invokedBy: SERVICE_PRINCIPAL },
    eventTime: scope.time.toISOString(),
    eventSource: SERVICE_PRINCIPAL,
    eventName,
    awsRegion: scope.region,
    sourceIPAddress: SERVICE_PRINCIPAL,
    userAgent: SERVICE_PRINCIPAL,
    ...(options.errorMessage === undefined ? {} : { errorMessage: options.errorMessage }),
    requestParameters: null,
    responseElements: null,
    additionalEventData: { SecretId: options.secretArn },
    // AWS's shape is Rotation-<secretArn>-<uuid>; that the uuid is the version id is Not confirmed.
    requestID: `Rotation-${options.secretArn}-${options.versionId}`,
    eventID: eventId,
    readOnly: false,
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: scope.account,
    eventCategory: 'Management',
  });
}

/** Secrets Manager's native label event: `detail: {name, labelUpdated, versionId}`. */
export function labelUpdatedEvent(options: {
  secretArn: string;
  name: string;
  label: string;
  versionId: string;
  time: Date;
}): BusEvent {
  return envelope(
    LABEL_UPDATED_DETAIL_TYPE,
    SECRETS_MANAGER_SOURCE,
    scopeOf(options.secretArn, options.time),
    [options.secretArn],
    {
      name: options.name,
      labelUpdated: options.label,
      versionId: options.versionId,
    },
  );
}

/** Rotor's own event (`source: rotor`), with the engine's detail as is (ids, step, category, message). */
export function rotorBusEvent(event: RotorEvent, time: Date): BusEvent {
  return envelope(
    event.detailType,
    ROTOR_SOURCE,
    scopeOf(event.detail.secretArn, time),
    [event.detail.secretArn],
    {
      ...event.detail,
    },
  );
}

/**
 * The engine's event sink, backed by the bus: pass it as `events` to `createRotationHandler`.
 *
 * @example
 * ```ts
 * const rotate = createRotationHandler({ secretsManager, events: busEventSink(bus, clock) });
 * ```
 */
export function busEventSink(bus: EventBus, clock: { now(): Date }): RotorEventSink {
  return {
    publish: async (event) => {
      await bus.publish(rotorBusEvent(event, clock.now()));
    },
  };
}
