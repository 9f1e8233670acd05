/**
 * The SQL API client, the SQL builders, the key helpers and the manifest, against the simulator
 * over HTTP where a server is involved.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  CredentialRejectedError,
  InternalError,
  InvalidConfigurationError,
  PartnerUnavailableError,
  PermissionDeniedError,
  ThrottledError,
} from '../../../src/engine/errors.ts';
import { createPartnerHttpClient } from '../../../src/runtime/egress-http.ts';
import { assertValid, compileSchema } from '../../../src/runtime/validation.ts';
import { type SnowflakeApiOptions, SnowflakeSqlApi, slotsFromDescribe } from '../api.ts';
import { classifySnowflakeError, SnowflakeResponseError } from '../errors.ts';
import { SNOWFLAKE_HOSTS, SNOWFLAKE_TYPE } from '../hosts.ts';
import { jwtAccount } from '../jwt.ts';
import { checkKeyPair, fingerprint, generateRsaKeyPair, loadPrivateKey, loadPublicKey } from '../keys.ts';
import manifest from '../manifest.ts';
import { createSnowflakeRotator } from '../rotator.ts';
import { SnowflakeSimulator } from '../simulator/index.ts';
import { describeUser, quoteUser, setPublicKey } from '../sql.ts';
import type { SnowflakeSecret } from '../types.ts';

let sim: SnowflakeSimulator;
let value: SnowflakeSecret;

beforeAll(async () => {
  sim = await SnowflakeSimulator.start();
  value = await sim.createUser('API_TEST_USER');
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.clearFaults();
  sim.setRateLimit(undefined);
  sim.setBehaviour({ rateLimitRetryAfter: false });
  sim.clearRequests();
});

function api(
  options: Partial<Pick<SnowflakeApiOptions, 'timeoutMs' | 'retries' | 'throttleRetry'>> = {},
  secret: SnowflakeSecret = value,
) {
  return new SnowflakeSqlApi({
    baseUrl: sim.baseUrl,
    account: secret.account,
    user: secret.user,
    privateKey: loadPrivateKey(secret),
    algorithm: 'RS256',
    now: () => sim.now(),
    pollIntervalMs: 1,
    ...options,
    http,
  });
}

/** The runtime's egress-guarded client, as the engine hands it to hooks in simulator mode. */
const http = createPartnerHttpClient({
  partner: SNOWFLAKE_TYPE,
  allowedHosts: SNOWFLAKE_HOSTS,
  simulatorMode: true,
});

describe('Class: SnowflakeSqlApi', () => {
  it('reads both key slots with DESC USER', async () => {
    // Act
    const slots = await api().slots();

    // Assess
    expect(slots).toEqual({
      RSA_PUBLIC_KEY: fingerprint(loadPrivateKey(value)),
      RSA_PUBLIC_KEY_2: undefined,
    });
  });

  it('resubmits a statement refused with 429 after the Retry-After it was given, under the same requestId', async () => {
    // Prepare
    sim.setBehaviour({ rateLimitRetryAfter: true });
    sim.setRateLimit({ requestsPerSecond: 0.5, burst: 1 });
    await api().execute('SELECT 1', 'SELECT 1');
    sim.clearRequests();
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      sim.advanceTime(ms); // the wait refills the simulator's bucket; nothing really sleeps
    };

    // Act
    const result = await api({ throttleRetry: { sleep } }).execute('SELECT 1', 'SELECT 1');

    // Assess
    expect(result.data).toEqual([['1']]);
    expect(waits).toEqual([2000]);
    const [refused, resubmitted] = sim.requests();
    expect(refused?.status).toBe(429);
    expect(resubmitted?.status).toBe(200);
    const requestIdOf = (path = '') => new URL(path, 'http://x').searchParams.get('requestId');
    expect(requestIdOf(resubmitted?.path)).toBe(requestIdOf(refused?.path));
    expect(resubmitted?.path).toContain('retry=true');
  });

  it('gives up with throttled once its retries are spent', async () => {
    // Prepare
    sim.setRateLimit({ requestsPerSecond: 0.001, burst: 1 });
    await api().execute('SELECT 1', 'SELECT 1');
    const sleep = async () => {};

    // Act
    const error = await api({ throttleRetry: { sleep, retries: 2 } })
      .execute('SELECT 1', 'SELECT 1')
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ThrottledError);
    expect(sim.requests().filter((r) => r.status === 429)).toHaveLength(3);
  });

  it('follows a 202 to the result', async () => {
    // Prepare
    sim.setBehaviour({ respondAsync: true });

    // Act
    const result = await api().execute('SELECT 1', 'SELECT 1');
    sim.setBehaviour({ respondAsync: false });

    // Assess
    expect(result.data).toEqual([['1']]);
  });

  it('resubmits once after a 503 with the same requestId and retry=true', async () => {
    // Prepare
    sim.injectFault({ match: { statementIncludes: 'SELECT 1' }, kind: 'status', status: 503 });
    sim.clearRequests();

    // Act
    await api().execute('SELECT 1', 'SELECT 1');

    // Assess
    const [first, second] = sim.requests();
    const id = new URL(first!.path, sim.baseUrl).searchParams.get('requestId');
    expect(first!.status).toBe(503);
    expect(second!.path).toBe(`/api/v2/statements?requestId=${id}&retry=true`);
    expect(second!.status).toBe(200);
  });

  it.each([
    ['a 503 twice', { kind: 'status', status: 503, times: 2 }, PartnerUnavailableError],
    ['a 408', { kind: 'status', status: 408 }, PartnerUnavailableError],
    ['a 403', { kind: 'status', status: 403 }, PermissionDeniedError],
    ['a 401', { kind: 'status', status: 401 }, CredentialRejectedError],
    ['a non-JSON page', { kind: 'malformed' }, PartnerUnavailableError],
    ['a reset socket twice', { kind: 'reset', times: 2 }, PartnerUnavailableError],
    ['a 422 execution failure', { kind: 'status', status: 422 }, ConflictError],
  ] as const)('maps %s onto its category', async (_name, fault, type) => {
    // Prepare
    sim.injectFault({ match: { method: 'POST' }, ...fault });

    // Act
    const error = await api()
      .execute('SELECT 1', 'SELECT 1')
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(type);
  });

  it('gives up on a hanging answer after its timeout with partner-unavailable', async () => {
    // Prepare
    sim.injectFault({ match: { method: 'POST' }, kind: 'hang' });

    // Act
    const error = await api({ timeoutMs: 200, retries: 0 })
      .execute('SELECT 1', 'SELECT 1')
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PartnerUnavailableError);
  });

  it('maps a syntax error to internal and insufficient privileges to permission-denied', async () => {
    // Prepare
    const other = await sim.createUser('API_OTHER_USER');

    // Act
    const syntax = await api()
      .execute('SELEC 1', 'bad')
      .catch((e: unknown) => e);
    const denied = await api()
      .execute(describeUser(other.user), 'DESC USER')
      .catch((e: unknown) => e);

    // Assess
    expect(syntax).toBeInstanceOf(InternalError);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
  });
});

describe('Function: classifySnowflakeError', () => {
  it('maps 404 to invalid-configuration naming the account, 429 to throttled', () => {
    // Act
    const notFound = classifySnowflakeError(new SnowflakeResponseError(404, {}), 'x');
    const throttled = classifySnowflakeError(new SnowflakeResponseError(429, {}), 'x');

    // Assess
    expect(notFound).toBeInstanceOf(InvalidConfigurationError);
    expect((notFound as InvalidConfigurationError).field).toBe('account');
    expect(throttled.category).toBe('throttled');
  });
});

describe('Function: slotsFromDescribe', () => {
  it('reads property and value columns case-insensitively, treating null as empty', () => {
    // Act
    const slots = slotsFromDescribe({
      resultSetMetaData: { rowType: [{ name: 'Value' }, { name: 'PROPERTY' }] },
      data: [
        ['SHA256:abc=', 'rsa_public_key_fp'],
        ['null', 'RSA_PUBLIC_KEY_2_FP'],
      ],
    });

    // Assess
    expect(slots).toEqual({ RSA_PUBLIC_KEY: 'SHA256:abc=', RSA_PUBLIC_KEY_2: undefined });
  });
});

describe('Function: quoteUser', () => {
  it.each([
    ['svc_loader', '"SVC_LOADER"'],
    ['etl@example.com', '"etl@example.com"'],
    ['Mixed.Case', '"Mixed.Case"'],
  ])('quotes %s as %s', (user, quoted) => {
    expect(quoteUser(user)).toBe(quoted);
  });

  it.each(['a"b', "a'b", 'a b', 'a;b', '', 'x'.repeat(256)])('refuses %j', (user) => {
    expect(() => quoteUser(user)).toThrow(InvalidConfigurationError);
  });

  it('refuses to put anything but base64 into ALTER USER SET', () => {
    expect(() => setPublicKey('svc', 'RSA_PUBLIC_KEY', "abc'; DROP USER x; --")).toThrow(
      InvalidConfigurationError,
    );
  });
});

describe('Function: checkKeyPair', () => {
  it('refuses a key shorter than 2048 bits, naming the field', () => {
    // Prepare
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const secret = {
      ...value,
      privateKey: small.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      publicKey: small.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    };

    // Act
    const error = (() => {
      try {
        checkKeyPair(secret);
      } catch (e) {
        return e;
      }
    })();

    // Assess
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as InvalidConfigurationError).field).toBe('privateKey');
  });

  it('reads an encrypted key with its passphrase, and names passphrase when it is wrong or missing', async () => {
    // Prepare
    const pair = await generateRsaKeyPair({ encrypt: true });
    const secret = { ...value, ...pair };

    // Act
    const ok = checkKeyPair(secret).fingerprint;
    const wrong = (() => {
      try {
        loadPrivateKey({ ...secret, passphrase: 'not-it' });
      } catch (e) {
        return e as InvalidConfigurationError;
      }
    })();
    const missing = (() => {
      try {
        loadPrivateKey({ privateKey: pair.privateKey });
      } catch (e) {
        return e as InvalidConfigurationError;
      }
    })();

    // Assess
    expect(ok).toBe(fingerprint(loadPublicKey(pair.publicKey)));
    expect(wrong?.field).toBe('passphrase');
    expect(missing?.field).toBe('passphrase');
    expect(wrong?.message).not.toContain('not-it');
  });
});

describe('Function: jwtAccount', () => {
  it.each([
    ['xy12345.us-east-2.aws', 'XY12345'],
    ['myorg-acct', 'MYORG-ACCT'],
    ['myorg-acct.privatelink', 'MYORG-ACCT'],
  ])('turns %s into %s', (account, expected) => {
    expect(jwtAccount(account)).toBe(expected);
  });
});

describe('Partner manifest: SnowflakeKeyPairAuthentication', () => {
  it('has strict schemas, a valid demo secret and an egress target derived from the account', () => {
    // Prepare
    const demo = manifest.demoSecret?.(sim.seed);

    // Act
    const targets = manifest.egress.targets({ ...value, account: 'xy12345.us-east-2.aws' });

    // Assess
    expect(() => compileSchema(manifest.secretSchema)).not.toThrow();
    expect(() => assertValid(manifest.secretSchema, demo?.value, 'demo value')).not.toThrow();
    expect(() => assertValid(manifest.metadataSchema, demo?.metadata, 'demo metadata')).not.toThrow();
    expect(() => assertValid(manifest.metadataSchema, { encryptPrivateKey: true }, 'metadata')).toThrow(
      /encryptPrivateKey/,
    );
    expect(targets).toEqual([
      { field: 'account', url: 'https://xy12345.us-east-2.aws.snowflakecomputing.com' },
    ]);
    expect(manifest.sensitiveFields).toEqual(['privateKey', 'passphrase']);
  });
});

describe('Function: createSnowflakeRotator', () => {
  it('never revokes the key AWSCURRENT holds, and discards a key that is already gone as a no-op (I5)', async () => {
    // Prepare
    const rotator = createSnowflakeRotator();
    const hook = { ...context, simulatorMode: true, simulatorUrl: sim.baseUrl };
    const gone = { ...value, ...(await sim.createUser('API_GONE_USER')) };
    const before = sim.slots(value.account, value.user);
    sim.clearRequests();

    // Act
    const same = await rotator.revoke({ previous: value, current: value }, hook);
    await rotator.discard({ current: value, pending: { ...value, publicKey: gone.publicKey } }, hook);

    // Assess
    expect(same).toEqual({ revoked: false });
    expect(sim.slots(value.account, value.user)).toEqual(before);
    expect(sim.requests().some((r) => r.statement?.includes('UNSET'))).toBe(false);
  });

  it('sends every request through the injected HTTP client, and preflight changes nothing', async () => {
    // Prepare
    const seen: string[] = [];
    const rotator = createSnowflakeRotator({
      http: {
        fetch: (input, init) => {
          seen.push(String(input));
          return http.fetch(input, init);
        },
      },
    });
    const before = sim.slots(value.account, value.user);

    // Act
    const checks = await rotator.preflight?.(
      { current: value },
      { ...context, simulatorMode: true, simulatorUrl: sim.baseUrl },
    );

    // Assess
    expect(checks?.map((c) => [c.name, c.ok])).toEqual([
      ['authenticate', true],
      ['slot', true],
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(new RegExp(`^${sim.baseUrl}/api/v2/statements\\?requestId=`));
    expect(sim.slots(value.account, value.user)).toEqual(before);
  });

  const context = {
    secretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:x',
    token: 't',
    metadata: {},
    lastRotatedAt: undefined,
    gracePeriodSeconds: 0,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    now: () => new Date(),
    readSecret: async () => ({}),
    http,
  };

  it.each([
    [
      'a metadata address as simulator URL',
      { simulatorMode: true, simulatorUrl: 'http://169.254.169.254' },
      'simulatorUrl',
    ],
    [
      'a private address as simulator URL',
      { simulatorMode: true, simulatorUrl: 'http://10.0.0.7:8080' },
      'simulatorUrl',
    ],
    [
      'a simulator URL off the allowed hosts',
      { simulatorMode: true, simulatorUrl: 'https://example.com' },
      'simulatorUrl',
    ],
  ])('refuses %s before any request (I8)', async (_name, mode, field) => {
    // Prepare
    const rotator = createSnowflakeRotator({ timeoutMs: 1000, retries: 0 });
    sim.clearRequests();

    // Act
    const error = await rotator.test({ pending: value }, { ...context, ...mode }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as InvalidConfigurationError).field).toBe(field);
    expect(sim.requests()).toEqual([]);
  });
});
