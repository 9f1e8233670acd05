/**
 * The Secrets Manager rotation invocation event. Declared here rather than taken from
 * `@types/aws-lambda`, whose event type lacks `RotationToken`.
 */
import { createHash } from 'node:crypto';
import eventSchema from '../../schemas/rotation-event.schema.json' with { type: 'json' };
import { assertValid } from '../runtime/validation.ts';
import { InvalidConfigurationError } from './errors.ts';

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export interface RotationEvent {
  Step: RotationStep;
  SecretId: string;
  ClientRequestToken: string;
  /** Sensitive: proves the request came from Secrets Manager. Passed on writes, never logged. */
  RotationToken?: string;
}

/**
 * Checks an incoming event, failing closed before any call.
 *
 * @throws {InvalidConfigurationError} naming the bad field (never echoing `RotationToken`).
 */
export function parseRotationEvent(raw: unknown): RotationEvent {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidConfigurationError(
      'Invalid rotation event: expected an object {Step, SecretId, ClientRequestToken}.',
      {
        field: '(root)',
      },
    );
  }
  const step = (raw as { Step?: unknown }).Step;
  if (typeof step === 'string' && !(ROTATION_STEPS as readonly string[]).includes(step)) {
    throw new InvalidConfigurationError(
      `Invalid step parameter "${step.slice(0, 32)}"; expected one of ${ROTATION_STEPS.join(', ')}.`,
      { field: 'Step' },
    );
  }
  assertValid<RotationEvent>(eventSchema, raw, 'rotation event');
  return raw as RotationEvent;
}

/** A short, stable, non-reversible label for a token, safe for logs. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}
