/** What every operation receives: the Region's store, one clock reading, the options and the rotation hook. */
import type { ResolvedOptions, RotationRequest } from './model.ts';
import type { SecretStore } from './store.ts';
import type { Input } from './validation.ts';

export interface OperationContext {
  readonly store: SecretStore;
  readonly region: string;
  /** One reading of the clock per request, so every date a request writes agrees. */
  readonly now: Date;
  readonly options: ResolvedOptions;
  /** Schedules `onRotationRequested` once the request's state change is in place. */
  readonly requestRotation: (request: RotationRequest) => void;
}

/** An operation: validated wire input in, wire output (JSON-ready) out; throws SecretsManagerServiceError. */
export type Operation = (ctx: OperationContext, input: Input) => Record<string, unknown>;

/** Drops undefined members so the JSON omits them. */
export function compact(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}
