/**
 * Rotor's own events (`source: rotor`). The engine emits them through a sink; the handler backs
 * the sink with EventBridge, the local stack with its own bus. Details never hold secret values.
 */
import type { ErrorCategory } from './errors.ts';

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
