/**
 * Injected faults: the next matching requests get a Salesforce-shaped error status, a hanging
 * response, a reset socket or a non-JSON body instead of the real answer.
 */
import { FaultRegistry, matchesMethodAndPath } from '../../../src/kit/simulator/faults.ts';
import { json, oauthError, type Reply, restError } from './http.ts';

export interface SimulatorFault {
  match: { method?: string; pathIncludes?: string };
  kind: 'status' | 'hang' | 'reset' | 'malformed';
  /** For `status` (default 503) and `malformed` (default 200). */
  status?: number;
  /** How many matching requests the fault hits; default 1. */
  times?: number;
}

/** The registry of armed faults; a fault matches on method and path. */
export function salesforceFaults(): FaultRegistry<SimulatorFault, { method: string; path: string }> {
  return new FaultRegistry((fault, request) =>
    matchesMethodAndPath(fault.match, request.method, request.path),
  );
}

export function faultReply(fault: SimulatorFault, pathname: string): Reply {
  switch (fault.kind) {
    case 'hang':
      return { kind: 'hang' };
    case 'reset':
      return { kind: 'reset', afterMs: 0 };
    case 'malformed':
      // A maintenance page where JSON was promised.
      return {
        kind: 'text',
        status: fault.status ?? 200,
        contentType: 'application/json;charset=UTF-8',
        text: '<html><head><title>Maintenance</title></head><body>Down for maintenance</body></html>',
      };
    case 'status':
      return statusFault(fault.status ?? 503, pathname);
  }
}

function statusFault(status: number, pathname: string): Reply {
  if (pathname.startsWith('/services/oauth2/')) {
    return status === 429
      ? oauthError(429, 'rate_limit_exceeded', 'rate limit exceeded')
      : oauthError(status, 'unknown_error', 'retry your request');
  }
  if (status === 429) return restError(429, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  if (status === 503) {
    return restError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable, please try again later.');
  }
  if (status >= 500) {
    return restError(status, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please try again later.');
  }
  return json(status, [{ message: `Injected fault with status ${status}`, errorCode: 'INJECTED_FAULT' }]);
}
