/**
 * The node:http side: reads each request whole, hands it to a synchronous handler, writes the
 * {@link Reply} (or hangs, or resets the socket) and keeps a request log — method, path with
 * query (`requestId`), status and, for refused logins, why — never headers (the JWT) or bodies.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Reply, type SimRequest, sqlError } from './http.ts';

export interface RequestLogEntry {
  method: string;
  path: string;
  /** 0 for hung or reset requests. */
  status: number;
  /** The statement's first keywords (`ALTER USER … SET RSA_PUBLIC_KEY_2`), without key material. */
  statement?: string;
  /** Why a login was refused (simulator diagnostics; Snowflake does not say). */
  authFailure?: string;
}

/** What a handler returns: the reply, and what to add to the log entry. */
export interface Handled {
  reply: Reply;
  log?: Pick<RequestLogEntry, 'statement' | 'authFailure'>;
}

export type RequestHandler = (request: SimRequest) => Handled;

export class SimulatorServer {
  readonly baseUrl: string;
  readonly #server: Server;
  readonly #log: RequestLogEntry[] = [];
  #closing: Promise<void> | undefined;

  private constructor(server: Server, baseUrl: string) {
    this.#server = server;
    this.baseUrl = baseUrl;
  }

  static async listen(host: string, port: number, handler: RequestHandler): Promise<SimulatorServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port: boundPort } = server.address() as AddressInfo;
    const hostForUrl = host.includes(':') ? `[${host}]` : host;
    const instance = new SimulatorServer(server, `http://${hostForUrl}:${boundPort}`);
    server.on('request', (req, res) => {
      void instance.#serve(req, res, handler);
    });
    return instance;
  }

  requests(): RequestLogEntry[] {
    return this.#log.map((entry) => ({ ...entry }));
  }

  clearRequests(): void {
    this.#log.length = 0;
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      // Also ends keep-alive and deliberately hung connections.
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  async #serve(req: IncomingMessage, res: ServerResponse, handler: RequestHandler): Promise<void> {
    // Prefixing keeps a request target such as `//host/path` from being read as an authority.
    const url = new URL(`${this.baseUrl}${req.url ?? '/'}`);
    const method = req.method ?? 'GET';
    const entry: RequestLogEntry = { method, path: url.pathname + url.search, status: 0 };
    this.#log.push(entry);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return; // The client went away mid-request.
    }
    let handled: Handled;
    try {
      handled = handler({ method, url, headers: req.headers, body });
    } catch {
      handled = { reply: sqlError(500, '000500', 'XX000', 'An internal error occurred.') };
    }
    Object.assign(entry, handled.log);
    const { reply } = handled;
    switch (reply.kind) {
      case 'json':
        entry.status = reply.status;
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify(reply.body));
        return;
      case 'text':
        entry.status = reply.status;
        res.writeHead(reply.status, { 'content-type': reply.contentType });
        res.end(reply.text);
        return;
      case 'hang':
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
