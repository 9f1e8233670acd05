/**
 * Injected faults: the next matching requests get an error status, a hanging response, a reset
 * socket or a non-JSON body instead of the real answer.
 */
import { FaultRegistry, matchesMethodAndPath } from '../../../src/kit/simulator/faults.ts';
import { json, type Reply, sqlError, tooManyRequests } from './http.ts';

export interface SimulatorFault {
  /** All given conditions must hold; `statementIncludes` is matched case-insensitively. */
  match: { method?: string; pathIncludes?: string; statementIncludes?: string };
  kind: 'status' | 'hang' | 'reset' | 'malformed';
  /** For `status` (default 503) and `malformed` (default 200). */
  status?: number;
  /** How many matching requests the fault hits; default 1. */
  times?: number;
}

/** The registry of armed faults; a fault matches on method, path and the statement's keywords. */
export function snowflakeFaults(): FaultRegistry<
  SimulatorFault,
  { method: string; path: string; statement: string | undefined }
> {
  return new FaultRegistry(
    ({ match }, request) =>
      matchesMethodAndPath(match, request.method, request.path) &&
      (match.statementIncludes === undefined ||
        (request.statement ?? '').toUpperCase().includes(match.statementIncludes.toUpperCase())),
  );
}

export function faultReply(fault: SimulatorFault): Reply {
  switch (fault.kind) {
    case 'hang':
      return { kind: 'hang' };
    case 'reset':
      return { kind: 'reset' };
    case 'malformed':
      // A proxy's maintenance page where JSON was promised.
      return {
        kind: 'text',
        status: fault.status ?? 200,
        contentType: 'application/json',
        text: '<html><head><title>Maintenance</title></head><body>Down for maintenance</body></html>',
      };
    case 'status':
      return statusFault(fault.status ?? 503);
  }
}

function statusFault(status: number): Reply {
  if (status === 401) return json(401, { code: '390144', message: 'JWT token is invalid.' });
  if (status === 403) return json(403, { code: '390432', message: 'Access denied by network policy.' });
  if (status === 429) return tooManyRequests();
  if (status === 408)
    return sqlError(408, '000630', '57014', 'Statement reached its statement or warehouse timeout.');
  if (status === 422)
    return sqlError(
      422,
      '000603',
      'XX000',
      'SQL execution internal error: Processing aborted due to error 300002.',
    );
  return sqlError(status, `000${status}`, 'XX000', `Injected fault with status ${status}.`);
}
