/**
 * Injected faults: the next matching requests get a Salesforce-shaped error status, a hanging
 * response, a reset socket or a non-JSON body instead of the real answer.
 */
import { json, oauthError, type Reply, restError } from './http.ts';

export interface SimulatorFault {
  match: { method?: string; pathIncludes?: string };
  kind: 'status' | 'hang' | 'reset' | 'malformed';
  /** For `status` (default 503) and `malformed` (default 200). */
  status?: number;
  /** How many matching requests the fault hits; default 1. */
  times?: number;
}

interface ArmedFault {
  fault: SimulatorFault;
  remaining: number;
}

export class FaultRegistry {
  #faults: ArmedFault[] = [];

  add(fault: SimulatorFault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError('fault.times must be a positive integer');
    this.#faults.push({ fault: structuredClone(fault), remaining: times });
  }

  clear(): void {
    this.#faults = [];
  }

  /** The first armed fault matching the request, consuming one of its uses. */
  take(method: string, path: string): SimulatorFault | undefined {
    const armed = this.#faults.find(({ fault: { match } }) => {
      const methodMatches = match.method === undefined || match.method.toUpperCase() === method.toUpperCase();
      return methodMatches && (match.pathIncludes === undefined || path.includes(match.pathIncludes));
    });
    if (!armed) return undefined;
    armed.remaining -= 1;
    if (armed.remaining === 0) this.#faults = this.#faults.filter((candidate) => candidate !== armed);
    return armed.fault;
  }
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
