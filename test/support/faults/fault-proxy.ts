/**
 * A fault-injecting reverse proxy on 127.0.0.1, placed in front of any partner simulator. Every
 * request asks the {@link FaultPlan}; passing requests are forwarded unchanged except that the
 * upstream origin is rewritten to the proxy's in both directions (bodies and `Location`), the way a
 * reverse proxy rewrites its backend's URLs — so a partner that returns its own URL (Salesforce's
 * `instance_url`) keeps talking through the proxy. Hand-written on node:http: no installed library
 * proxies with per-request fault control.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultPlan } from './fault-plan.ts';

/** How long a "hung" response is held before the proxy cuts the socket (a client timeout). */
const HUNG_RESPONSE_MS = 15;
/** Hop-by-hop and length headers: the proxy re-frames every message itself. */
const HOP_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive']);
/**
 * Status of a call made by a dead invocation. Not in any client's retry list: a crashed process
 * makes no more calls, so its HTTP client must not retry its way past the crash.
 */
const CRASHED_STATUS = 499;

export interface FaultProxy {
  /** Base URL of the proxy (`http://127.0.0.1:<port>`). */
  readonly url: string;
  /** Rewrites a URL (or any text) from the upstream origin to the proxy's. */
  toProxy(text: string): string;
  /** Rewrites a URL (or any text) from the proxy's origin back to the upstream one. */
  toUpstream(text: string): string;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * @example
 * ```ts
 * const proxy = await startFaultProxy(simulator.baseUrl, plan);
 * const value = { ...secret, baseUri: proxy.toProxy(secret.baseUri) };
 * ```
 */
export async function startFaultProxy(upstream: string, plan: FaultPlan): Promise<FaultProxy> {
  const upstreamOrigin = new URL(upstream).origin;
  let proxyOrigin = '';
  const rewrite = (text: string, from: string, to: string) => (from ? text.split(from).join(to) : text);

  async function forward(request: IncomingMessage, body: Buffer) {
    const headers = new Headers();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value === undefined || HOP_HEADERS.has(key)) continue;
      headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const answer = await fetch(new URL(request.url ?? '/', upstreamOrigin), {
      method: request.method,
      headers,
      body: hasBody ? rewrite(body.toString('utf8'), proxyOrigin, upstreamOrigin) : undefined,
      redirect: 'manual',
    });
    const text = rewrite(await answer.text(), upstreamOrigin, proxyOrigin);
    const outHeaders: Record<string, string> = {};
    answer.headers.forEach((value, key) => {
      if (HOP_HEADERS.has(key) || key === 'content-encoding') return;
      outHeaders[key] = key === 'location' ? rewrite(value, upstreamOrigin, proxyOrigin) : value;
    });
    return { status: answer.status, headers: outHeaders, text };
  }

  function reply(response: ServerResponse, status: number, headers: Record<string, string>, text: string) {
    response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
    response.end(text);
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const body = await readBody(request);
    const name = `${request.method} ${new URL(request.url ?? '/', upstreamOrigin).pathname}`;
    const verdict = plan.next('partner', name);
    const json = { 'content-type': 'application/json' };
    if (verdict.action === 'crash') {
      reply(response, CRASHED_STATUS, json, JSON.stringify([{ errorCode: 'INVOCATION_CRASHED' }]));
      return;
    }
    if (verdict.action === 'fault' && verdict.kind === 'server-error') {
      reply(response, 503, json, JSON.stringify([{ errorCode: 'SERVER_UNAVAILABLE', message: 'injected' }]));
      return;
    }
    if (verdict.action === 'fault' && verdict.kind === 'throttle') {
      reply(
        response,
        429,
        json,
        JSON.stringify([{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'injected' }]),
      );
      return;
    }
    // Timeout and malformed: the upstream acts on the request; its answer is lost or garbled.
    const answer = await forward(request, body);
    if (verdict.action === 'fault' && verdict.kind === 'timeout') {
      setTimeout(() => response.socket?.destroy(), HUNG_RESPONSE_MS);
      return;
    }
    if (verdict.action === 'fault' && verdict.kind === 'malformed') {
      reply(
        response,
        200,
        json,
        answer.text.slice(0, Math.max(1, Math.floor(answer.text.length / 2))) || '{',
      );
      return;
    }
    reply(response, answer.status, answer.headers, answer.text);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.socket?.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  proxyOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: proxyOrigin,
    toProxy: (text) => rewrite(text, upstreamOrigin, proxyOrigin),
    toUpstream: (text) => rewrite(text, proxyOrigin, upstreamOrigin),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
