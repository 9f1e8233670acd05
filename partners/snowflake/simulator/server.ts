/**
 * The Snowflake simulator on the kit's HTTP server: a SQL API error for a handler failure, and a
 * log entry that adds the statement's first keywords and, for a refused login, why — never the JWT
 * or a key.
 */
import {
  type Handled as KitHandled,
  type RequestLogEntry as KitRequestLogEntry,
  type SimRequest,
  SimulatorServer,
} from '../../../src/kit/simulator/http-server.ts';
import { sqlError } from './http.ts';

/** What the Snowflake simulator adds to a request's log entry. */
export interface SnowflakeLogFields {
  /** The statement's first keywords (`ALTER USER … SET RSA_PUBLIC_KEY_2`), without key material. */
  statement: string;
  /** Why a login was refused (simulator diagnostics; Snowflake does not say). */
  authFailure: string;
}

export type RequestLogEntry = KitRequestLogEntry<SnowflakeLogFields>;
export type Handled = KitHandled<SnowflakeLogFields>;

/**
 * Listens on `host:port` and answers with `handle`.
 *
 * @example
 * ```ts
 * const server = await listenSnowflake('127.0.0.1', 0, (request) => ({ reply: notFound() }));
 * ```
 */
export function listenSnowflake(
  host: string,
  port: number,
  handle: (request: SimRequest) => Handled,
): Promise<SimulatorServer<SnowflakeLogFields>> {
  return SimulatorServer.listen<SnowflakeLogFields>({
    host,
    port,
    handle,
    internalError: () => sqlError(500, '000500', 'XX000', 'An internal error occurred.'),
  });
}
