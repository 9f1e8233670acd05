import { Connection } from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SalesforceSimulator,
  type SalesforceSimulatorOptions,
  startSalesforceSimulator,
} from '../simulator/index.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

interface TokenBody {
  access_token: string;
  signature: string;
  token_format: string;
  instance_url: string;
  id: string;
  token_type: string;
  issued_at: string;
  scope: string;
}
interface OAuthErrorBody {
  error: string;
  error_description: string;
}
interface RestErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}
interface StagedItem {
  createdBy: string;
  createdDate: string;
  expirationDate: string;
  id: string;
  key: string;
  secret: string;
  stagedCredentialsUrl: string;
  state: 'Active' | 'Expired' | 'Rotated';
  url: string;
}
interface StagedCollection {
  stagedCredentials: StagedItem[];
  url: string;
}
interface ConsumerBody {
  id: string;
  key?: string;
  name: string;
  secret?: string;
  stagedCredentialsUrl: string;
  url: string;
}
interface ConsumerList {
  consumers: ConsumerBody[];
  currentPageUrl: string;
  nextPageUrl: string | null;
}
interface UsagePage {
  apps: { identifier: string; developerName: string; label: string }[];
  currentPageUrl: string;
  nextPageUrl: string | null;
}
interface ApiResult<T> {
  status: number;
  body: T;
  headers: Headers;
}

let sim: SalesforceSimulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options?: SalesforceSimulatorOptions): Promise<SalesforceSimulator> {
  sim = await SalesforceSimulator.start(options);
  return sim;
}

function simulator(): SalesforceSimulator {
  if (!sim) throw new Error('simulator not started');
  return sim;
}

function tokenCall(params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${simulator().baseUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
}

function grant(key: string, secret: string): Promise<Response> {
  return tokenCall({ grant_type: 'client_credentials', client_id: key, client_secret: secret });
}

async function tokenFor(key: string, secret: string): Promise<string> {
  const res = await grant(key, secret);
  expect(res.status).toBe(200);
  return ((await res.json()) as TokenBody).access_token;
}

/** A token from the admin ECA, the usual caller of the credentials API. */
function adminToken(): Promise<string> {
  const { admin } = simulator().seed;
  return tokenFor(admin.consumerKey, admin.consumerSecret);
}

async function api<T>(
  token: string | undefined,
  method: string,
  path: string,
  body?: string,
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${simulator().baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** `/services/data/v{version}/apps/oauth/credentials/{appId}/{consumerId}` of the rotated app. */
function consumerPath(version = '65.0'): string {
  const { appId, consumerId } = simulator().seed;
  return `/services/data/v${version}/apps/oauth/credentials/${appId}/${consumerId}`;
}

function stagedPath(version = '65.0'): string {
  return `${consumerPath(version)}/staged`;
}

async function stage(token: string): Promise<StagedItem> {
  const res = await api<StagedCollection>(token, 'POST', stagedPath(), '{}');
  expect(res.status).toBe(201);
  const item = res.body.stagedCredentials[0];
  if (!item) throw new Error('no staged item returned');
  return item;
}

describe('Class: SalesforceSimulator', () => {
  describe('Method: start', () => {
    it('serves on 127.0.0.1 and seeds an org with a target app and an admin app', async () => {
      // Prepare & Act
      const { seed, baseUrl } = await start();

      // Assess
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(seed.baseUri).toBe(baseUrl);
      expect(seed.apiVersion).toBe('v65.0');
      expect(seed.orgId).toMatch(/^00D[0-9A-Za-z]{15}$/);
      expect(seed.runAsUserId).toMatch(/^005[0-9A-Za-z]{15}$/);
      for (const app of [seed, seed.admin]) {
        expect(app.appId).toMatch(/^0xI[0-9A-Za-z]{15}$/);
        expect(app.consumerId).toHaveLength(18);
        expect(app.consumerKey).toMatch(/^3MVG9[0-9A-Za-z._]{80}$/);
        expect(app.consumerSecret).toMatch(/^[0-9A-F]{64}$/);
      }
      expect(seed.admin.appId).not.toBe(seed.appId);
    });

    it('derives the same ids and keys from the same seed', async () => {
      // Prepare
      const first = await startSalesforceSimulator({ seed: 'fixed' });
      const second = await startSalesforceSimulator({ seed: 'fixed' });

      // Act
      const [a, b] = [first.seed, second.seed];
      await Promise.all([first.close(), second.close()]);

      // Assess
      expect({ ...a, baseUri: '' }).toEqual({ ...b, baseUri: '' });
    });

    it('lists the primary pairs of both apps as live credentials', async () => {
      // Prepare
      const { seed } = await start();

      // Act
      const live = simulator().liveCredentials();

      // Assess
      expect(live).toEqual([
        { appId: seed.appId, consumerId: seed.consumerId, key: seed.consumerKey, kind: 'primary' },
        {
          appId: seed.admin.appId,
          consumerId: seed.admin.consumerId,
          key: seed.admin.consumerKey,
          kind: 'primary',
        },
      ]);
    });
  });

  describe('Endpoint: POST /services/oauth2/token', () => {
    it('grants a token for the primary pair with the documented body', async () => {
      // Prepare
      const { seed, baseUrl } = await start();

      // Act
      const res = await grant(seed.consumerKey, seed.consumerSecret);

      // Assess
      expect(res.status).toBe(200);
      const body = (await res.json()) as TokenBody;
      expect(body).toEqual({
        access_token: expect.stringMatching(new RegExp(`^${seed.orgId.slice(0, 15)}![0-9A-Za-z._]+$`)),
        signature: expect.any(String),
        scope: 'api',
        instance_url: baseUrl,
        id: `https://login.salesforce.com/id/${seed.orgId}/${seed.runAsUserId}`,
        token_type: 'Bearer',
        issued_at: expect.stringMatching(/^\d{13}$/),
        token_format: 'opaque',
      });
    });

    it('accepts the client secret in an HTTP Basic header', async () => {
      // Prepare
      const { seed } = await start();
      const basic = Buffer.from(`${seed.consumerKey}:${seed.consumerSecret}`).toString('base64');

      // Act
      const res = await tokenCall({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });

      // Assess
      expect(res.status).toBe(200);
    });

    it('refuses HTTP Basic when the acceptBasicAuth option is off', async () => {
      // Prepare
      const { seed } = await start({ behaviour: { acceptBasicAuth: false } });
      const basic = Buffer.from(`${seed.consumerKey}:${seed.consumerSecret}`).toString('base64');

      // Act
      const res = await tokenCall({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });

      // Assess
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_client_id',
        error_description: 'client identifier invalid',
      });
    });

    it('grants tokens for the Active staged pair and, after rotation, for the Rotated pair', async () => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();
      const staged = await stage(token);

      // Act
      const stagedGrant = await grant(staged.key, staged.secret);
      await api(token, 'PATCH', `${stagedPath()}/${staged.id}`, '{"command":"rotate"}');
      const rotatedGrant = await grant(seed.consumerKey, seed.consumerSecret);
      const newPrimaryGrant = await grant(staged.key, staged.secret);

      // Assess
      expect([stagedGrant.status, rotatedGrant.status, newPrimaryGrant.status]).toEqual([200, 200, 200]);
    });

    it('answers 400 invalid_client_id for an unknown or missing client id', async () => {
      // Prepare
      await start();

      // Act
      const unknown = await grant('3MVG9unknown', 'whatever');
      const missing = await tokenCall({ grant_type: 'client_credentials' });

      // Assess
      for (const res of [unknown, missing]) {
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({
          error: 'invalid_client_id',
          error_description: 'client identifier invalid',
        });
      }
    });

    it('answers 400 invalid_client for a wrong secret', async () => {
      // Prepare
      const { seed } = await start();

      // Act
      const res = await grant(seed.consumerKey, 'F'.repeat(64));

      // Assess
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_client',
        error_description: 'invalid client credentials',
      });
    });

    it('uses the configured status and text for a wrong secret', async () => {
      // Prepare
      const { seed } = await start({
        behaviour: { wrongSecretError: { status: 401, error: 'invalid_client', description: 'bad secret' } },
      });

      // Act
      const res = await grant(seed.consumerKey, 'nope');

      // Assess
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'bad secret' });
    });

    it('answers unsupported_grant_type for any other grant', async () => {
      // Prepare
      const { seed } = await start();

      // Act
      const res = await tokenCall({
        grant_type: 'password',
        client_id: seed.consumerKey,
        client_secret: 'x',
      });

      // Assess
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'unsupported_grant_type',
        error_description: 'grant type not supported',
      });
    });

    it('answers invalid_grant when the app has client credentials turned off', async () => {
      // Prepare
      const { seed } = await start();
      simulator().setClientCredentialsEnabled(seed.appId, false);

      // Act
      const res = await grant(seed.consumerKey, seed.consumerSecret);

      // Assess
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'no client credentials user enabled',
      });
    });

    it('answers invalid_request to anything but POST', async () => {
      // Prepare
      await start();

      // Act
      const res = await fetch(`${simulator().baseUrl}/services/oauth2/token`);

      // Assess
      expect(res.status).toBe(400);
      expect(((await res.json()) as OAuthErrorBody).error).toBe('invalid_request');
    });

    it('revokes a token through /services/oauth2/revoke', async () => {
      // Prepare
      await start();
      const token = await adminToken();

      // Act
      const res = await fetch(`${simulator().baseUrl}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
      const after = await api(token, 'GET', consumerPath());

      // Assess
      expect(res.status).toBe(200);
      expect(after.status).toBe(401);
    });
  });

  describe('Bearer and version checks on /services/data', () => {
    const invalidSession = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

    it('answers 401 INVALID_SESSION_ID without a token or with an unknown one', async () => {
      // Prepare
      await start();

      // Act
      const missing = await api(undefined, 'GET', consumerPath());
      const unknown = await api('00Dxx!unknown', 'GET', consumerPath());

      // Assess
      expect([missing.status, unknown.status]).toEqual([401, 401]);
      expect(missing.body).toEqual(invalidSession);
      expect(unknown.body).toEqual(invalidSession);
    });

    it('expires tokens after the two-hour session lifetime', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      simulator().advanceTime(2 * HOUR_MS + 1000);

      // Act
      const res = await api(token, 'GET', consumerPath());

      // Assess
      expect(res.status).toBe(401);
      expect(res.body).toEqual(invalidSession);
    });

    it('invalidates every issued token on expireAllTokens, and a new grant works again', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      simulator().expireAllTokens();

      // Act
      const stale = await api(token, 'GET', consumerPath());
      const fresh = await api(await adminToken(), 'GET', consumerPath());

      // Assess
      expect(stale.status).toBe(401);
      expect(fresh.status).toBe(200);
    });

    it.each(['v65', '65.0', 'v99.0', 'vX.0'])(
      'answers 404 NOT_FOUND for version segment %s',
      async (segment) => {
        // Prepare
        const { appId } = (await start()).seed;
        const token = await adminToken();

        // Act
        const res = await api(token, 'GET', `/services/data/${segment}/apps/oauth/credentials/${appId}`);

        // Assess
        expect(res.status).toBe(404);
        expect(res.body).toEqual([
          { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
        ]);
      },
    );

    it('rejects staged routes below v65.0 but serves the primary credentials at v64.0', async () => {
      // Prepare
      await start();
      const token = await adminToken();

      // Act
      const staged = await api<RestErrorBody[]>(token, 'GET', stagedPath('64.0'));
      const primary = await api<ConsumerBody>(token, 'GET', consumerPath('64.0'));

      // Assess
      expect(staged.status).toBe(404);
      expect(staged.body[0]?.errorCode).toBe('NOT_FOUND');
      expect(primary.status).toBe(200);
      expect(primary.body.url).toBe(consumerPath('64.0'));
    });

    it('answers a too-low version with the configured error', async () => {
      // Prepare
      await start({
        behaviour: { versionTooLowError: { status: 400, errorCode: 'API_VERSION', message: 'x' } },
      });
      const token = await adminToken();

      // Act
      const res = await api(token, 'POST', stagedPath('62.0'), '{}');

      // Assess
      expect(res.status).toBe(400);
      expect(res.body).toEqual([{ message: 'x', errorCode: 'API_VERSION' }]);
    });

    it('lists the served versions without a session', async () => {
      // Prepare
      await start();

      // Act
      const res = await api<{ version: string }[]>(undefined, 'GET', '/services/data');

      // Assess
      expect(res.status).toBe(200);
      expect(res.body.map((entry) => entry.version)).toContain('65.0');
    });
  });

  describe('Endpoint: GET /apps/oauth/usage', () => {
    it('pages through the apps with currentPageUrl and nextPageUrl', async () => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();
      const first = '/services/data/v65.0/apps/oauth/usage?page=0&pageSize=1';

      // Act
      const page0 = await api<UsagePage>(token, 'GET', first);
      const page1 = await api<UsagePage>(token, 'GET', page0.body.nextPageUrl ?? '');

      // Assess
      expect(page0.body).toEqual({
        apps: [{ identifier: seed.appId, developerName: 'Rotor_Target_App', label: 'Rotor Target App' }],
        currentPageUrl: first,
        nextPageUrl: '/services/data/v65.0/apps/oauth/usage?page=1&pageSize=1',
      });
      expect(page1.body.apps.map((app) => app.identifier)).toEqual([seed.admin.appId]);
      expect(page1.body.nextPageUrl).toBeNull();
    });

    it('returns every app on one page by default, including added ones', async () => {
      // Prepare
      await start();
      const extra = simulator().addApp('Extra_App');
      const token = await adminToken();

      // Act
      const res = await api<UsagePage>(token, 'GET', '/services/data/v65.0/apps/oauth/usage');

      // Assess
      expect(res.body.apps).toHaveLength(3);
      expect(res.body.apps[2]).toEqual({
        identifier: extra.appId,
        developerName: 'Extra_App',
        label: 'Extra App',
      });
      expect(res.body.nextPageUrl).toBeNull();
    });

    it('answers 400 to an invalid pageSize', async () => {
      // Prepare
      await start();
      const token = await adminToken();

      // Act
      const res = await api<RestErrorBody[]>(
        token,
        'GET',
        '/services/data/v65.0/apps/oauth/usage?pageSize=0',
      );

      // Assess
      expect(res.status).toBe(400);
      expect(res.body[0]?.errorCode).toBe('ILLEGAL_QUERY_PARAMETER_VALUE');
    });
  });

  describe('Endpoint: GET /apps/oauth/credentials', () => {
    it('lists the consumers of an app without secrets, by the 15- or 18-character app id', async () => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();

      // Act
      const by18 = await api<ConsumerList>(
        token,
        'GET',
        `/services/data/v65.0/apps/oauth/credentials/${seed.appId}`,
      );
      const by15 = await api<ConsumerList>(
        token,
        'GET',
        `/services/data/v65.0/apps/oauth/credentials/${seed.appId.slice(0, 15)}`,
      );

      // Assess
      expect(by18.status).toBe(200);
      expect(by18.body).toEqual({
        consumers: [
          {
            id: seed.consumerId,
            key: seed.consumerKey,
            name: 'Rotor_Target_App_oauth',
            stagedCredentialsUrl: stagedPath(),
            url: consumerPath(),
          },
        ],
        currentPageUrl: `/services/data/v65.0/apps/oauth/credentials/${seed.appId}`,
        nextPageUrl: null,
      });
      expect(by15.body).toEqual(by18.body);
      expect(JSON.stringify(by18.body)).not.toContain(seed.consumerSecret);
    });

    it('answers 404 NOT_FOUND for an unknown app or consumer', async () => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();

      // Act
      const app = await api<RestErrorBody[]>(
        token,
        'GET',
        '/services/data/v65.0/apps/oauth/credentials/0xI000000000000',
      );
      const consumer = await api<RestErrorBody[]>(
        token,
        'GET',
        `/services/data/v65.0/apps/oauth/credentials/${seed.appId}/0Hn000000000000`,
      );

      // Assess
      expect([app.status, consumer.status]).toEqual([404, 404]);
      expect(app.body[0]?.errorCode).toBe('NOT_FOUND');
    });

    it.each([
      ['', { key: true, secret: false }],
      ['?part=key', { key: true, secret: false }],
      ['?part=secret', { key: false, secret: true }],
      ['?part=keyandsecret', { key: true, secret: true }],
    ])('returns the primary pair parts for "%s"', async (query, expected) => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();

      // Act
      const res = await api<ConsumerBody>(token, 'GET', `${consumerPath()}${query}`);

      // Assess
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(seed.consumerId);
      expect(res.body.key).toBe(expected.key ? seed.consumerKey : undefined);
      expect(res.body.secret).toBe(expected.secret ? seed.consumerSecret : undefined);
    });

    it('answers 400 to an unknown part', async () => {
      // Prepare
      await start();
      const token = await adminToken();

      // Act
      const res = await api<RestErrorBody[]>(token, 'GET', `${consumerPath()}?part=everything`);

      // Assess
      expect(res.status).toBe(400);
      expect(res.body[0]?.errorCode).toBe('ILLEGAL_QUERY_PARAMETER_VALUE');
    });

    it('answers 403 to secret reads and staged routes while the org REST secret setting is off', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      simulator().setRestSecretAccess(false);
      const expected = [
        {
          message:
            'Access to External Client App consumer secrets via REST API is not currently enabled for this org.',
          errorCode: 'FUNCTIONALITY_NOT_ENABLED',
        },
      ];

      // Act
      const secret = await api(token, 'GET', `${consumerPath()}?part=secret`);
      const both = await api(token, 'GET', `${consumerPath()}?part=keyandsecret`);
      const stagedGet = await api(token, 'GET', stagedPath());
      const stagedPost = await api(token, 'POST', stagedPath(), '{}');
      const keyOnly = await api(token, 'GET', `${consumerPath()}?part=key`);

      // Assess
      for (const res of [secret, both, stagedGet, stagedPost]) {
        expect(res.status).toBe(403);
        expect(res.body).toEqual(expected);
      }
      expect(keyOnly.status).toBe(200);
      expect(simulator().liveCredentials()).toHaveLength(2);
    });

    it('answers 403 INSUFFICIENT_ACCESS on every credentials route when the user lacks the permissions', async () => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();
      simulator().setUserPermissions(false);

      // Act
      const list = await api<RestErrorBody[]>(
        token,
        'GET',
        `/services/data/v65.0/apps/oauth/credentials/${seed.appId}`,
      );
      const key = await api<RestErrorBody[]>(token, 'GET', consumerPath());
      const staged = await api<RestErrorBody[]>(token, 'POST', stagedPath(), '{}');

      // Assess
      for (const res of [list, key, staged]) {
        expect(res.status).toBe(403);
        expect(res.body[0]?.errorCode).toBe('INSUFFICIENT_ACCESS');
      }
    });

    it('uses the configured errors for the setting and the permissions', async () => {
      // Prepare
      await start({
        behaviour: {
          restSecretAccessDisabledError: { status: 403, errorCode: 'API_DISABLED_FOR_ORG', message: 'off' },
          missingPermissionsError: {
            status: 403,
            errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
            message: 'no',
          },
        },
      });
      const token = await adminToken();

      // Act
      simulator().setRestSecretAccess(false);
      const setting = await api(token, 'GET', `${consumerPath()}?part=secret`);
      simulator().setUserPermissions(false);
      const permissions = await api(token, 'GET', consumerPath());

      // Assess
      expect(setting.body).toEqual([{ message: 'off', errorCode: 'API_DISABLED_FOR_ORG' }]);
      expect(permissions.body).toEqual([{ message: 'no', errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' }]);
    });

    it('answers 405 to a method the route does not serve', async () => {
      // Prepare
      await start();
      const token = await adminToken();

      // Act
      const res = await api<RestErrorBody[]>(token, 'PUT', stagedPath(), '{}');

      // Assess
      expect(res.status).toBe(405);
      expect(res.body[0]?.errorCode).toBe('METHOD_NOT_ALLOWED');
    });
  });

  describe('Staged credentials state machine', () => {
    it('starts with an empty staged list', async () => {
      // Prepare
      await start();
      const token = await adminToken();

      // Act
      const res = await api<StagedCollection>(token, 'GET', stagedPath());

      // Assess
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ stagedCredentials: [], url: stagedPath() });
    });

    it('answers 404 for an empty slot with the not-found option', async () => {
      // Prepare
      await start({ behaviour: { emptyStagedResponse: 'not-found' } });
      const token = await adminToken();

      // Act
      const res = await api<RestErrorBody[]>(token, 'GET', stagedPath());

      // Assess
      expect(res.status).toBe(404);
      expect(res.body[0]?.errorCode).toBe('NOT_FOUND');
    });

    it('POST mints an Active set with a new key and secret, valid 30 days, and both pairs authenticate', async () => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();

      // Act
      const res = await api<StagedCollection>(token, 'POST', stagedPath(), '{}');

      // Assess
      expect(res.status).toBe(201);
      const item = res.body.stagedCredentials[0];
      expect(res.body.stagedCredentials).toHaveLength(1);
      expect(item).toEqual({
        createdBy: seed.runAsUserId,
        createdDate: expect.any(String),
        expirationDate: expect.any(String),
        id: expect.stringMatching(/^[0-9A-Za-z]{18}$/),
        key: expect.stringMatching(/^3MVG9/),
        secret: expect.stringMatching(/^[0-9A-F]{64}$/),
        stagedCredentialsUrl: stagedPath(),
        state: 'Active',
        url: consumerPath(),
      });
      if (!item) return;
      expect(Date.parse(item.expirationDate) - Date.parse(item.createdDate)).toBe(30 * DAY_MS);
      expect(item.key).not.toBe(seed.consumerKey);
      expect(simulator().authenticates(seed.consumerKey, seed.consumerSecret)).toBe(true);
      expect(simulator().authenticates(item.key, item.secret)).toBe(true);
      expect(simulator().liveCredentials(seed.appId)).toEqual([
        { appId: seed.appId, consumerId: seed.consumerId, key: seed.consumerKey, kind: 'primary' },
        {
          appId: seed.appId,
          consumerId: seed.consumerId,
          key: item.key,
          kind: 'staged-active',
          stagedId: item.id,
          expiresAt: item.expirationDate,
        },
      ]);
    });

    it('GET of the collection and of the item return the staged set', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      const item = await stage(token);

      // Act
      const collection = await api<StagedCollection>(token, 'GET', stagedPath());
      const single = await api<StagedItem>(token, 'GET', `${stagedPath()}/${item.id}`);
      const by15 = await api<StagedItem>(token, 'GET', `${stagedPath()}/${item.id.slice(0, 15)}`);

      // Assess
      expect(collection.body).toEqual({ stagedCredentials: [item], url: stagedPath() });
      expect(single.body).toEqual(item);
      expect(by15.body).toEqual(item);
    });

    it('POST into an occupied slot answers 400 DUPLICATE_VALUE and keeps the set', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      const item = await stage(token);

      // Act
      const res = await api<RestErrorBody[]>(token, 'POST', stagedPath(), '{}');

      // Assess
      expect(res.status).toBe(400);
      expect(res.body[0]?.errorCode).toBe('DUPLICATE_VALUE');
      const after = await api<StagedCollection>(token, 'GET', stagedPath());
      expect(after.body.stagedCredentials).toEqual([item]);
    });

    it('POST into an occupied slot uses the configured error', async () => {
      // Prepare
      await start({
        behaviour: { occupiedSlotError: { status: 409, errorCode: 'CONFLICT', message: 'taken' } },
      });
      const token = await adminToken();
      await stage(token);

      // Act
      const res = await api(token, 'POST', stagedPath(), '{}');

      // Assess
      expect(res.status).toBe(409);
      expect(res.body).toEqual([{ message: 'taken', errorCode: 'CONFLICT' }]);
    });

    it('PATCH rotate swaps the pairs: the staged pair is primary, the old primary is Rotated and still live', async () => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();
      const item = await stage(token);

      // Act
      const res = await api<StagedItem>(token, 'PATCH', `${stagedPath()}/${item.id}`, '{"command":"rotate"}');

      // Assess
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...item,
        key: seed.consumerKey,
        secret: seed.consumerSecret,
        state: 'Rotated',
      });
      const primary = await api<ConsumerBody>(token, 'GET', `${consumerPath()}?part=keyandsecret`);
      expect(primary.body.key).toBe(item.key);
      expect(primary.body.secret).toBe(item.secret);
      expect(simulator().authenticates(seed.consumerKey, seed.consumerSecret)).toBe(true);
      expect(
        simulator()
          .liveCredentials(seed.appId)
          .map((live) => [live.key, live.kind]),
      ).toEqual([
        [item.key, 'primary'],
        [seed.consumerKey, 'rotated'],
      ]);
    });

    it('rotates the ECA whose own token makes the calls', async () => {
      // Prepare
      const { seed } = await start();
      const ownToken = await tokenFor(seed.consumerKey, seed.consumerSecret);
      const item = await stage(ownToken);

      // Act
      const rotated = await api(ownToken, 'PATCH', `${stagedPath()}/${item.id}`, '{"command":"rotate"}');
      const deleted = await api(ownToken, 'DELETE', `${stagedPath()}/${item.id}`);

      // Assess
      expect([rotated.status, deleted.status]).toEqual([200, 204]);
      expect(simulator().authenticates(seed.consumerKey, seed.consumerSecret)).toBe(false);
      expect((await grant(item.key, item.secret)).status).toBe(200);
    });

    it.each([
      ['{"command":"Rotate"}'],
      ['{"command":"rotate","force":true}'],
      ['{}'],
      ['["rotate"]'],
      ['command=rotate'],
    ])('PATCH with body %s answers 400 and changes nothing', async (body) => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();
      const item = await stage(token);

      // Act
      const res = await api<RestErrorBody[]>(token, 'PATCH', `${stagedPath()}/${item.id}`, body);

      // Assess
      expect(res.status).toBe(400);
      expect(['INVALID_API_INPUT', 'JSON_PARSER_ERROR']).toContain(res.body[0]?.errorCode);
      expect(
        simulator()
          .liveCredentials(seed.appId)
          .map((live) => live.kind),
      ).toEqual(['primary', 'staged-active']);
    });

    it('PATCH of a Rotated set answers 400', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      const item = await stage(token);
      await api(token, 'PATCH', `${stagedPath()}/${item.id}`, '{"command":"rotate"}');

      // Act
      const res = await api<RestErrorBody[]>(
        token,
        'PATCH',
        `${stagedPath()}/${item.id}`,
        '{"command":"rotate"}',
      );

      // Assess
      expect(res.status).toBe(400);
      expect(res.body[0]?.errorCode).toBe('INVALID_API_INPUT');
    });

    it('DELETE of the Rotated set answers 204 with no body and the old pair dies at once', async () => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();
      const item = await stage(token);
      await api(token, 'PATCH', `${stagedPath()}/${item.id}`, '{"command":"rotate"}');

      // Act
      const res = await fetch(`${simulator().baseUrl}${stagedPath()}/${item.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      });

      // Assess
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
      expect((await grant(seed.consumerKey, seed.consumerSecret)).status).toBe(400);
      const staged = await api<StagedCollection>(token, 'GET', stagedPath());
      expect(staged.body.stagedCredentials).toEqual([]);
    });

    it('DELETE of an Active set kills the staged pair; a second DELETE answers 404', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      const item = await stage(token);

      // Act
      const first = await api(token, 'DELETE', `${stagedPath()}/${item.id}`);
      const second = await api<RestErrorBody[]>(token, 'DELETE', `${stagedPath()}/${item.id}`);

      // Assess
      expect(first.status).toBe(204);
      expect(second.status).toBe(404);
      expect(second.body[0]?.errorCode).toBe('NOT_FOUND');
      expect(simulator().authenticates(item.key, item.secret)).toBe(false);
    });

    it('an Active set expires after 30 days, stops authenticating and keeps the slot until deleted', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      const item = await stage(token);

      // Act
      simulator().advanceTime(30 * DAY_MS - 60_000);
      const before = await grant(item.key, item.secret);
      simulator().advanceTime(2 * 60_000);
      const after = await grant(item.key, item.secret);

      // Assess
      expect(before.status).toBe(200);
      expect(after.status).toBe(400);
      expect(((await after.json()) as OAuthErrorBody).error).toBe('invalid_client_id');
      const fresh = await adminToken();
      const staged = await api<StagedCollection>(fresh, 'GET', stagedPath());
      expect(staged.body.stagedCredentials.map((set) => set.state)).toEqual(['Expired']);
      expect((await api(fresh, 'POST', stagedPath(), '{}')).status).toBe(400);
      expect((await api(fresh, 'DELETE', `${stagedPath()}/${item.id}`)).status).toBe(204);
      expect((await api(fresh, 'POST', stagedPath(), '{}')).status).toBe(201);
    });

    it('removes expired sets with the remove option', async () => {
      // Prepare
      await start({ behaviour: { expiredStaged: 'remove' } });
      const token = await adminToken();
      const item = await stage(token);
      simulator().advanceTime(31 * DAY_MS);
      const fresh = await adminToken();

      // Act
      const staged = await api<StagedCollection>(fresh, 'GET', stagedPath());
      const deleted = await api(fresh, 'DELETE', `${stagedPath()}/${item.id}`);

      // Assess
      expect(staged.body.stagedCredentials).toEqual([]);
      expect(deleted.status).toBe(404);
    });

    it('a Rotated set keeps the expiry counted from staging by default', async () => {
      // Prepare
      const { seed } = await start();
      const token = await adminToken();
      const item = await stage(token);
      simulator().advanceTime(10 * DAY_MS);
      const fresh = await adminToken();

      // Act
      const rotated = await api<StagedItem>(
        fresh,
        'PATCH',
        `${stagedPath()}/${item.id}`,
        '{"command":"rotate"}',
      );
      simulator().advanceTime(20 * DAY_MS + 1000);

      // Assess
      expect(rotated.body.expirationDate).toBe(item.expirationDate);
      expect(simulator().authenticates(seed.consumerKey, seed.consumerSecret)).toBe(false);
      expect(
        simulator()
          .liveCredentials(seed.appId)
          .map((live) => live.kind),
      ).toEqual(['primary']);
    });

    it('a Rotated set gets 30 days from rotation with the rotation option (on an injected clock)', async () => {
      // Prepare
      const stagedAt = Date.parse('2026-01-01T00:00:00.000Z');
      const { seed } = await start({
        now: () => new Date(stagedAt),
        behaviour: { rotatedExpiryFrom: 'rotation' },
      });
      const token = await adminToken();
      const item = await stage(token);
      simulator().advanceTime(10 * DAY_MS);
      const fresh = await adminToken();

      // Act
      const rotated = await api<StagedItem>(
        fresh,
        'PATCH',
        `${stagedPath()}/${item.id}`,
        '{"command":"rotate"}',
      );
      simulator().advanceTime(20 * DAY_MS + 1000);

      // Assess
      expect(item.createdDate).toBe('2026-01-01T00:00:00.000Z');
      expect(rotated.body.expirationDate).toBe('2026-02-10T00:00:00.000Z');
      expect(simulator().authenticates(seed.consumerKey, seed.consumerSecret)).toBe(true);
    });

    it('records a set staged by another user with that user as createdBy', async () => {
      // Prepare
      const { seed } = await start();
      simulator().addStagedSetByAnotherUser(seed.appId);
      const token = await adminToken();

      // Act
      const staged = await api<StagedCollection>(token, 'GET', stagedPath());
      const post = await api(token, 'POST', stagedPath(), '{}');

      // Assess
      const item = staged.body.stagedCredentials[0];
      expect(item?.state).toBe('Active');
      expect(item?.createdBy).toMatch(/^005/);
      expect(item?.createdBy).not.toBe(seed.runAsUserId);
      expect(post.status).toBe(400);
      expect(() => simulator().addStagedSetByAnotherUser(seed.appId)).toThrow(/occupied/);
    });

    it('honours the POST status, PATCH response, item URL and rotated id options', async () => {
      // Prepare
      await start({
        behaviour: {
          postStatus: 200,
          patchResponse: 'collection',
          stagedItemUrl: 'item',
          rotatedSetId: 'new',
        },
      });
      const token = await adminToken();

      // Act
      const post = await api<StagedCollection>(token, 'POST', stagedPath(), '{}');
      const item = post.body.stagedCredentials[0];
      const patch = await api<StagedCollection>(
        token,
        'PATCH',
        `${stagedPath()}/${item?.id}`,
        '{"command":"rotate"}',
      );

      // Assess
      expect(post.status).toBe(200);
      expect(item?.url).toBe(`${stagedPath()}/${item?.id}`);
      const rotated = patch.body.stagedCredentials[0];
      expect(rotated?.state).toBe('Rotated');
      expect(rotated?.id).not.toBe(item?.id);
      expect(rotated?.url).toBe(`${stagedPath()}/${rotated?.id}`);
    });

    it('answers 204 to PATCH with the no-content option', async () => {
      // Prepare
      await start({ behaviour: { patchResponse: 'no-content' } });
      const token = await adminToken();
      const item = await stage(token);

      // Act
      const res = await api(token, 'PATCH', `${stagedPath()}/${item.id}`, '{"command":"rotate"}');

      // Assess
      expect(res.status).toBe(204);
      expect(res.body).toBeNull();
    });

    it('resets a body-less POST after a hang when hangOnBodylessPost is on, but serves POST with {}', async () => {
      // Prepare
      await start();
      simulator().setBehaviour({ hangOnBodylessPost: true, bodylessPostResetAfterMs: 20 });
      const token = await adminToken();

      // Act
      // Settled into a value at once, so the reset cannot surface as an unhandled rejection.
      const bodyless = fetch(`${simulator().baseUrl}${stagedPath()}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      }).then(
        (res) => res.status,
        (error: unknown) => error,
      );
      const withBody = await api(token, 'POST', stagedPath(), '{}');

      // Assess
      expect(await bodyless).toBeInstanceOf(TypeError);
      expect(withBody.status).toBe(201);
      const stagedPosts = simulator()
        .requests()
        .filter((entry) => entry.path === stagedPath());
      expect(stagedPosts.map((entry) => entry.status).sort()).toEqual([0, 201]);
    });
  });

  describe('Method: injectFault', () => {
    it('answers a Salesforce-shaped 503 for the given number of matching requests', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      simulator().injectFault({
        match: { method: 'GET', pathIncludes: '/staged' },
        kind: 'status',
        times: 2,
      });

      // Act
      const first = await api(token, 'GET', stagedPath());
      const other = await api(token, 'GET', consumerPath());
      const second = await api(token, 'GET', stagedPath());
      const third = await api(token, 'GET', stagedPath());

      // Assess
      expect(first.status).toBe(503);
      expect(first.body).toEqual([
        {
          message: 'Server temporarily unavailable, please try again later.',
          errorCode: 'SERVER_UNAVAILABLE',
        },
      ]);
      expect([other.status, second.status, third.status]).toEqual([200, 503, 200]);
    });

    it('answers 429 on the token endpoint with an OAuth error body', async () => {
      // Prepare
      const { seed } = await start();
      simulator().injectFault({ match: { pathIncludes: '/oauth2/token' }, kind: 'status', status: 429 });

      // Act
      const res = await grant(seed.consumerKey, seed.consumerSecret);

      // Assess
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual({
        error: 'rate_limit_exceeded',
        error_description: 'rate limit exceeded',
      });
    });

    it('resets the socket', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      simulator().injectFault({ match: { method: 'POST' }, kind: 'reset' });

      // Act
      const call = api(token, 'POST', stagedPath(), '{}');

      // Assess
      await expect(call).rejects.toThrow(TypeError);
      expect(simulator().liveCredentials()).toHaveLength(2);
    });

    it('hangs until the client gives up', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      simulator().injectFault({ match: { pathIncludes: '/credentials/' }, kind: 'hang' });

      // Act
      const call = fetch(`${simulator().baseUrl}${consumerPath()}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(200),
      });

      // Assess
      await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(simulator().requests().at(-1)).toEqual({ method: 'GET', path: consumerPath(), status: 0 });
    });

    it('answers a non-JSON body', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      simulator().injectFault({ match: {}, kind: 'malformed' });

      // Act
      const res = await fetch(`${simulator().baseUrl}${consumerPath()}`, {
        headers: { authorization: `Bearer ${token}` },
      });

      // Assess
      expect(res.status).toBe(200);
      await expect(res.json()).rejects.toThrow(SyntaxError);
    });

    it('stops injecting after clearFaults', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      simulator().injectFault({ match: {}, kind: 'status', status: 500, times: 5 });
      simulator().clearFaults();

      // Act
      const res = await api(token, 'GET', consumerPath());

      // Assess
      expect(res.status).toBe(200);
    });
  });

  describe('Method: requests', () => {
    it('logs method, path and status in order, without token-endpoint query strings', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      await api(token, 'GET', `${consumerPath()}?part=key`);
      await api(undefined, 'GET', stagedPath());

      // Act
      const log = simulator().requests();

      // Assess
      expect(log).toEqual([
        { method: 'POST', path: '/services/oauth2/token', status: 200 },
        { method: 'GET', path: `${consumerPath()}?part=key`, status: 200 },
        { method: 'GET', path: stagedPath(), status: 401 },
      ]);
      simulator().clearRequests();
      expect(simulator().requests()).toEqual([]);
    });
  });

  describe('Endpoint: GET /limits', () => {
    it('reports API usage and sends Sforce-Limit-Info', async () => {
      // Prepare
      await start();
      const token = await adminToken();
      await api(token, 'GET', consumerPath());

      // Act
      const res = await api<{ DailyApiRequests: { Max: number; Remaining: number } }>(
        token,
        'GET',
        '/services/data/v65.0/limits',
      );

      // Assess
      expect(res.body.DailyApiRequests).toEqual({ Max: 15_000, Remaining: 14_998 });
      expect(res.headers.get('sforce-limit-info')).toBe('api-usage=2/15000');
    });

    it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily allocation is used', async () => {
      // Prepare
      await start({ behaviour: { dailyApiRequestLimit: 1 } });
      const token = await adminToken();
      await api(token, 'GET', consumerPath());

      // Act
      const res = await api<RestErrorBody[]>(token, 'GET', consumerPath());

      // Assess
      expect(res.status).toBe(403);
      expect(res.body[0]?.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    });
  });

  describe('Option: rateLimit', () => {
    /** A clock that moves only when the test says, so the bucket refills only then. */
    function frozenAt(iso: string) {
      const clock = { now: new Date(iso) };
      return { clock, now: () => clock.now };
    }

    it('answers REST requests past the org’s limit with 403 REQUEST_LIMIT_EXCEEDED, in Salesforce’s error shape', async () => {
      // Prepare
      const { now } = frozenAt('2026-03-01T00:00:00.000Z');
      await start({ now, rateLimit: { requestsPerSecond: 2 } });
      const token = await adminToken(); // one request of the two

      // Act
      const admitted = await api(token, 'GET', consumerPath());
      const refused = await api<RestErrorBody[]>(token, 'GET', consumerPath());

      // Assess
      expect(admitted.status).toBe(200);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toContain('application/json');
      expect(refused.body).toEqual([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
      expect(refused.headers.get('retry-after')).toBeNull();
    });

    it('answers token requests past the limit with 400 rate_limit_exceeded, as an OAuth error object', async () => {
      // Prepare
      const { now } = frozenAt('2026-03-01T00:00:00.000Z');
      const { admin } = (await start({ now, rateLimit: { requestsPerSecond: 1 } })).seed;
      await grant(admin.consumerKey, admin.consumerSecret);

      // Act
      const res = await grant(admin.consumerKey, admin.consumerSecret);

      // Assess
      expect(res.status).toBe(400);
      expect((await res.json()) as OAuthErrorBody).toEqual({
        error: 'rate_limit_exceeded',
        error_description: 'rate limit exceeded',
      });
    });

    it('refills on the simulator’s clock, and a refused request changes nothing and is not counted', async () => {
      // Prepare
      const { now } = frozenAt('2026-03-01T00:00:00.000Z');
      await start({ now, rateLimit: { requestsPerSecond: 2 } });
      const token = await adminToken();
      await api(token, 'GET', consumerPath());
      const refused = await api<RestErrorBody[]>(token, 'POST', stagedPath(), '{}');

      // Act
      simulator().advanceTime(1000);
      const staged = await api<StagedCollection>(token, 'POST', stagedPath(), '{}');
      const limits = await api<{ DailyApiRequests: { Max: number; Remaining: number } }>(
        token,
        'GET',
        '/services/data/v65.0/limits',
      );

      // Assess
      expect(refused.status).toBe(403);
      expect(staged.status).toBe(201);
      expect(staged.body.stagedCredentials).toHaveLength(1);
      expect(limits.body.DailyApiRequests.Max - limits.body.DailyApiRequests.Remaining).toBe(3);
    });

    it('says Retry-After when the behaviour asks for it (Not confirmed), and can be lifted', async () => {
      // Prepare
      const { now } = frozenAt('2026-03-01T00:00:00.000Z');
      await start({
        now,
        rateLimit: { requestsPerSecond: 0.5, burst: 1 },
        behaviour: { rateLimitRetryAfter: true },
      });
      const token = await adminToken();

      // Act
      const refused = await api<RestErrorBody[]>(token, 'GET', consumerPath());
      simulator().setRateLimit(undefined);
      const lifted = await api(token, 'GET', consumerPath());

      // Assess
      expect(refused.status).toBe(403);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(lifted.status).toBe(200);
    });

    it('refuses a rate limit that admits nothing, naming the field', async () => {
      // Act
      const starting = SalesforceSimulator.start({ rateLimit: { requestsPerSecond: 0 } });

      // Assess
      await expect(starting).rejects.toThrow(/rateLimit.requestsPerSecond must be a positive number/);
    });
  });

  describe('Compatibility: jsforce 3.10', () => {
    it('authorizes with client credentials and reads the consumer list', async () => {
      // Prepare
      const { seed, baseUrl } = await start();
      const conn = new Connection({
        oauth2: {
          clientId: seed.admin.consumerKey,
          clientSecret: seed.admin.consumerSecret,
          loginUrl: baseUrl,
        },
        version: '65.0',
      });

      // Act
      const userInfo = await conn.authorize({ grant_type: 'client_credentials' });
      const consumers = await conn.request<ConsumerList>({
        method: 'GET',
        url: `/services/data/v65.0/apps/oauth/credentials/${seed.appId}`,
      });

      // Assess
      expect(userInfo.organizationId).toBe(seed.orgId);
      expect(userInfo.id).toBe(seed.runAsUserId);
      expect(conn.instanceUrl).toBe(baseUrl);
      expect(consumers.consumers[0]?.id).toBe(seed.consumerId);
    });

    it('runs stage, rotate and delete through an instanceUrl/accessToken connection', async () => {
      // Prepare
      const { seed, baseUrl } = await start();
      const conn = new Connection({ instanceUrl: baseUrl, accessToken: await adminToken(), version: '65.0' });
      // A fresh object per call: jsforce writes Authorization and content-length into the one it is given.
      const json = () => ({ 'content-type': 'application/json' });

      // Act
      const posted = await conn.request<StagedCollection>({
        method: 'POST',
        url: stagedPath(),
        body: '{}',
        headers: json(),
      });
      const id = posted.stagedCredentials[0]?.id;
      const rotated = await conn.request<StagedItem>({
        method: 'PATCH',
        url: `${stagedPath()}/${id}`,
        body: JSON.stringify({ command: 'rotate' }),
        headers: json(),
      });
      const deleted = await conn.request({ method: 'DELETE', url: `${stagedPath()}/${id}` });

      // Assess
      expect(rotated.state).toBe('Rotated');
      expect(deleted).toBeUndefined();
      expect(
        simulator()
          .liveCredentials(seed.appId)
          .map((live) => live.kind),
      ).toEqual(['primary']);
    });

    it('surfaces REST errors as HttpApiError named by errorCode', async () => {
      // Prepare
      const { baseUrl } = await start();
      const conn = new Connection({ instanceUrl: baseUrl, accessToken: await adminToken(), version: '65.0' });
      simulator().setRestSecretAccess(false);

      // Act
      const forbidden = conn.request({ method: 'GET', url: `${consumerPath()}?part=secret` });

      // Assess
      await expect(forbidden).rejects.toMatchObject({ name: 'FUNCTIONALITY_NOT_ENABLED' });
      simulator().expireAllTokens();
      await expect(conn.request({ method: 'GET', url: consumerPath() })).rejects.toMatchObject({
        name: 'INVALID_SESSION_ID',
      });
    });

    it('re-authenticates after a 401 through a client-credentials refreshFn', async () => {
      // Prepare
      const { seed, baseUrl } = await start();
      const conn = new Connection({
        oauth2: {
          clientId: seed.admin.consumerKey,
          clientSecret: seed.admin.consumerSecret,
          loginUrl: baseUrl,
        },
        version: '65.0',
        refreshFn: (c, callback) => {
          c.oauth2
            .requestToken({ grant_type: 'client_credentials' })
            .then((res) => callback(null, res.access_token, res))
            .catch((error: Error) => callback(error));
        },
      });
      await conn.authorize({ grant_type: 'client_credentials' });
      simulator().expireAllTokens();

      // Act
      const detail = await conn.request<ConsumerBody>({ method: 'GET', url: consumerPath() });

      // Assess
      expect(detail.key).toBe(seed.consumerKey);
      expect(
        simulator()
          .requests()
          .map((entry) => entry.status),
      ).toEqual([200, 401, 200, 200]);
    });

    it('rejects a wrong secret with the OAuth error name', async () => {
      // Prepare
      const { seed, baseUrl } = await start();
      const conn = new Connection({
        oauth2: { clientId: seed.consumerKey, clientSecret: 'wrong', loginUrl: baseUrl },
        version: '65.0',
      });

      // Act
      const authorize = conn.authorize({ grant_type: 'client_credentials' });

      // Assess
      await expect(authorize).rejects.toMatchObject({
        name: 'invalid_client',
        message: 'invalid client credentials',
      });
    });
  });
});
