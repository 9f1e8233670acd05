/**
 * Transport-neutral request and reply values: routes are plain functions from a {@link SimRequest}
 * to a {@link Reply}; `server.ts` does the socket work.
 */
import type { Reply } from '../../../src/kit/simulator/http-server.ts';

export type { Reply, SimRequest } from '../../../src/kit/simulator/http-server.ts';

export function json(status: number, body: unknown): Reply {
  return { kind: 'json', status, body };
}

/** The SQL API's error object (`QueryFailureStatus` for 422; the same fields on other errors). */
export function sqlError(
  status: number,
  code: string,
  sqlState: string,
  message: string,
  handle?: string,
): Reply {
  return json(status, {
    code,
    sqlState,
    message,
    ...(handle ? { statementHandle: handle, statementStatusUrl: `/api/v2/statements/${handle}` } : {}),
    createdOn: Date.now(),
  });
}

export function notFound(): Reply {
  return sqlError(404, '000404', '02000', 'The requested resource does not exist.');
}

/**
 * The SQL API's answer past a rate limit: `429` ("Limit exceeded"); the body's code, SQL state and
 * text are Not confirmed.
 */
export function tooManyRequests(): Reply {
  return sqlError(429, '000429', '57014', 'Too many requests; retry later.');
}
