/**
 * Switchable behaviours of the simulated Salesforce org. Each one is a point the vendor's
 * documentation leaves open (reference `partner-apis.md` 3.8, "Not confirmed"); the defaults are the
 * suggested safe ones, usually the stricter reading.
 */

/** A REST error answered as `[{ errorCode, message }]` with `status`. */
export interface RestErrorSpec {
  status: number;
  errorCode: string;
  message: string;
}

/** An OAuth token-endpoint error answered as `{ error, error_description }` with `status`. */
export interface OAuthErrorSpec {
  status: number;
  error: string;
  description: string;
}

export interface SalesforceSimulatorBehaviour {
  /** `GET …/staged` with an empty slot: `{stagedCredentials: []}` or a 404 `NOT_FOUND`. */
  emptyStagedResponse: 'empty-list' | 'not-found';
  /** `POST …/staged` while the slot holds any set (one staged set per consumer). */
  occupiedSlotError: RestErrorSpec;
  /** A route called below its minimum API version (65.0 for staged routes). */
  versionTooLowError: RestErrorSpec;
  /** A set past its `expirationDate`: kept as `Expired` (still occupying the slot) or removed. */
  expiredStaged: 'keep' | 'remove';
  /** Status of a successful `POST …/staged`. */
  postStatus: 200 | 201;
  /** Response of `PATCH …/staged/{id}`: the new `Rotated` item, the staged collection, or 204. */
  patchResponse: 'rotated-item' | 'collection' | 'no-content';
  /** A staged item's `url`: the primary credentials URL (documented) or the item's own URL. */
  stagedItemUrl: 'primary' | 'item';
  /** Whether the `Rotated` set keeps the staged set's id or gets a new one. */
  rotatedSetId: 'same' | 'new';
  /** A `Rotated` set's 30 days count from staging (unchanged `expirationDate`) or from rotation. */
  rotatedExpiryFrom: 'staging' | 'rotation';
  /** A `POST …/staged` without a body hangs, then the socket is reset. */
  hangOnBodylessPost: boolean;
  /** How long that body-less POST hangs before the reset (real milliseconds, not the org clock). */
  bodylessPostResetAfterMs: number;
  /** Token call with a known client id and a wrong secret. */
  wrongSecretError: OAuthErrorSpec;
  /** Token call for an app whose client-credentials flow is off (or has no Run-As user). */
  clientCredentialsDisabledError: OAuthErrorSpec;
  /** The client secret may come in an HTTP Basic `Authorization` header on the token call. */
  acceptBasicAuth: boolean;
  /** Secret reads and staged operations while the org's REST secret-access setting is off. */
  restSecretAccessDisabledError: RestErrorSpec;
  /** Any credentials route while the Run-As user lacks the two permissions. */
  missingPermissionsError: RestErrorSpec;
  /** Lifetime of an issued access token (org session timeout). */
  sessionLifetimeMs: number;
  /** Lifetime of a staged set ("valid for 30 days unless they're deleted"). */
  stagedLifetimeMs: number;
  /** Highest API version the org serves; higher versions answer 404 `NOT_FOUND`. */
  maxApiVersion: number;
  /** Daily API request allocation, reported by `/limits` and `Sforce-Limit-Info`, enforced with 403. */
  dailyApiRequestLimit: number;
  /**
   * A REST request over the simulator's `rateLimit` option. Salesforce answers its request limits
   * with 403 `REQUEST_LIMIT_EXCEEDED`; that a per-second limit answers the same is Not confirmed.
   */
  rateLimitRestError: RestErrorSpec;
  /** A token request over the `rateLimit` option (`rate_limit_exceeded`; status and text Not confirmed). */
  rateLimitTokenError: OAuthErrorSpec;
  /** Whether a rate-limited answer carries `Retry-After` (Not confirmed; default false). */
  rateLimitRetryAfter: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_BEHAVIOUR: Readonly<SalesforceSimulatorBehaviour> = Object.freeze({
  emptyStagedResponse: 'empty-list',
  occupiedSlotError: {
    status: 400,
    errorCode: 'DUPLICATE_VALUE',
    message: 'This consumer already has staged credentials. Delete them before you stage new credentials.',
  },
  versionTooLowError: {
    status: 404,
    errorCode: 'NOT_FOUND',
    message: 'The requested resource does not exist',
  },
  expiredStaged: 'keep',
  postStatus: 201,
  patchResponse: 'rotated-item',
  stagedItemUrl: 'primary',
  rotatedSetId: 'same',
  rotatedExpiryFrom: 'staging',
  hangOnBodylessPost: false,
  bodylessPostResetAfterMs: 30_000,
  wrongSecretError: { status: 400, error: 'invalid_client', description: 'invalid client credentials' },
  clientCredentialsDisabledError: {
    status: 400,
    error: 'invalid_grant',
    description: 'no client credentials user enabled',
  },
  acceptBasicAuth: true,
  restSecretAccessDisabledError: {
    status: 403,
    errorCode: 'FUNCTIONALITY_NOT_ENABLED',
    message:
      'Access to External Client App consumer secrets via REST API is not currently enabled for this org.',
  },
  missingPermissionsError: {
    status: 403,
    errorCode: 'INSUFFICIENT_ACCESS',
    message:
      'You do not have the External Client App Developer and View Client Secret permissions required for this resource.',
  },
  sessionLifetimeMs: 2 * 60 * 60 * 1000,
  stagedLifetimeMs: 30 * DAY_MS,
  maxApiVersion: 66,
  dailyApiRequestLimit: 15_000,
  rateLimitRestError: {
    status: 403,
    errorCode: 'REQUEST_LIMIT_EXCEEDED',
    message: 'TotalRequests Limit exceeded.',
  },
  rateLimitTokenError: { status: 400, error: 'rate_limit_exceeded', description: 'rate limit exceeded' },
  rateLimitRetryAfter: false,
});

/** Defaults overlaid with `overrides`; nested error specs are copied so callers cannot mutate shared state. */
export function resolveBehaviour(
  base: Readonly<SalesforceSimulatorBehaviour>,
  overrides: Partial<SalesforceSimulatorBehaviour> = {},
): SalesforceSimulatorBehaviour {
  const merged = { ...base, ...overrides };
  return {
    ...merged,
    occupiedSlotError: { ...merged.occupiedSlotError },
    versionTooLowError: { ...merged.versionTooLowError },
    wrongSecretError: { ...merged.wrongSecretError },
    clientCredentialsDisabledError: { ...merged.clientCredentialsDisabledError },
    restSecretAccessDisabledError: { ...merged.restSecretAccessDisabledError },
    missingPermissionsError: { ...merged.missingPermissionsError },
    rateLimitRestError: { ...merged.rateLimitRestError },
    rateLimitTokenError: { ...merged.rateLimitTokenError },
  };
}
