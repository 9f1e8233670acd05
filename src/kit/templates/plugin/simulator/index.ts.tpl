/**
 * A loopback simulator of the `__TYPE__` key API: `GET /v1/whoami`, `POST /v1/keys` (with
 * `Idempotency-Key`) and `DELETE /v1/keys/{keyId}`, at most two keys per account. Test tooling:
 * it runs only in simulator mode and is not held to the rotator's import rule.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSimulator, SimulatorProbe } from '../__SRC__/runtime/partner.ts';
import type { __TYPE__Secret } from '../types.ts';

export const MAX_KEYS_PER_ACCOUNT = 2;

interface Key {
  keyId: string;
  apiKey: string;
  accountId: string;
}

/** The simulated partner's state: keys by their secret value, and idempotency records. */
class KeyStore {
  readonly #keys = new Map<string, Key>();
  readonly #idempotent = new Map<string, string>();

  addAccount(): Key {
    return this.#add(`acct-${randomUUID()}`);
  }

  find(apiKey: string | undefined): Key | undefined {
    return apiKey === undefined ? undefined : this.#keys.get(apiKey);
  }

  count(accountId: string): number {
    return [...this.#keys.values()].filter((key) => key.accountId === accountId).length;
  }

  mint(accountId: string, idempotencyKey: string | undefined): Key | undefined {
    const record = idempotencyKey ? this.#idempotent.get(`${accountId}:${idempotencyKey}`) : undefined;
    const earlier = this.find(record);
    if (earlier) return earlier;
    if (this.count(accountId) >= MAX_KEYS_PER_ACCOUNT) return undefined;
    const key = this.#add(accountId);
    if (idempotencyKey) this.#idempotent.set(`${accountId}:${idempotencyKey}`, key.apiKey);
    return key;
  }

  delete(accountId: string, keyId: string): boolean {
    const key = [...this.#keys.values()].find((k) => k.accountId === accountId && k.keyId === keyId);
    return key ? this.#keys.delete(key.apiKey) : false;
  }

  #add(accountId: string): Key {
    const key = { keyId: `key-${randomUUID()}`, apiKey: randomBytes(24).toString('base64url'), accountId };
    this.#keys.set(key.apiKey, key);
    return key;
  }
}

interface Reply {
  status: number;
  body?: object;
}

function route(store: KeyStore, req: IncomingMessage): Reply {
  const auth = store.find(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]);
  if (!auth) return { status: 401, body: { error: 'invalid_key' } };
  const path = new URL(req.url ?? '/', 'http://simulator').pathname;
  if (req.method === 'GET' && path === '/v1/whoami') {
    return { status: 200, body: { accountId: auth.accountId, keyId: auth.keyId } };
  }
  if (req.method === 'POST' && path === '/v1/keys') {
    const idempotencyKey = req.headers['idempotency-key'];
    const key = store.mint(auth.accountId, typeof idempotencyKey === 'string' ? idempotencyKey : undefined);
    if (!key) return { status: 409, body: { error: `at most ${MAX_KEYS_PER_ACCOUNT} keys per account` } };
    return { status: 201, body: { keyId: key.keyId, apiKey: key.apiKey } };
  }
  const deleting = /^\/v1\/keys\/([^/]+)$/.exec(path);
  if (req.method === 'DELETE' && deleting?.[1]) {
    const keyId = decodeURIComponent(deleting[1]);
    if (keyId === auth.keyId) return { status: 409, body: { error: 'a key cannot delete itself' } };
    return { status: store.delete(auth.accountId, keyId) ? 204 : 404 };
  }
  return { status: 404, body: { error: 'not_found' } };
}

function send(res: ServerResponse, { status, body }: Reply): void {
  res.writeHead(status, body ? { 'content-type': 'application/json' } : {});
  res.end(body ? JSON.stringify(body) : undefined);
}

function secretOf(key: Key, baseUrl: string): __TYPE__Secret {
  return { apiKey: key.apiKey, keyId: key.keyId, accountId: key.accountId, baseUrl };
}

/**
 * Starts the simulator on loopback with one account, whose secret is the seed.
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ port: 0 });
 * await fetch(`${sim.baseUrl}/v1/whoami`, { headers: { authorization: `Bearer ${sim.seed.apiKey}` } });
 * await sim.close();
 * ```
 */
export async function startSimulator(options: { port?: number } = {}): Promise<RunningSimulator> {
  const store = new KeyStore();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => send(res, route(store, req)));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe: SimulatorProbe<__TYPE__Secret> = {
    async freshSecret() {
      return { value: secretOf(store.addAccount(), baseUrl), metadata: {} };
    },
    async authenticates(value) {
      return store.find(value.apiKey) !== undefined;
    },
    async liveCredentials(value) {
      return store.count(value.accountId);
    },
    advanceTime() {
      // Keys do not expire.
    },
  };
  return {
    baseUrl,
    seed: secretOf(store.addAccount(), baseUrl),
    probe: probe as unknown as SimulatorProbe,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
