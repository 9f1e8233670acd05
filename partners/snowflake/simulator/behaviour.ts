/**
 * What Snowflake's documentation does not confirm (reference partner-apis.md §4), as switches
 * with safe defaults: the strict choice wherever Rotor's correctness could depend on it.
 */
export interface SnowflakeSimulatorBehaviour {
  /** Longest accepted `exp - iat`. Sample generators use 59 min; the maximum (~1 h) is Not confirmed. */
  maxTokenLifetimeSeconds: number;
  /** Tolerance for `iat` in the future and `exp` in the past. */
  clockSkewSeconds: number;
  /** Body of a 401: Snowflake-style JSON `{code, message}` (default) or empty; Not confirmed. */
  unauthorizedBody: 'json' | 'empty';
  /** Refuse requests without `X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT` (default true). */
  requireTokenTypeHeader: boolean;
  /** Refuse requests without `User-Agent` with 400 (default true; the reference says it is required). */
  requireUserAgent: boolean;
  /**
   * Whether a user may SET/UNSET its own RSA_PUBLIC_KEY* even without OWNERSHIP or MODIFY
   * PROGRAMMATIC AUTHENTICATION METHODS on itself. Not confirmed; default false (the strict
   * reading: the grant the README asks for is needed).
   */
  selfAlterWithoutGrant: boolean;
  /** Answer statements with 202 and a handle, the result only via GET (default false). */
  respondAsync: boolean;
  /**
   * A `requestId` seen before: return the original answer without running again (default), or
   * refuse unless `retry=true` is set. Not confirmed.
   */
  duplicateRequestId: 'return-original' | 'require-retry-flag';
  /** Case of DESC USER column names (`property`, `value`): read case-insensitively by clients. */
  describeColumnCase: 'lower' | 'upper';
  /** Refuse to SET a key the other slot already holds (Not confirmed for the legacy slots; default true). */
  rejectDuplicateKey: boolean;
  /** Whether a `429` over the simulator's `rateLimit` option carries `Retry-After` (Not confirmed; default false). */
  rateLimitRetryAfter: boolean;
}

export const DEFAULT_BEHAVIOUR: Readonly<SnowflakeSimulatorBehaviour> = Object.freeze({
  maxTokenLifetimeSeconds: 3600,
  clockSkewSeconds: 60,
  unauthorizedBody: 'json',
  requireTokenTypeHeader: true,
  requireUserAgent: true,
  selfAlterWithoutGrant: false,
  respondAsync: false,
  duplicateRequestId: 'return-original',
  describeColumnCase: 'lower',
  rejectDuplicateKey: true,
  rateLimitRetryAfter: false,
});

export function resolveBehaviour(
  base: Readonly<SnowflakeSimulatorBehaviour>,
  overrides: Partial<SnowflakeSimulatorBehaviour> = {},
): SnowflakeSimulatorBehaviour {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...base, ...defined };
}
