/**
 * A loopback simulator of the `__TYPE__` key API: `GET /v1/whoami`, `POST /v1/keys` (with
 * `Idempotency-Key`) and `DELETE /v1/keys/{keyId}`, at most two keys per account. Test tooling:
 * it runs only in simulator mode and is not held to the rotator's import rule.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type Reply, type SimRequest, SimulatorServer } from '../__SRC__/kit/simulator/http-server.ts';
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

function json(status: number, body: object): Reply {
  return { kind: 'json', status, body };
}

function route(store: KeyStore, req: SimRequest): Reply {
  const auth = store.find(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]);
  if (!auth) return json(401, { error: 'invalid_key' });
  const path = req.url.pathname;
  if (req.method === 'GET' && path === '/v1/whoami') {
    return json(200, { accountId: auth.accountId, keyId: auth.keyId });
  }
  if (req.method === 'POST' && path === '/v1/keys') {
    const idempotencyKey = req.headers['idempotency-key'];
    const key = store.mint(auth.accountId, typeof idempotencyKey === 'string' ? idempotencyKey : undefined);
    if (!key) return json(409, { error: `at most ${MAX_KEYS_PER_ACCOUNT} keys per account` });
    return json(201, { keyId: key.keyId, apiKey: key.apiKey });
  }
  const deleting = /^\/v1\/keys\/([^/]+)$/.exec(path);
  if (req.method === 'DELETE' && deleting?.[1]) {
    const keyId = decodeURIComponent(deleting[1]);
    if (keyId === auth.keyId) return json(409, { error: 'a key cannot delete itself' });
    return store.delete(auth.accountId, keyId) ? { kind: 'empty', status: 204 } : json(404, { error: 'not_found' });
  }
  return json(404, { error: 'not_found' });
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
  // The kit's server reads each request, keeps a request log without headers or bodies, and can
  // hang or reset a connection for fault tests.
  const server = await SimulatorServer.listen({
    host: '127.0.0.1',
    port: options.port ?? 0,
    handle: (request) => ({ reply: route(store, request) }),
    internalError: () => json(500, { error: 'internal_error' }),
  });
  const { baseUrl } = server;
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
    close: () => server.close(),
  };
}
