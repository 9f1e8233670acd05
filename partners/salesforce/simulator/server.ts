/**
 * The Salesforce simulator on the kit's HTTP server: JSON with Salesforce's content type, a REST
 * error for a handler failure, and token-endpoint paths logged without their query (it could carry
 * credentials).
 */
import {
  type Reply,
  type RequestLogEntry,
  type SimRequest,
  SimulatorServer,
} from '../../../src/kit/simulator/http-server.ts';
import { restError } from './http.ts';

export type { RequestLogEntry };

/**
 * Listens on `host:port` and answers with `handle`.
 *
 * @example
 * ```ts
 * const server = await listenSalesforce('127.0.0.1', 0, (request) => notFound());
 * ```
 */
export function listenSalesforce(
  host: string,
  port: number,
  handle: (request: SimRequest) => Reply,
): Promise<SimulatorServer> {
  return SimulatorServer.listen({
    host,
    port,
    handle: (request) => ({ reply: handle(request) }),
    internalError: () => restError(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.'),
    logPath: (url) =>
      url.pathname.startsWith('/services/oauth2/') ? url.pathname : url.pathname + url.search,
    jsonContentType: 'application/json;charset=UTF-8',
  });
}
