/**
 * The node:http side: reads each request whole, hands it to a synchronous handler, writes the
 * {@link Reply} (or hangs, or resets the socket) and keeps a request log without bodies or headers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Reply, restError, type SimRequest } from './http.ts';

export interface RequestLogEntry {
  method: string;
  path: string;
  /** 0 while pending, and for hung or reset requests. */
  status: number;
}

export type RequestHandler = (request: SimRequest) => Reply;

const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

export class SimulatorServer {
  readonly baseUrl: string;
  readonly #server: Server;
  readonly #log: RequestLogEntry[] = [];
  readonly #resetTimers = new Set<NodeJS.Timeout>();
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
      for (const timer of this.#resetTimers) clearTimeout(timer);
      this.#resetTimers.clear();
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
    // Token-endpoint query strings could carry credentials: log the path only there.
    const path = url.pathname.startsWith('/services/oauth2/') ? url.pathname : url.pathname + url.search;
    const entry: RequestLogEntry = { method, path, status: 0 };
    this.#log.push(entry);

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return; // The client went away mid-request.
    }
    let reply: Reply;
    try {
      reply = handler({ method, url, headers: req.headers, body });
    } catch {
      reply = restError(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.');
    }
    this.#send(req, res, reply, entry);
  }

  #send(req: IncomingMessage, res: ServerResponse, reply: Reply, entry: RequestLogEntry): void {
    switch (reply.kind) {
      case 'json':
        entry.status = reply.status;
        res.writeHead(reply.status, { 'content-type': JSON_CONTENT_TYPE, ...reply.headers });
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
