/**
 * Snowflake SQL API answers mapped onto Rotor's categories. Messages carry the HTTP status,
 * Snowflake's error code and SQL state and a short, single-line excerpt of its message — never a
 * request header (the JWT) or key material.
 */
import {
  ConflictError,
  CredentialRejectedError,
  InternalError,
  InvalidConfigurationError,
  PartnerUnavailableError,
  PermissionDeniedError,
  RotorError,
  ThrottledError,
} from '../../src/engine/errors.ts';
import { briefPartnerText, isNetworkErrorCode } from '../../src/runtime/partner-errors.ts';

/** A non-success answer of the SQL API, before classification. */
export class SnowflakeResponseError extends Error {
  readonly status: number;
  /** Snowflake's error code, e.g. `390144` (JWT invalid) or `003001` (insufficient privileges). */
  readonly code: string | undefined;
  readonly sqlState: string | undefined;
  /** The answer's `Retry-After` in seconds, when it had one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    body: { code?: string; sqlState?: string; message?: string },
    retryAfterSeconds?: number,
  ) {
    super(
      `HTTP ${status}${body.code ? ` code ${body.code}` : ''}${body.sqlState ? ` SQL state ${body.sqlState}` : ''}${body.message ? `: ${briefPartnerText(body.message)}` : ''}`,
    );
    this.name = 'SnowflakeResponseError';
    this.status = status;
    this.code = body.code;
    this.sqlState = body.sqlState;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The answer was not the JSON the SQL API promises (a proxy page, a truncated body). */
export class SnowflakeMalformedResponseError extends Error {
  constructor(status: number, options?: { cause?: unknown }) {
    super(`HTTP ${status} with a body that is not a Snowflake JSON result`, options);
    this.name = 'SnowflakeMalformedResponseError';
  }
}

/** Snowflake codes for "no such object, or no privilege to see it" and "insufficient privileges". */
const DENIED_CODES = new Set(['002003', '003001', '003003']);
/** Compilation errors: a statement Rotor built did not parse — a bug, not a transient fault. */
const SYNTAX_STATES = new Set(['42000', '42601']);
interface ThrownShape {
  name?: string;
  code?: string;
  cause?: { code?: string; name?: string };
}

/**
 * Wraps anything a SQL API call threw in a typed Rotor error.
 *
 * @example
 * ```ts
 * try { await api.execute(PING); } catch (e) { throw classifySnowflakeError(e, 'SELECT 1'); }
 * ```
 */
export function classifySnowflakeError(error: unknown, action: string): RotorError {
  if (error instanceof RotorError) return error;
  const what = `Snowflake ${action} failed`;
  if (error instanceof SnowflakeResponseError) {
    const detail = `${what}: ${error.message}`;
    const { status, code, sqlState } = error;
    if (status === 401) {
      return new CredentialRejectedError(
        `${detail}. The key-pair JWT was not accepted; check account, user and that the key is set on the user.`,
        { cause: error },
      );
    }
    if (status === 403 || (status === 422 && code !== undefined && DENIED_CODES.has(code))) {
      return new PermissionDeniedError(
        `${detail}. The user needs the privilege to alter itself (OWNERSHIP or MODIFY PROGRAMMATIC AUTHENTICATION METHODS on the user), and network policies must admit Rotor.`,
        { cause: error },
      );
    }
    if (status === 429) {
      return new ThrottledError(`${detail}. Retry later.`, {
        cause: error,
        ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
      });
    }
    if (status === 408 || status >= 500) {
      return new PartnerUnavailableError(`${detail}. Retry later.`, { cause: error });
    }
    if (status === 404) {
      return new InvalidConfigurationError(`${detail}. Check the account identifier.`, {
        field: 'account',
        cause: error,
      });
    }
    if (status === 422 && sqlState !== undefined && SYNTAX_STATES.has(sqlState)) {
      return new InternalError(`${detail}. Rotor sent a statement Snowflake could not compile.`, {
        cause: error,
      });
    }
    return new ConflictError(`${detail}.`, { cause: error });
  }
  if (error instanceof SnowflakeMalformedResponseError) {
    return new PartnerUnavailableError(`${what}: ${error.message}. Retry later.`, { cause: error });
  }
  const e = (error ?? {}) as ThrownShape;
  const code = e.code ?? e.cause?.code;
  if (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    isNetworkErrorCode(code) ||
    (e.name === 'TypeError' && e.cause !== undefined)
  ) {
    return new PartnerUnavailableError(
      `${what}: Snowflake could not be reached (${e.name ?? 'Error'}${code ? ` ${code}` : ''}). Retry later.`,
      {
        cause: error,
      },
    );
  }
  return new InternalError(`${what}: unexpected ${e.name ?? 'error'}.`, { cause: error });
}
