import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPartnerHttpClient } from '../../../src/runtime/egress-http.ts';
import { EgressRefusedError } from '../../../src/runtime/errors.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let main: { server: Server; url: string };
let other: { server: Server; url: string };
const seen: { path: string; method: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  other = await listen((req, res) => {
    seen.push({ path: req.url ?? '', method: req.method ?? '', authorization: req.headers.authorization });
    res.end('other origin');
  });
  main = await listen((req, res) => {
    seen.push({ path: req.url ?? '', method: req.method ?? '', authorization: req.headers.authorization });
    const redirects: Record<string, string> = {
      '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
      '/to-undeclared': 'https://evil.example.net/steal',
      '/to-local': '/ok',
      '/to-other-origin': `${other.url}/landing`,
      '/loop': '/loop',
    };
    const location = redirects[req.url ?? ''];
    if (location) {
      res.writeHead(req.url === '/to-local' ? 303 : 302, { location });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, method: req.method }));
  });
});
afterAll(() => {
  main.server.close();
  other.server.close();
});

const production = () =>
  createPartnerHttpClient({
    partner: 'ExampleApiKey',
    allowedHosts: ['api.example.com', '*.example.org'],
    simulatorMode: false,
    resolve: async () => {
      throw new Error('DNS must not be reached for a refused host');
    },
  });
const simulator = () =>
  createPartnerHttpClient({
    partner: 'ExampleApiKey',
    allowedHosts: ['api.example.com'],
    simulatorMode: true,
  });

describe('Function: createPartnerHttpClient', () => {
  it.each([
    'https://evil.example.net/',
    'https://api.example.com.evil.net/',
    'http://api.example.com/',
    'http://169.254.169.254/latest/meta-data/',
    'https://169.254.169.254/',
    'https://localhost/',
    'https://[::1]/',
    'https://2130706433/',
    'https://0177.0.0.1/',
    'https://0x7f.1/',
    'https://10.0.0.1/',
    'https://[::ffff:169.254.169.254]/',
    'https://user:pass@api.example.com/',
  ])('refuses %s outside simulator mode, before any connection', async (url) => {
    // Act
    const error = await production()
      .fetch(url)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect((error as Error).message).toMatch(/^ExampleApiKey: /);
  });

  it.each([
    ['10.1.2.3', 4],
    ['169.254.169.254', 4],
    ['127.0.0.1', 4],
    ['fd00::1', 6],
  ])('refuses an allowed host whose DNS answer is internal (%s)', async (address, family) => {
    // Prepare
    const http = createPartnerHttpClient({
      partner: 'ExampleApiKey',
      allowedHosts: ['api.example.com'],
      simulatorMode: false,
      resolve: async () => [{ address, family }],
    });

    // Act
    const error = await http.fetch('https://api.example.com/v1/keys').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect((error as Error).message).toMatch(
      /api.example.com resolves to a private, loopback or metadata address/,
    );
  });

  it('reaches a loopback simulator in simulator mode and follows a local 303 as a GET', async () => {
    // Act
    const response = await simulator().fetch(`${main.url}/to-local`, { method: 'POST', body: '{}' });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, method: 'GET' });
  });

  it.each([
    ['/to-metadata', /169.254.169.254/],
    ['/to-undeclared', /evil.example.net is not an allowed partner host/],
  ])(
    'refuses a redirect (%s) to a host the client may not reach, even in simulator mode',
    async (path, message) => {
      // Act
      const error = await simulator()
        .fetch(`${main.url}${path}`)
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(EgressRefusedError);
      expect((error as Error).message).toMatch(message);
    },
  );

  it('drops the Authorization header on a redirect to another origin', async () => {
    // Prepare
    seen.length = 0;

    // Act
    const response = await simulator().fetch(`${main.url}/to-other-origin`, {
      headers: { authorization: 'Bearer not-for-other-origins' },
    });

    // Assess
    expect(await response.text()).toBe('other origin');
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer not-for-other-origins', undefined]);
  });

  it('refuses a redirect loop', async () => {
    // Act
    const error = await simulator()
      .fetch(`${main.url}/loop`)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect((error as Error).message).toMatch(/more than 5 redirects/);
  });
});
