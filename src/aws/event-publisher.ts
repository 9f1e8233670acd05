/**
 * Rotor's events on EventBridge: `source: rotor`, one `detail-type` per {@link RotorEventDetailType},
 * on the operator's bus. Details are written by the engine from ids and categories only (I7).
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import credentialRevokedSchema from '../../schemas/events/credential-revoked.schema.json' with {
  type: 'json',
};
import rotationFailedSchema from '../../schemas/events/rotation-failed.schema.json' with { type: 'json' };
import rotationSucceededSchema from '../../schemas/events/rotation-succeeded.schema.json' with {
  type: 'json',
};
import { InternalError, RotorError } from '../engine/errors.ts';
import type { RotorEvent, RotorEventDetailType, RotorEventSink } from '../engine/events.ts';
import type { JsonSchema } from '../runtime/partner.ts';
import { classifyAwsError } from './errors.ts';

/** The `source` of every Rotor event; rules match on it. */
export const ROTOR_EVENT_SOURCE = 'rotor';

/** The JSON Schema of each event's `detail` (`schemas/events/`). */
export const ROTOR_EVENT_SCHEMAS: Readonly<Record<RotorEventDetailType, JsonSchema>> = {
  'Rotation Succeeded': rotationSucceededSchema,
  'Rotation Failed': rotationFailedSchema,
  'Credential Revoked': credentialRevokedSchema,
};

export interface EventBridgeEventSinkOptions {
  client: EventBridgeClient;
  /** Name or ARN of Rotor's bus (`ROTOR_EVENT_BUS_NAME`). */
  eventBusName: string;
}

/**
 * Publishes Rotor events with `PutEvents`.
 *
 * @example
 * ```ts
 * const events = new EventBridgeEventSink({ client: new EventBridgeClient({}), eventBusName: 'rotor-events' });
 * await events.publish({ detailType: 'Rotation Succeeded', detail: { secretArn, partnerType, versionId } });
 * ```
 */
export class EventBridgeEventSink implements RotorEventSink {
  readonly #options: EventBridgeEventSinkOptions;

  constructor(options: EventBridgeEventSinkOptions) {
    this.#options = options;
  }

  /**
   * @throws {RotorError} when EventBridge refuses the call (categorised) or the entry (`internal`).
   */
  async publish(event: RotorEvent): Promise<void> {
    const { client, eventBusName } = this.#options;
    let failed: { code?: string } | undefined;
    try {
      const output = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: ROTOR_EVENT_SOURCE,
              DetailType: event.detailType,
              Detail: JSON.stringify(event.detail),
              EventBusName: eventBusName,
              Resources: event.detail.secretArn.startsWith('arn:') ? [event.detail.secretArn] : [],
            },
          ],
        }),
      );
      if (output.FailedEntryCount) failed = { code: output.Entries?.[0]?.ErrorCode };
    } catch (error) {
      if (error instanceof RotorError) throw error;
      throw classifyAwsError(error, 'EventBridge', `PutEvents of ${event.detailType} to ${eventBusName}`);
    }
    if (failed) {
      throw new InternalError(
        `EventBridge rejected the ${event.detailType} event on ${eventBusName} (${failed.code ?? 'no error code'}).`,
      );
    }
  }
}
