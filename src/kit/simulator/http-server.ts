/**
 * The node:http side of a partner simulator: reads each request whole, hands it to a synchronous
 * handler, writes its {@link Reply} (or hangs, or resets the socket) and keeps a request log —
 * method, path, status and whatever the handler adds — never headers or bodies, which carry
 * credentials. Route handlers stay plain functions from a {@link SimRequest} to a reply, so a
 * partner's simulator holds only its API.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Reply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'empty'; status: number; headers?: Record<string, string> }
  | { kind: 'text'; status: number; contentType: string; text: string }
  /** Never answer; the socket stays open until the client gives up or the simulator closes. */
  | { kind: 'hang' }
  /** Answer nothing and reset the TCP connection, at once or after `afterMs` real milliseconds. */
  | { kind: 'reset'; afterMs?: number };

/** One request as the log keeps it, with the fields `Extra` a simulator adds (e.g. a statement). */
export type RequestLogEntry<Extra extends object = Record<never, never>> = {
  method: string;
  path: string;
  /** 0 while pending, and for hung or reset requests. */
  status: number;
} & Partial<Extra>;

/** What a handler returns: the reply, and what to add to the request's log entry. */
export interface Handled<Extra extends object = Record<never, never>> {
  reply: Reply;
  log?: Partial<Extra>;
}

export interface SimulatorServerOptions<Extra extends object> {
  host: string;
  /** 0 for any free port. */
  port: number;
  handle(request: SimRequest): Handled<Extra>;
  /** The answer when the handler throws, in the partner's error shape. */
  internalError(): Reply;
  /** The path as logged (default: path and query); e.g. leave out a query that may carry credentials. */
  logPath?(url: URL): string;
  /** `content-type` of JSON replies (default `application/json`). */
  jsonContentType?: string;
}

/**
 * @example
 * ```ts
 * const server = await SimulatorServer.listen({
 *   host: '127.0.0.1', port: 0,
 *   handle: (request) => ({ reply: { kind: 'json', status: 200, body: { ok: true } } }),
 *   internalError: () => ({ kind: 'json', status: 500, body: { message: 'internal error' } }),
 * });
 * ```
 */
export class SimulatorServer<Extra extends object = Record<never, never>> {
  readonly baseUrl: string;
  readonly #server: Server;
  readonly #options: SimulatorServerOptions<Extra>;
  readonly #log: RequestLogEntry<Extra>[] = [];
  readonly #resetTimers = new Set<NodeJS.Timeout>();
  #closing: Promise<void> | undefined;

  private constructor(server: Server, baseUrl: string, options: SimulatorServerOptions<Extra>) {
    this.#server = server;
    this.baseUrl = baseUrl;
    this.#options = options;
  }

  static async listen<Extra extends object = Record<never, never>>(
    options: SimulatorServerOptions<Extra>,
  ): Promise<SimulatorServer<Extra>> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
    const instance = new SimulatorServer(server, `http://${hostForUrl}:${port}`, options);
    server.on('request', (req, res) => {
      void instance.#serve(req, res);
    });
    return instance;
  }

  requests(): RequestLogEntry<Extra>[] {
    return this.#log.map((entry) => ({ ...entry }));
  }

  clearRequests(): void {
    this.#log.length = 0;
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      for (const timer of this.#resetTimers) clearTimeout(timer);
      this.#resetTimers.clear();
      this.#server.close(() => resolve());
      // Also ends keep-alive and deliberately hung connections.
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Prefixing keeps a request target such as `//host/path` from being read as an authority.
    const url = new URL(`${this.baseUrl}${req.url ?? '/'}`);
    const method = req.method ?? 'GET';
    const path = this.#options.logPath?.(url) ?? url.pathname + url.search;
    const entry = { method, path, status: 0 } as RequestLogEntry<Extra>;
    this.#log.push(entry);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return; // The client went away mid-request.
    }
    let handled: Handled<Extra>;
    try {
      handled = this.#options.handle({ method, url, headers: req.headers, body });
    } catch {
      handled = { reply: this.#options.internalError() };
    }
    Object.assign(entry, handled.log);
    this.#send(req, res, handled.reply, entry);
  }

  #send(req: IncomingMessage, res: ServerResponse, reply: Reply, entry: RequestLogEntry<Extra>): void {
    switch (reply.kind) {
      case 'json':
        entry.status = reply.status;
        res.writeHead(reply.status, {
          'content-type': this.#options.jsonContentType ?? 'application/json',
          ...reply.headers,
        });
        res.end(JSON.stringify(reply.body));
        return;
      case 'empty':
        entry.status = reply.status;
        res.writeHead(reply.status, { ...reply.headers });
        res.end();
        return;
      case 'text':
        entry.status = reply.status;
        res.writeHead(reply.status, { 'content-type': reply.contentType });
        res.end(reply.text);
        return;
      case 'hang':
        return;
      case 'reset': {
        if (!reply.afterMs) {
          req.socket.resetAndDestroy();
          return;
        }
        const timer = setTimeout(() => {
          this.#resetTimers.delete(timer);
          req.socket.resetAndDestroy();
        }, reply.afterMs);
        this.#resetTimers.add(timer);
        return;
      }
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
