/**
 * The orchestrator's control routes, for the stack to mount beside its own under `/_rotor/`:
 * - `GET /_rotor/events?since=<seq>&secretId=<id>&source=<src>&limit=<n>` → `{events: [{seq, event}], next}`;
 * - `GET /_rotor/audit?secretId=<id>&since=<iso>&limit=<n>` → `{records}`;
 * - `GET /_rotor/schedules` → `{schedules}` (scheduler state, no secrets);
 * - `GET /_rotor/rotations?secretId=<id>` → `{attempts}` (the runner's live records, read by `rotor rotate`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RotationRunner } from '../rotation-runner.ts';
import type { AuditLog } from './audit-log.ts';
import type { EventBus } from './event-bus.ts';
import type { ScheduleStore } from './schedule-store.ts';

export interface OrchestratorRoutesOptions {
  bus: EventBus;
  audit: AuditLog;
  schedules?: ScheduleStore;
  runner?: RotationRunner;
  /** Default `/_rotor/`. */
  prefix?: string;
}

/** Answers the request and returns true when it is one of these routes; returns false otherwise. */
export type ControlRoute = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

function integerParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw))
    throw new RangeError(`Query parameter ${name} must be a non-negative integer.`);
  return Number(raw);
}

/**
 * @example
 * ```ts
 * const routes = createOrchestratorRoutes({ bus, audit, schedules });
 * if (await routes(request, response)) return; // else the stack's own routes
 * ```
 */
export function createOrchestratorRoutes(options: OrchestratorRoutesOptions): ControlRoute {
  const prefix = options.prefix ?? '/_rotor/';
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    if (request.method !== 'GET') return false;
    try {
      const secretId = url.searchParams.get('secretId') || undefined;
      if (url.pathname === `${prefix}events`) {
        const since = integerParam(url, 'since');
        const limit = integerParam(url, 'limit');
        const source = url.searchParams.get('source') || undefined;
        const events = await options.bus.list({ since, secretId, source, limit });
        sendJson(response, 200, { events, next: events.at(-1)?.seq ?? since ?? 0 });
        return true;
      }
      if (url.pathname === `${prefix}audit`) {
        const since = url.searchParams.get('since') || undefined;
        const limit = integerParam(url, 'limit');
        sendJson(response, 200, { records: await options.audit.list({ secretId, since, limit }) });
        return true;
      }
      if (url.pathname === `${prefix}rotations` && options.runner) {
        sendJson(response, 200, { attempts: options.runner.attempts(secretId) });
        return true;
      }
      if (url.pathname === `${prefix}schedules` && options.schedules) {
        sendJson(response, 200, { schedules: await options.schedules.list() });
        return true;
      }
    } catch (error) {
      sendJson(response, 400, { message: error instanceof RangeError ? error.message : 'Bad request.' });
      return true;
    }
    return false;
  };
}
