/** What every operation receives: the Region's store, one clock reading, the options and the rotation hook. */
import type { ResolvedOptions, RotationRequest, SecretRecord } from './model.ts';
import type { SecretStore } from './store.ts';
import type { Input } from './validation.ts';

/**
 * Who is calling, as the identity layer established it (a verified SigV4 signature). Absent on an
 * unauthenticated endpoint (tests of the service alone) and for the stack's own set-up calls.
 */
export interface RequestCaller {
  readonly accountId: string;
  /** e.g. `arn:aws:iam::000000000000:user/demo`, `arn:aws:sts::000000000000:assumed-role/Role/session`. */
  readonly principalArn: string;
  /** The identity-policy decision for `action` on `resource` with these condition keys. */
  decide(
    action: string,
    resource: string,
    conditions: Record<string, string>,
  ): 'allow' | 'deny' | 'implicit-deny';
}

export interface OperationContext {
  readonly store: SecretStore;
  readonly region: string;
  /** The caller's account: every store an operation sees belongs to it. */
  readonly accountId: string;
  /** One reading of the clock per request, so every date a request writes agrees. */
  readonly now: Date;
  readonly options: ResolvedOptions;
  /** Schedules `onRotationRequested` once the request's state change is in place. */
  readonly requestRotation: (request: RotationRequest) => void;
  /** The store of another Region of the same account (replication). */
  readonly storeIn: (region: string) => SecretStore;
  /** @throws AccessDeniedError unless the caller may run `action` on the secret (or resource ARN). */
  readonly authorize: (action: string, resource: SecretRecord | string) => void;
}

/** An operation: validated wire input in, wire output (JSON-ready) out; throws SecretsManagerServiceError. */
export type Operation = (ctx: OperationContext, input: Input) => Record<string, unknown>;

/** Drops undefined members so the JSON omits them. */
export function compact(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}
