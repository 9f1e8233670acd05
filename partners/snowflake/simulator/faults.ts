/**
 * Injected faults: the next matching requests get an error status, a hanging response, a reset
 * socket or a non-JSON body instead of the real answer.
 */
import { json, type Reply, sqlError } from './http.ts';

export interface SimulatorFault {
  /** All given conditions must hold; `statementIncludes` is matched case-insensitively. */
  match: { method?: string; pathIncludes?: string; statementIncludes?: string };
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
  take(method: string, path: string, statement: string | undefined): SimulatorFault | undefined {
    const armed = this.#faults.find(({ fault: { match } }) => {
      if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
      if (match.pathIncludes !== undefined && !path.includes(match.pathIncludes)) return false;
      return (
        match.statementIncludes === undefined ||
        (statement ?? '').toUpperCase().includes(match.statementIncludes.toUpperCase())
      );
    });
    if (!armed) return undefined;
    armed.remaining -= 1;
    if (armed.remaining === 0) this.#faults = this.#faults.filter((candidate) => candidate !== armed);
    return armed.fault;
  }
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
  if (status === 429) return sqlError(429, '000429', '57014', 'Too many requests; retry later.');
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
