/**
 * Rotor's own events (`source: rotor`). The engine emits them through a sink; the handler backs
 * the sink with EventBridge, the local stack with its own bus. Details never hold secret values.
 */
import { type ErrorCategory, InternalError, RotorError } from './errors.ts';

export type RotorEventDetailType = 'Rotation Succeeded' | 'Rotation Failed' | 'Credential Revoked';

export interface RotorEvent {
  detailType: RotorEventDetailType;
  detail: {
    secretArn: string;
    partnerType?: string;
    versionId?: string;
    step?: string;
    category?: ErrorCategory;
    message?: string;
    /** How many times this step has been tried for this token (1 on the first try). */
    attempt?: number;
    /** On `Rotation Succeeded`: seconds the rotated-out credential keeps working before revocation. */
    gracePeriodSeconds?: number;
  };
}

export interface RotorEventSink {
  publish(event: RotorEvent): Promise<void>;
}

/** A sink that drops events. */
export const noEvents: RotorEventSink = { publish: async () => {} };

/**
 * A sink that forwards to several sinks and never fails: an event that cannot be delivered is
 * reported through `onError`, because a rotation whose store work is done must not fail (and be
 * retried) for want of a notification.
 *
 * @example
 * ```ts
 * const events = fanOut([eventBridgeSink, revocationScheduler], (error) => log.error('…', { category: error.category }));
 * ```
 */
export function fanOut(
  sinks: readonly RotorEventSink[],
  onError: (error: RotorError, event: RotorEvent) => void,
): RotorEventSink {
  return {
    async publish(event) {
      await Promise.all(
        sinks.map((sink) =>
          sink.publish(event).catch((thrown: unknown) => {
            const error =
              thrown instanceof RotorError
                ? thrown
                : new InternalError(`Could not deliver the ${event.detailType} event.`, { cause: thrown });
            onError(error, event);
          }),
        ),
      );
    },
  };
}

/**
 * A sink built when its first event arrives, so the module and SDK client behind it load only when
 * an event is due — not on a cold start whose step publishes nothing. A failed build is retried on
 * the next event.
 *
 * @example
 * ```ts
 * const events = lazySink(async () => new (await import('./my-sink.ts')).MySink());
 * ```
 */
export function lazySink(build: () => Promise<RotorEventSink>): RotorEventSink {
  let sink: Promise<RotorEventSink> | undefined;
  return {
    async publish(event) {
      sink ??= build().catch((error: unknown) => {
        sink = undefined;
        throw error;
      });
      await (await sink).publish(event);
    },
  };
}
