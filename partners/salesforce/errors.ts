/**
 * Maps Salesforce answers, as jsforce surfaces them (`error.name` = REST `errorCode` or OAuth
 * `error`; `ERROR_HTTP_<status>` when the body had neither), onto Rotor's categories.
 */
import {
  ConflictError,
  CredentialRejectedError,
  InvalidConfigurationError,
  PartnerUnavailableError,
  PermissionDeniedError,
  RotorError,
  ThrottledError,
} from '../../src/engine/errors.ts';
import { briefPartnerText, isNetworkErrorCode } from '../../src/runtime/partner-errors.ts';

const REJECTED = new Set([
  'invalid_client_id',
  'invalid_client',
  'invalid_grant',
  'inactive_user',
  'inactive_org',
  'unsupported_grant_type',
  'invalid_request',
  'INVALID_SESSION_ID',
]);
const THROTTLED = new Set(['rate_limit_exceeded', 'REQUEST_LIMIT_EXCEEDED', 'ERROR_HTTP_429']);
const DENIED = new Set([
  'FUNCTIONALITY_NOT_ENABLED',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'ERROR_HTTP_403',
]);
const UNAVAILABLE = new Set(['SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'SERVICE_UNAVAILABLE']);
interface ThrownShape {
  name?: string;
  message?: string;
  code?: string;
  errno?: string;
  type?: string;
  cause?: { code?: string };
}

/**
 * Wraps anything jsforce or fetch threw during `action` in a typed Rotor error.
 *
 * @example
 * ```ts
 * try { await api.createStaged(appId, consumerId); } catch (e) { throw classifySalesforceError(e, 'POST staged'); }
 * ```
 */
export function classifySalesforceError(error: unknown, action: string): RotorError {
  if (error instanceof RotorError) return error;
  const e = (error ?? {}) as ThrownShape;
  const name = e.name ?? 'Error';
  const networkCode = e.code ?? e.errno ?? e.cause?.code;
  const detail = `Salesforce ${action} failed: ${name}${e.message ? ` (${briefPartnerText(e.message)})` : ''}`;
  if (
    isNetworkErrorCode(networkCode) ||
    e.type === 'system' ||
    name === 'FetchError' ||
    name === 'AbortError'
  ) {
    return new PartnerUnavailableError(`${detail}. Salesforce could not be reached; retry later.`, {
      cause: error,
    });
  }
  if (e.message?.startsWith('Cannot handle redirect')) {
    return new InvalidConfigurationError(
      `Salesforce ${action} answered with a redirect, which Rotor never follows; check that baseUri is the org's My Domain URL.`,
      { cause: error, field: 'baseUri' },
    );
  }
  if (name === 'SyntaxError') {
    return new PartnerUnavailableError(
      `Salesforce ${action} failed: the response was not valid JSON. Retry later.`,
      {
        cause: error,
      },
    );
  }
  if (REJECTED.has(name)) {
    return new CredentialRejectedError(
      `${detail}. The consumer key and secret were not accepted; check the pair and that the client credentials flow is enabled with a Run-As user.`,
      { cause: error },
    );
  }
  if (THROTTLED.has(name)) return new ThrottledError(`${detail}. Retry later.`, { cause: error });
  if (DENIED.has(name)) {
    return new PermissionDeniedError(
      `${detail}. Turn on "Allow access to External Client App consumer secrets via REST API" and give the Run-As user the External Client App Developer and View Client Secret permissions.`,
      { cause: error },
    );
  }
  if (UNAVAILABLE.has(name) || /^ERROR_HTTP_5\d\d$/.test(name)) {
    return new PartnerUnavailableError(`${detail}. Retry later.`, { cause: error });
  }
  if (name === 'NOT_FOUND' || name === 'ERROR_HTTP_404') {
    return new InvalidConfigurationError(
      `${detail}. Check appId, consumerId and apiVersion (at least v65.0).`,
      {
        cause: error,
      },
    );
  }
  return new ConflictError(`${detail}.`, { cause: error });
}
