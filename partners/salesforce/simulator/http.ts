/**
 * Transport-neutral request and reply values: route handlers are plain functions from a
 * {@link SimRequest} to a {@link Reply}; `server.ts` does the socket work.
 */
import type { Reply } from '../../../src/kit/simulator/http-server.ts';
import type { OAuthErrorSpec, RestErrorSpec } from './behaviour.ts';

export type { Reply, SimRequest } from '../../../src/kit/simulator/http-server.ts';

export function json(status: number, body: unknown): Reply {
  return { kind: 'json', status, body };
}

export function noContent(): Reply {
  return { kind: 'empty', status: 204 };
}

/** Salesforce REST errors are a JSON array of `{ message, errorCode, fields? }`. */
export function restError(status: number, errorCode: string, message: string, fields?: string[]): Reply {
  return json(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
}

export function restErrorFrom(spec: RestErrorSpec): Reply {
  return restError(spec.status, spec.errorCode, spec.message);
}

/** OAuth endpoint errors are one object `{ error, error_description }`. */
export function oauthError(status: number, error: string, description: string): Reply {
  return json(status, { error, error_description: description });
}

export function oauthErrorFrom(spec: OAuthErrorSpec): Reply {
  return oauthError(spec.status, spec.error, spec.description);
}

export const NOT_FOUND_MESSAGE = 'The requested resource does not exist';

export function notFound(): Reply {
  return restError(404, 'NOT_FOUND', NOT_FOUND_MESSAGE);
}

export function methodNotAllowed(method: string, allowed: readonly string[]): Reply {
  return restError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
  );
}

/** A JSON body parsed, `undefined` when empty, or `Error` when it is not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return new Error('invalid JSON');
  }
}

export function jsonParserError(): Reply {
  return restError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON.');
}

export function illegalParameter(name: string): Reply {
  return restError(400, 'ILLEGAL_QUERY_PARAMETER_VALUE', `Invalid value for parameter: ${name}`);
}
