/**
 * The HTTP client the runtime hands to plugins (`context.http`). Every hop — the first request and
 * each redirect — passes {@link assertEgressAllowed}, and the DNS answer for a host name is checked
 * before the socket connects (the checked address is the one used), so a public name that
 * resolves to a private, loopback, link-local or metadata address is refused too. Simulator mode
 * opens loopback only.
 *
 * Built on `node:http`/`node:https` rather than global `fetch` because only they take a `lookup`
 * function, which is how the resolved address is checked and pinned without a second resolution.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { InvalidConfigurationError } from '../engine/errors.ts';
import { assertEgressAllowed, isInternalHost, isLoopbackHost } from './egress.ts';
import { EgressRefusedError } from './errors.ts';
import type { PartnerHttpClient, PartnerRequestInit } from './partner.ts';

/** Resolves a host name to all its addresses (`dns.lookup` with `all: true` by default). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface PartnerHttpClientOptions {
  /** The plugin's `Type`, for errors. */
  partner: string;
  allowedHosts: readonly string[];
  simulatorMode: boolean;
  /** Default: `dns.lookup(host, { all: true })`. */
  resolve?: Resolver;
  /** Default 5. */
  maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

function refuse(error: unknown): never {
  if (error instanceof InvalidConfigurationError && !(error instanceof EgressRefusedError)) {
    throw new EgressRefusedError(error.message, { field: error.field, cause: error });
  }
  throw error;
}

/**
 * A `lookup` for `http.request` that resolves once, refuses internal answers and hands the
 * checked addresses to the socket.
 */
function checkedLookup(options: PartnerHttpClientOptions, resolve: Resolver): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const blocked = addresses.find(
          (a) => isInternalHost(a.address) && !(options.simulatorMode && isLoopbackHost(a.address)),
        );
        if (blocked || addresses.length === 0) {
          const reason = blocked ? 'a private, loopback or metadata address' : 'no address';
          callback(
            new EgressRefusedError(
              `${options.partner}: host ${hostname} resolves to ${reason}; Rotor connects only to public addresses of the manifest's allowed hosts.`,
              { field: 'egress.allowedHosts' },
            ),
            '',
          );
          return;
        }
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, ''),
    );
  };
}

function send(
  url: URL,
  init: { method: string; headers: Record<string, string>; body: string | Uint8Array | undefined },
  lookup: LookupFunction,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers, lookup, signal }, resolve);
    req.on('error', reject);
    req.end(init.body);
  });
}

async function readBody(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Creates the egress-checked client for one plugin.
 *
 * @example
 * ```ts
 * const http = createPartnerHttpClient({ partner: 'ExampleApiKey', allowedHosts: ['api.example.com'], simulatorMode: false });
 * const response = await http.fetch('https://api.example.com/v1/keys', { method: 'POST', body: '{}' });
 * ```
 */
export function createPartnerHttpClient(options: PartnerHttpClientOptions): PartnerHttpClient {
  const lookup = checkedLookup(options, options.resolve ?? systemResolver);
  const maxRedirects = options.maxRedirects ?? 5;
  return {
    async fetch(input: string | URL, init: PartnerRequestInit = {}): Promise<Response> {
      let url: URL;
      let method = (init.method ?? 'GET').toUpperCase();
      let body = init.body;
      let headers = { ...init.headers };
      const signal = AbortSignal.timeout(init.timeoutMs ?? 30_000);
      let field = 'url';
      let href = String(input);
      for (let hop = 0; ; hop += 1) {
        try {
          url = assertEgressAllowed(href, {
            field,
            allowedHosts: options.allowedHosts,
            simulatorMode: options.simulatorMode,
            partner: options.partner,
          });
        } catch (error) {
          refuse(error);
        }
        const response = await send(url, { method, headers, body }, lookup, signal);
        const location = response.headers.location;
        if (!REDIRECTS.has(response.statusCode ?? 0) || !location) {
          const bytes = await readBody(response);
          const status = response.statusCode ?? 500;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
              responseHeaders.append(name, v);
            }
          }
          return new Response(NULL_BODY.has(status) ? null : new Uint8Array(bytes), {
            status,
            statusText: response.statusMessage ?? '',
            headers: responseHeaders,
          });
        }
        response.resume();
        if (hop >= maxRedirects) {
          throw new EgressRefusedError(
            `${options.partner}: more than ${maxRedirects} redirects from ${String(input).split('?')[0]}; the partner API should not redirect in a loop.`,
            { field: 'url' },
          );
        }
        const next = new URL(location, url);
        // As fetch does: 303 (and 301/302 after POST) become a GET without a body.
        if (
          response.statusCode === 303 ||
          ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
          headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !/^content-/i.test(k)));
        }
        // Credentials never follow a redirect to another origin.
        if (next.origin !== url.origin) {
          headers = Object.fromEntries(
            Object.entries(headers).filter(([k]) => !/^(authorization|cookie|proxy-authorization)$/i.test(k)),
          );
        }
        field = 'redirect Location';
        href = next.href;
      }
    },
  };
}

/**
 * The client a plugin's hooks get: its manifest's egress rules, loopback only in simulator mode.
 *
 * @example
 * ```ts
 * const context = { ...hookContext, http: httpClientFor(manifest, simulatorMode) };
 * ```
 */
export function httpClientFor(
  manifest: { type: string; egress: { allowedHosts: readonly string[] } },
  simulatorMode: boolean,
): PartnerHttpClient {
  return createPartnerHttpClient({
    partner: manifest.type,
    allowedHosts: manifest.egress.allowedHosts,
    simulatorMode,
  });
}
