/**
 * The partner plugin contract (version 1). One manifest object per partner type; the catalog, the
 * CLI and the docs derive everything from it. The rotator itself is loaded lazily, so a rotation
 * pulls in only its own partner's code.
 */

import type { SimulatorRateLimit } from '../kit/simulator/rate-limit.ts';
import type { RotationLogger } from './logger.ts';

/** A JSON Schema object, as stored in `schemas/`. */
export type JsonSchema = Record<string, unknown>;

/** A partner secret value: the parsed `SecretString` JSON. */
export type SecretValue = Record<string, unknown>;

/** Partner-defined rotation metadata (`ExternalSecretRotationMetadata` / `rotor:meta:*` tags). */
export type RotationMetadata = Record<string, string | undefined>;

/** What every hook receives besides its request. */
export interface HookContext<M extends RotationMetadata = RotationMetadata> {
  /** ARN of the secret being rotated. */
  readonly secretId: string;
  /** The rotation's `ClientRequestToken`: the id of the pending version. Not sensitive. */
  readonly token: string;
  readonly metadata: M;
  /** When the previous rotation finished (`LastRotatedDate`), if the store knows. */
  readonly lastRotatedAt: Date | undefined;
  /** How long a rotated-out credential must keep working before it may be revoked. */
  readonly gracePeriodSeconds: number;
  /** Loopback partner URLs are accepted only when this is on (tests and the local stack). */
  readonly simulatorMode: boolean;
  /**
   * In simulator mode, the base URL of this partner's simulator, for partners whose secret holds
   * no URL (e.g. an account name the real host is derived from). Undefined otherwise.
   */
  readonly simulatorUrl: string | undefined;
  readonly log: RotationLogger;
  now(): Date;
  /**
   * Reads the `AWSCURRENT` value of another secret through the same store and role, e.g. the
   * admin credential named by `adminSecretArn`. Throws a typed error when it cannot.
   */
  readSecret(secretId: string): Promise<SecretValue>;
  /**
   * The plugin's only way out to the network: a `fetch` that reaches only the manifest's
   * `egress.allowedHosts` over https, never private, loopback, link-local or metadata addresses
   * (checked on every redirect hop and on the resolved DNS answer), loopback allowed in simulator
   * mode only. Always set by the engine; optional only so hand-built contexts in tests still compile.
   */
  readonly http?: PartnerHttpClient;
}

/**
 * The egress-checked HTTP client the runtime hands to hooks.
 *
 * @example
 * ```ts
 * const response = await context.http!.fetch(`${secret.baseUrl}/v1/keys`, { method: 'POST' });
 * if (!response.ok) throw new PartnerUnavailableError(`Example API answered ${response.status}`);
 * ```
 */
export interface PartnerHttpClient {
  /** Like global `fetch` (string or URL input), with redirects followed and checked hop by hop. */
  fetch(url: string | URL, init?: PartnerRequestInit): Promise<Response>;
}

/** The subset of `RequestInit` the runtime's client supports. */
export interface PartnerRequestInit {
  method?: string;
  headers?: Record<string, string>;
  /** A string or bytes; use `JSON.stringify` or `URLSearchParams#toString()` for forms. */
  body?: string | Uint8Array;
  /** Abort after this many milliseconds (default 30 000). */
  timeoutMs?: number;
}

export interface CreateRequest<S> {
  readonly current: S;
}
export interface CreateResponse<S> {
  /** The new credential, to be stored as `AWSPENDING`. */
  readonly pending: S;
}
export interface PendingRequest<S> {
  readonly current: S;
  readonly pending: S;
}
export interface TestRequest<S> {
  readonly pending: S;
}
export interface RevokeRequest<S> {
  /** The credential rotated out (under `AWSPREVIOUS`). */
  readonly previous: S;
  /** The credential under `AWSCURRENT`: must never be revoked. */
  readonly current: S;
}
export interface RevokeResponse {
  /** False when there was nothing left to revoke (already gone counts as done). */
  readonly revoked: boolean;
}

/** One check of a preflight (a dry run with no side effects). */
export interface PreflightCheck {
  /** Short id, e.g. `authenticate`, `permissions`, `slot`. */
  readonly name: string;
  readonly ok: boolean;
  /** What was found; on failure, what to fix. Never a secret value. */
  readonly detail: string;
}

/**
 * The hooks a partner implements. Each is idempotent for the same token: it may run any number of
 * times and must converge on the same end state, minting at most one credential per token.
 */
export interface PartnerRotatorV1<
  S extends SecretValue = SecretValue,
  M extends RotationMetadata = RotationMetadata,
> {
  /** Mint (or adopt the one already minted for this token) a new credential at the source. */
  create(request: CreateRequest<S>, context: HookContext<M>): Promise<CreateResponse<S>>;
  /** Undo `create` when the pending value could not be stored; must tolerate "already gone". */
  discard(request: PendingRequest<S>, context: HookContext<M>): Promise<void>;
  /** Make the source accept the pending credential (a no-op where `create` already did). */
  set(request: PendingRequest<S>, context: HookContext<M>): Promise<void>;
  /** Authenticate with the pending credential; throw a typed error when it does not work. */
  test(request: TestRequest<S>, context: HookContext<M>): Promise<void>;
  /** Make the pending credential the primary one at the source, before `AWSCURRENT` moves. */
  promote(request: PendingRequest<S>, context: HookContext<M>): Promise<void>;
  /** Revoke the rotated-out credential once its grace period is over. */
  revoke(request: RevokeRequest<S>, context: HookContext<M>): Promise<RevokeResponse>;
  /**
   * Optional dry run: authenticate with the current (or admin) credential and check the
   * permissions a rotation needs, changing nothing at the source.
   */
  preflight?(request: CreateRequest<S>, context: HookContext<M>): Promise<PreflightCheck[]>;
}

/**
 * What the shared conformance suite (and other partner-agnostic tests) may ask of a running
 * simulator. Tests only: a rotator never sees it.
 */
export interface SimulatorProbe<S extends SecretValue = SecretValue> {
  /** Creates a fresh account or app at the simulator and returns a ready-to-rotate secret for it. */
  freshSecret(): Promise<{ value: S; metadata: Record<string, string> }>;
  /** Whether this credential authenticates at the simulator right now. */
  authenticates(value: S): Promise<boolean>;
  /** How many credentials are live for the account or app `value` belongs to. */
  liveCredentials(value: S): Promise<number>;
  /** Moves the simulator's clock forward (credential expiry). */
  advanceTime(ms: number): void;
}

/** How a simulator is started. */
export interface SimulatorStartOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** The partner's request rate limit per org or account (default none), answered in the partner's shape. */
  rateLimit?: SimulatorRateLimit;
}

/** A running partner simulator: an HTTP server on loopback that follows the partner's API. */
export interface RunningSimulator {
  readonly baseUrl: string;
  /** What a user needs to create a secret against it (printed by `rotor simulate`). */
  readonly seed: object;
  /** Test access to the simulator's state, for the conformance suite. */
  readonly probe: SimulatorProbe;
  close(): Promise<void>;
}

/** Egress rules: allowed host patterns, and which secret fields hold the URLs the plugin calls. */
export interface EgressRules<S> {
  /** Exact host names or `*.suffix` patterns. */
  readonly allowedHosts: readonly string[];
  /** The URLs a rotation of this secret reaches, with the field each comes from. */
  targets(secret: S): { field: string; url: string }[];
}

/**
 * A reviewed exception to static vetting: the plugin may import `module` (e.g. `node:crypto` is
 * always allowed; `node:http` is not) because a reviewer accepted `reason`.
 */
export interface ReviewedImport {
  /** The module specifier as written, e.g. `node:dns`. */
  readonly module: string;
  /** Why the plugin needs it, and who reviewed it. */
  readonly reason: string;
}

/** The manifest of one partner type. */
export interface PartnerManifest<
  S extends SecretValue = SecretValue,
  M extends RotationMetadata = RotationMetadata,
> {
  /** The MES `Type` string, e.g. `SalesforceClientSecret`. */
  readonly type: string;
  /** Semver of the plugin. */
  readonly version: string;
  readonly title: string;
  /** One sentence: what credential this rotates. */
  readonly description: string;
  readonly docsUrl: string;
  readonly secretSchema: JsonSchema;
  readonly metadataSchema: JsonSchema;
  /** What the plugin may reach, checked by the runtime before any hook runs (I8). */
  readonly egress: EgressRules<S>;
  /** Most credentials that may be live at the source at once (I4). */
  readonly maxLiveCredentials: number;
  /** Value fields that hold secrets: masked in forms, never logged. */
  readonly sensitiveFields: readonly (keyof S & string)[];
  /** Imports of network, process or file-system modules a reviewer accepted (rotator side only). */
  readonly reviewedImports?: readonly ReviewedImport[];
  /** Loads the rotator on first use. */
  loadRotator(): Promise<PartnerRotatorV1<S, M>>;
  /** Starts the partner's simulator. */
  startSimulator(options: SimulatorStartOptions): Promise<RunningSimulator>;
  /** A ready-to-rotate secret against a running simulator (the local stack's demo secret). */
  demoSecret?(seed: object): { value: S; metadata: Record<string, string> };
}

/**
 * Declares a partner. Returns the manifest unchanged; exists for type inference and as the one
 * place a plugin is declared.
 *
 * @example
 * ```ts
 * export default definePartner({
 *   type: 'ExampleApiKey', version: '1.0.0', title: 'Example API key', ...
 *   loadRotator: async () => (await import('./rotator.ts')).rotator,
 * });
 * ```
 */
export function definePartner<S extends SecretValue, M extends RotationMetadata>(
  manifest: PartnerManifest<S, M>,
): PartnerManifest<S, M> {
  return manifest;
}
