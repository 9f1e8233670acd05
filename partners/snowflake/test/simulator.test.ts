/**
 * The Snowflake simulator over HTTP: key-pair JWT verification against the two key slots, the
 * statements a rotation uses, Snowflake-shaped errors, `requestId` idempotency and fault switches.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { USER_AGENT } from '../api.ts';
import { signKeyPairJwt } from '../jwt.ts';
import { type GeneratedKeyPair, generateRsaKeyPair, loadPrivateKey, pemBody } from '../keys.ts';
import { DEFAULT_SNOWFLAKE_SIMULATOR_BEHAVIOUR, SnowflakeSimulator } from '../simulator/index.ts';
import type { SnowflakeSecret } from '../types.ts';

let sim: SnowflakeSimulator;
let users = 0;
/** Distinct key pairs shared by the users of these tests: 2048-bit generation is slow. */
let pool: GeneratedKeyPair[];

beforeAll(async () => {
  sim = await SnowflakeSimulator.start();
  pool = await Promise.all([0, 1].map(() => generateRsaKeyPair({ encrypt: false })));
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.clearFaults();
  sim.setBehaviour(DEFAULT_SNOWFLAKE_SIMULATOR_BEHAVIOUR);
  sim.setRateLimit(undefined);
});

/** A new user holding pool key `key` in RSA_PUBLIC_KEY. */
async function freshUser(key: 0 | 1 = 0): Promise<SnowflakeSecret> {
  users += 1;
  return sim.createUser(`SIM_TEST_${users}`, { keyPair: pool[key] });
}

function jwtFor(
  value: SnowflakeSecret,
  options: { algorithm?: 'RS256' | 'RS384' | 'RS512'; now?: Date } = {},
) {
  return signKeyPairJwt({
    account: value.account,
    user: value.user,
    privateKey: loadPrivateKey(value),
    algorithm: options.algorithm ?? 'RS256',
    now: options.now ?? sim.now(),
  });
}

/** A JWT with any claims and header, signed by `key`. */
function craftJwt(key: KeyObject, payload: object, header: object = { alg: 'RS256', typ: 'JWT' }): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(payload)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}

interface PostOptions {
  jwt?: string;
  headers?: Record<string, string | undefined>;
  query?: string;
  method?: string;
  path?: string;
  body?: string;
}

async function call(statement: string, options: PostOptions = {}) {
  const headers: Record<string, string> = {};
  const all: Record<string, string | undefined> = {
    Authorization: options.jwt === undefined ? undefined : `Bearer ${options.jwt}`,
    'X-Snowflake-Authorization-Token-Type': 'KEYPAIR_JWT',
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'User-Agent': USER_AGENT,
    ...options.headers,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) headers[name] = value;
  const method = options.method ?? 'POST';
  const response = await fetch(
    `${sim.baseUrl}${options.path ?? '/api/v2/statements'}${options.query ?? ''}`,
    {
      method,
      headers,
      ...(method === 'POST' ? { body: options.body ?? JSON.stringify({ statement, timeout: 60 }) } : {}),
    },
  );
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { text };
  }
  return { status: response.status, body, headers: response.headers };
}

async function run(value: SnowflakeSecret, statement: string, options: PostOptions = {}) {
  return call(statement, { jwt: jwtFor(value), ...options });
}

function publicBase64(value: SnowflakeSecret): string {
  return pemBody(value.publicKey);
}

describe('Class: SnowflakeSimulator', () => {
  describe('key-pair JWT verification', () => {
    it.each(['RS256', 'RS384', 'RS512'] as const)(
      'accepts a %s JWT signed with the key in a slot',
      async (algorithm) => {
        // Prepare
        const value = await freshUser();

        // Act
        const result = await call('SELECT 1', { jwt: jwtFor(value, { algorithm }) });

        // Assess
        expect(result.status).toBe(200);
        expect(result.body).toMatchObject({ code: '090001', sqlState: '00000', data: [['1']] });
      },
    );

    it('accepts the key in RSA_PUBLIC_KEY_2 too, and stops accepting a key once its slot is unset', async () => {
      // Prepare
      const value = await freshUser();
      const second = await freshUser(1);
      sim.setKey(value.account, value.user, 'RSA_PUBLIC_KEY_2', second.publicKey);
      const viaSecond = { ...value, privateKey: second.privateKey, publicKey: second.publicKey };

      // Act
      const before = await run(viaSecond, 'SELECT 1');
      await run(value, `ALTER USER ${value.user} UNSET RSA_PUBLIC_KEY_2`);
      const after = await run(viaSecond, 'SELECT 1');

      // Assess
      expect(before.status).toBe(200);
      expect(after.status).toBe(401);
      expect(after.body).toEqual({ code: '390144', message: 'JWT token is invalid.' });
    });

    it.each([
      [
        'a key in no slot',
        (v: SnowflakeSecret, other: KeyObject) =>
          signKeyPairJwt({
            account: v.account,
            user: v.user,
            privateKey: other,
            algorithm: 'RS256',
            now: sim.now(),
          }),
        'fingerprint matches no key slot of the user',
      ],
      [
        "a slot key's fingerprint with a signature by another key",
        (v: SnowflakeSecret, other: KeyObject) => {
          const real = JSON.parse(Buffer.from(jwtFor(v).split('.')[1]!, 'base64url').toString());
          return craftJwt(other, real);
        },
        'signature does not verify',
      ],
      [
        'an expired token',
        (v: SnowflakeSecret) => jwtFor(v, { now: new Date(sim.now().getTime() - 2 * 3600_000) }),
        'token expired',
      ],
      [
        'a token issued in the future',
        (v: SnowflakeSecret) => jwtFor(v, { now: new Date(sim.now().getTime() + 600_000) }),
        'iat is in the future',
      ],
      [
        'a lifetime over one hour',
        (v: SnowflakeSecret) => {
          const iat = Math.floor(sim.now().getTime() / 1000);
          const claims = JSON.parse(Buffer.from(jwtFor(v).split('.')[1]!, 'base64url').toString());
          return craftJwt(loadPrivateKey(v), { ...claims, iat, exp: iat + 7200 });
        },
        'lifetime exceeds the maximum',
      ],
      [
        'a lower-case subject',
        (v: SnowflakeSecret) => {
          const claims = JSON.parse(Buffer.from(jwtFor(v).split('.')[1]!, 'base64url').toString());
          const sub = claims.sub.toLowerCase();
          return craftJwt(loadPrivateKey(v), {
            ...claims,
            sub,
            iss: `${sub}.${claims.iss.split('.').pop()}`,
          });
        },
        'sub is not upper case',
      ],
      [
        'another account',
        (v: SnowflakeSecret) =>
          signKeyPairJwt({
            ...v,
            account: 'other-account',
            privateKey: loadPrivateKey(v),
            algorithm: 'RS256',
            now: sim.now(),
          }),
        'no such user',
      ],
      [
        'alg HS256',
        (v: SnowflakeSecret) => {
          const claims = JSON.parse(Buffer.from(jwtFor(v).split('.')[1]!, 'base64url').toString());
          return craftJwt(loadPrivateKey(v), claims, { alg: 'HS256', typ: 'JWT' });
        },
        'alg is not RS256, RS384 or RS512',
      ],
      ['a token that is not a JWS', () => 'not-a-jwt', 'not a compact JWS'],
    ])('rejects %s with 401', async (_name, makeJwt, reason) => {
      // Prepare
      const value = await freshUser();
      const other = createPrivateKey(pool[1]!.privateKey);
      sim.clearRequests();

      // Act
      const result = await call('SELECT 1', { jwt: makeJwt(value, other) });

      // Assess
      expect(result.status).toBe(401);
      expect(result.body.code).toBe('390144');
      expect(sim.requests()[0]?.authFailure).toBe(reason);
    });

    it('rejects a request without the KEYPAIR_JWT token type or without a token', async () => {
      // Prepare
      const value = await freshUser();

      // Act
      const noType = await run(value, 'SELECT 1', {
        headers: { 'X-Snowflake-Authorization-Token-Type': undefined },
      });
      const noToken = await call('SELECT 1');

      // Assess
      expect(noType.status).toBe(401);
      expect(noToken.status).toBe(401);
    });

    it('rejects a request without User-Agent with 400, and answers 401 with an empty body when so configured', async () => {
      // Prepare
      const value = await freshUser();

      // Act
      // fetch sends its own User-Agent when none is given; an empty one stands for "missing".
      const noAgent = await run(value, 'SELECT 1', { headers: { 'User-Agent': '' } });
      sim.setBehaviour({ unauthorizedBody: 'empty' });
      const emptyBody = await call('SELECT 1', { jwt: 'x.y.z' });

      // Assess
      expect(noAgent.status).toBe(400);
      expect(emptyBody).toMatchObject({ status: 401, body: { text: '' } });
    });

    it('follows its clock: a token valid now is expired once time advances past exp', async () => {
      // Prepare
      const value = await freshUser();
      const jwt = jwtFor(value);

      // Act
      const before = await call('SELECT 1', { jwt });
      sim.advanceTime(2 * 3600_000);
      const after = await call('SELECT 1', { jwt });

      // Assess
      expect(before.status).toBe(200);
      expect(after.status).toBe(401);
    });
  });

  describe('statements', () => {
    it('describes the user: property/value rows with both slots and their fingerprints', async () => {
      // Prepare
      const value = await freshUser();
      sim.setBehaviour({ describeColumnCase: 'upper' });

      // Act
      const result = await run(value, `DESC USER ${value.user.toLowerCase()}`);

      // Assess
      expect(result.status).toBe(200);
      const meta = result.body.resultSetMetaData as { rowType: { name: string }[] };
      expect(meta.rowType.map((c) => c.name)).toEqual(['PROPERTY', 'VALUE', 'DEFAULT', 'DESCRIPTION']);
      const rows = new Map((result.body.data as string[][]).map((row) => [row[0], row[1]]));
      expect(rows.get('RSA_PUBLIC_KEY')).toBe(publicBase64(value));
      expect(rows.get('RSA_PUBLIC_KEY_FP')).toBe(sim.slots(value.account, value.user).RSA_PUBLIC_KEY);
      expect(rows.get('RSA_PUBLIC_KEY_2_FP')).toBe('null');
    });

    it('sets and unsets a slot, quoted or not, and the fingerprint follows', async () => {
      // Prepare
      const value = await freshUser();
      const other = await freshUser(1);

      // Act
      const set = await run(
        value,
        `alter user "${value.user}" set rsa_public_key_2 = '${publicBase64(other)}';`,
      );
      const afterSet = sim.slots(value.account, value.user);
      const unset = await run(value, `ALTER USER IF EXISTS ${value.user} UNSET RSA_PUBLIC_KEY_2`);

      // Assess
      expect(set.status).toBe(200);
      expect(set.body.data).toEqual([['Statement executed successfully.']]);
      expect(afterSet.RSA_PUBLIC_KEY_2).toBe(sim.slots(other.account, other.user).RSA_PUBLIC_KEY);
      expect(unset.status).toBe(200);
      expect(sim.slots(value.account, value.user).RSA_PUBLIC_KEY_2).toBeUndefined();
    });

    it.each([
      ['not base64', 'not-a-key!'],
      [
        'a 1024-bit key',
        generateKeyPairSync('rsa', { modulusLength: 1024 })
          .publicKey.export({ type: 'spki', format: 'der' })
          .toString('base64'),
      ],
    ])('rejects a public key that is %s with 422', async (_name, key) => {
      // Prepare
      const value = await freshUser();

      // Act
      const result = await run(value, `ALTER USER ${value.user} SET RSA_PUBLIC_KEY_2 = '${key}'`);

      // Assess
      expect(result.status).toBe(422);
      expect(result.body).toMatchObject({ code: '001420', sqlState: '22023' });
      expect(sim.liveKeys(value.account, value.user)).toBe(1);
    });

    it('rejects setting the key the other slot already holds', async () => {
      // Prepare
      const value = await freshUser();

      // Act
      const result = await run(
        value,
        `ALTER USER ${value.user} SET RSA_PUBLIC_KEY_2 = '${publicBase64(value)}'`,
      );

      // Assess
      expect(result.status).toBe(422);
      expect(sim.liveKeys(value.account, value.user)).toBe(1);
    });

    it.each([
      ['two statements', (u: string) => `DESC USER ${u}; DROP USER ${u}`],
      ['a comment', (u: string) => `DESC USER ${u} -- hi`],
      ['an unknown slot', (u: string) => `ALTER USER ${u} UNSET RSA_PUBLIC_KEY_3`],
      ['an unclosed quote', (u: string) => `ALTER USER "${u} UNSET RSA_PUBLIC_KEY`],
      ['another statement', () => 'SHOW USERS'],
    ])('answers %s with a 422 syntax error', async (_name, build) => {
      // Prepare
      const value = await freshUser();

      // Act
      const result = await run(value, build(value.user));

      // Assess
      expect(result.status).toBe(422);
      expect(result.body).toMatchObject({ code: '001003', sqlState: '42000' });
      expect(result.body.statementHandle).toEqual(expect.any(String));
    });

    it('refuses another user, and self-alteration without the privilege, with QueryFailureStatus', async () => {
      // Prepare
      const value = await freshUser();
      const other = await freshUser(1);

      // Act
      const describeOther = await run(value, `DESC USER ${other.user}`);
      sim.setCanAlterSelf(value.account, value.user, false);
      const alterSelf = await run(value, `ALTER USER ${value.user} UNSET RSA_PUBLIC_KEY_2`);

      // Assess
      expect(describeOther.status).toBe(422);
      expect(describeOther.body).toMatchObject({ code: '002003', sqlState: '02000' });
      expect(alterSelf.status).toBe(422);
      expect(alterSelf.body).toMatchObject({ code: '003001', sqlState: '42501' });
    });

    it('lets a user without the grant alter itself only when selfAlterWithoutGrant is on', async () => {
      // Prepare
      const value = await freshUser();
      sim.setCanAlterSelf(value.account, value.user, false);
      sim.setBehaviour({ selfAlterWithoutGrant: true });

      // Act
      const result = await run(value, `ALTER USER ${value.user} UNSET RSA_PUBLIC_KEY_2`);

      // Assess
      expect(result.status).toBe(200);
    });

    it('lets an administrator alter another user', async () => {
      // Prepare
      const admin = await sim.createUser(`ADMIN_${users}`, { admin: true, keyPair: pool[1] });
      const value = await freshUser();

      // Act
      const result = await run(admin, `ALTER USER ${value.user} UNSET RSA_PUBLIC_KEY`);

      // Assess
      expect(result.status).toBe(200);
      expect(sim.liveKeys(value.account, value.user)).toBe(0);
    });
  });

  describe('requestId and asynchronous results', () => {
    it('returns the original answer to a resubmitted requestId without running the statement again', async () => {
      // Prepare
      const value = await freshUser();
      const other = await freshUser(1);
      const query = `?requestId=${crypto.randomUUID()}`;
      const first = await run(
        value,
        `ALTER USER ${value.user} SET RSA_PUBLIC_KEY_2 = '${publicBase64(other)}'`,
        { query },
      );
      sim.setKey(value.account, value.user, 'RSA_PUBLIC_KEY_2', undefined);

      // Act
      const again = await run(
        value,
        `ALTER USER ${value.user} SET RSA_PUBLIC_KEY_2 = '${publicBase64(other)}'`,
        {
          query: `${query}&retry=true`,
        },
      );

      // Assess
      expect(again.body.statementHandle).toBe(first.body.statementHandle);
      expect(sim.liveKeys(value.account, value.user)).toBe(1);
    });

    it('refuses a reused requestId without retry=true when so configured, and a requestId that is not a UUID', async () => {
      // Prepare
      const value = await freshUser();
      sim.setBehaviour({ duplicateRequestId: 'require-retry-flag' });
      const query = `?requestId=${crypto.randomUUID()}`;
      await run(value, 'SELECT 1', { query });

      // Act
      const reused = await run(value, 'SELECT 1', { query });
      const retried = await run(value, 'SELECT 1', { query: `${query}&retry=true` });
      const notUuid = await run(value, 'SELECT 1', { query: '?requestId=abc' });

      // Assess
      expect(reused.status).toBe(422);
      expect(retried.status).toBe(200);
      expect(notUuid.status).toBe(400);
    });

    it('answers 202 with a handle in async mode, and the result is fetched by its owner only', async () => {
      // Prepare
      const value = await freshUser();
      const stranger = await freshUser();
      sim.setBehaviour({ respondAsync: true });

      // Act
      const accepted = await run(value, 'SELECT 1');
      const path = accepted.body.statementStatusUrl as string;
      const fetched = await run(value, '', { method: 'GET', path });
      const foreign = await run(stranger, '', { method: 'GET', path });

      // Assess
      expect(accepted.status).toBe(202);
      expect(accepted.body.code).toBe('333334');
      expect(fetched.status).toBe(200);
      expect(fetched.body.data).toEqual([['1']]);
      expect(foreign.status).toBe(404);
    });
  });

  describe('option: rateLimit', () => {
    /** A limit that refills no request while a test runs, unless the test advances the clock. */
    const TWO_THEN_STOP = { requestsPerSecond: 0.001, burst: 2 };

    it('answers 429 in the SQL API’s error shape once an account spends its limit; other accounts go on', async () => {
      // Prepare
      const value = await freshUser();
      const elsewhere = await sim.createUser('SIM_RATE_ELSEWHERE', {
        account: 'otheracct',
        keyPair: pool[0],
      });
      sim.setRateLimit(TWO_THEN_STOP);
      await run(value, 'SELECT 1');
      await run(value, 'SELECT 1');

      // Act
      const refused = await run(value, 'SELECT 1');
      const other = await run(elsewhere, 'SELECT 1');

      // Assess
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toBe('application/json');
      expect(refused.body).toMatchObject({ code: '000429', sqlState: '57014', message: expect.any(String) });
      expect(refused.headers.get('retry-after')).toBeNull();
      expect(other.status).toBe(200);
    });

    it('runs nothing it refuses: the same requestId runs once the clock has refilled the bucket', async () => {
      // Prepare
      const value = await freshUser();
      const other = await freshUser(1);
      sim.setRateLimit({ requestsPerSecond: 1, burst: 1 });
      await run(value, 'SELECT 1');
      const alter = `ALTER USER ${value.user} SET RSA_PUBLIC_KEY_2 = '${publicBase64(other)}'`;
      const query = `?requestId=${crypto.randomUUID()}`;
      const refused = await run(value, alter, { query });
      const keysWhileRefused = sim.liveKeys(value.account, value.user);

      // Act
      sim.advanceTime(1000);
      const resubmitted = await run(value, alter, { query: `${query}&retry=true` });

      // Assess
      expect(refused.status).toBe(429);
      expect(keysWhileRefused).toBe(1);
      expect(resubmitted.status).toBe(200);
      expect(sim.liveKeys(value.account, value.user)).toBe(2);
    });

    it('says Retry-After when the behaviour asks for it (Not confirmed)', async () => {
      // Prepare
      const value = await freshUser();
      sim.setBehaviour({ rateLimitRetryAfter: true });
      sim.setRateLimit({ requestsPerSecond: 0.5, burst: 1 });
      await run(value, 'SELECT 1');

      // Act
      const refused = await run(value, 'SELECT 1');

      // Assess
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('2');
    });
  });

  describe('faults and the request log', () => {
    it.each([
      [429, '000429'],
      [503, '000503'],
    ])('answers an injected %i once, then recovers', async (status, code) => {
      // Prepare
      const value = await freshUser();
      sim.injectFault({ match: { statementIncludes: 'select' }, kind: 'status', status });

      // Act
      const faulted = await run(value, 'SELECT 1');
      const next = await run(value, 'SELECT 1');

      // Assess
      expect(faulted).toMatchObject({ status, body: { code } });
      expect(next.status).toBe(200);
    });

    it('serves a non-JSON page, resets the socket, or hangs when told to', async () => {
      // Prepare
      const value = await freshUser();
      sim.injectFault({ match: { method: 'POST' }, kind: 'malformed' });
      sim.injectFault({ match: { method: 'POST' }, kind: 'reset' });
      sim.injectFault({ match: { method: 'POST' }, kind: 'hang' });

      // Act
      const malformed = await run(value, 'SELECT 1');
      const reset = await run(value, 'SELECT 1').catch((e: unknown) => e);
      const hung = await fetch(`${sim.baseUrl}/api/v2/statements`, {
        method: 'POST',
        signal: AbortSignal.timeout(200),
        body: '{}',
      }).catch((e: unknown) => e);

      // Assess
      expect(malformed.body.text).toMatch(/^<html>/);
      expect(reset).toBeInstanceOf(TypeError);
      expect((hung as Error).name).toBe('TimeoutError');
    });

    it('logs method, path, status and statement summary, never a JWT or key material', async () => {
      // Prepare
      const value = await freshUser();
      const other = await freshUser(1);
      sim.clearRequests();

      // Act
      await run(value, `ALTER USER ${value.user} SET RSA_PUBLIC_KEY_2 = '${publicBase64(other)}'`);

      // Assess
      const log = sim.requests();
      expect(log).toEqual([
        {
          method: 'POST',
          path: '/api/v2/statements',
          status: 200,
          statement: `ALTER USER ${value.user} SET RSA_PUBLIC_KEY_2 = '…'`,
        },
      ]);
      expect(JSON.stringify(log)).not.toContain(publicBase64(other).slice(0, 40));
    });
  });

  describe('probe', () => {
    it('creates fresh users whose key logs in, counts live keys and moves the clock', async () => {
      // Prepare
      const { value, metadata } = await sim.probe.freshSecret();
      const jwt = jwtFor(value as SnowflakeSecret);

      // Act
      const authenticates = await sim.probe.authenticates(value);
      const live = await sim.probe.liveCredentials(value);
      sim.probe.advanceTime(2 * 3600_000);

      // Assess
      expect(metadata).toEqual({});
      expect(authenticates).toBe(true);
      expect(live).toBe(1);
      expect((await call('SELECT 1', { jwt })).status).toBe(401);
      expect(await sim.probe.authenticates({ ...value, privateKey: sim.seed.privateKey })).toBe(false);
    });

    it('prints a seed that is a valid secret value for its demo user', async () => {
      // Act
      const result = await run({ ...sim.seed }, 'SELECT 1');

      // Assess
      expect(result.status).toBe(200);
      expect(sim.seed.baseUrl).toBe(sim.baseUrl);
    });
  });
});
