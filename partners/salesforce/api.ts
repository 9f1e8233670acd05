/**
 * The Salesforce calls the rotator makes, built on jsforce 3.10.16. Handles the jsforce pitfalls
 * from the reference: the API version is set explicitly (jsforce defaults to 50.0), the login URL
 * is the org's My Domain, a 401 re-runs the client-credentials grant (jsforce's default refresher
 * wants a refresh token, which this flow never gets), and POSTs carry a `{}` body (Salesforce may
 * hang on a body-less POST to `/staged`). Every URL is built from ids, never taken from a response.
 * A call Salesforce refuses for its request limits (`REQUEST_LIMIT_EXCEEDED`, `rate_limit_exceeded`)
 * is retried a few times with back-off (`retryThrottled`): it did not run, so sending it again is safe.
 */
import { Connection, type HttpMethods, OAuth2 } from 'jsforce/lib/core.js';
import { setDefaults } from 'jsforce/lib/request.js';
import { CredentialRejectedError } from '../../src/engine/errors.ts';
import { retryThrottled } from '../../src/runtime/throttle-retry.ts';
import { classifySalesforceError } from './errors.ts';
import type { SalesforcePair, StagedCredential } from './types.ts';

// jsforce follows redirects by default, and a followed redirect would bypass the egress check
// Rotor makes on baseUri before any call (I8). Salesforce's token and REST endpoints answer
// without redirects, so none is followed: a 3xx fails the call. jsforce's default timeout is
// 30 minutes; a rotation step gives a call 30 seconds.
setDefaults({ followRedirect: () => null, timeout: 30_000 });

interface TokenResponse {
  access_token?: string;
  token_type?: string;
  instance_url?: string;
  id?: string;
}

/** `v65.0` → `65.0`, as jsforce wants it. */
function jsforceVersion(apiVersion: string): string {
  return apiVersion.replace(/^v/, '');
}

function oauth2For(pair: SalesforcePair): OAuth2 {
  return new OAuth2({
    clientId: pair.consumerKey,
    clientSecret: pair.consumerSecret,
    loginUrl: new URL(pair.baseUri).origin,
  });
}

async function clientCredentialsToken(pair: SalesforcePair): Promise<TokenResponse> {
  const response = await retryThrottled(async () => {
    try {
      return (await oauth2For(pair).requestToken({ grant_type: 'client_credentials' })) as TokenResponse;
    } catch (error) {
      throw classifySalesforceError(error, 'client-credentials token request');
    }
  });
  if (!response?.access_token || response.token_type !== 'Bearer') {
    throw new CredentialRejectedError(
      'Salesforce client-credentials token request returned no Bearer token; check that the client credentials flow is enabled.',
    );
  }
  return response;
}

export class SalesforceApi {
  readonly #conn: Connection;
  readonly #apiVersion: string;
  /** The Run-As user the token acts for: staged sets it creates carry this `createdBy`. */
  readonly userId: string;

  private constructor(conn: Connection, apiVersion: string, userId: string) {
    this.#conn = conn;
    this.#apiVersion = apiVersion;
    this.userId = userId;
  }

  /**
   * Authenticates a pair with the client-credentials grant. Throws a typed error when the pair
   * is not accepted; returns nothing, so callers that only test a pair keep no token.
   */
  static async testPair(pair: SalesforcePair): Promise<void> {
    await clientCredentialsToken(pair);
  }

  /** A REST session for `pair`, re-authenticating on 401. */
  static async connect(pair: SalesforcePair, apiVersion: string): Promise<SalesforceApi> {
    const token = await clientCredentialsToken(pair);
    const userId = token.id?.split('/').pop() ?? '';
    const conn = new Connection({
      oauth2: oauth2For(pair),
      version: jsforceVersion(apiVersion),
      instanceUrl: token.instance_url ?? new URL(pair.baseUri).origin,
      accessToken: token.access_token,
      refreshFn: (_conn, callback) => {
        clientCredentialsToken(pair).then(
          (fresh) => callback(null, fresh.access_token, fresh as never),
          (error: unknown) => callback(error as Error),
        );
      },
    });
    return new SalesforceApi(conn, apiVersion, userId);
  }

  #credentialsPath(appId: string, consumerId: string, suffix = ''): string {
    return `/services/data/${this.#apiVersion}/apps/oauth/credentials/${encodeURIComponent(appId)}/${encodeURIComponent(consumerId)}${suffix}`;
  }

  #call<T>(action: string, request: { method: HttpMethods; url: string; body?: string }): Promise<T> {
    return retryThrottled(async () => {
      try {
        return (await this.#conn.request<T>({
          ...request,
          headers: request.body === undefined ? {} : { 'Content-Type': 'application/json' },
        })) as T;
      } catch (error) {
        throw classifySalesforceError(error, action);
      }
    });
  }

  /** `GET …/staged`: the slot's content (0 or 1 item); a 404 means empty. */
  async listStaged(appId: string, consumerId: string): Promise<StagedCredential[]> {
    try {
      const body = await this.#call<{ stagedCredentials?: StagedCredential[] }>('GET staged credentials', {
        method: 'GET',
        url: this.#credentialsPath(appId, consumerId, '/staged'),
      });
      return body?.stagedCredentials ?? [];
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  /** `POST …/staged`: mints a new key and secret into the empty slot. */
  async createStaged(appId: string, consumerId: string): Promise<StagedCredential> {
    const body = await this.#call<{ stagedCredentials?: StagedCredential[] } & Partial<StagedCredential>>(
      'POST staged credentials',
      { method: 'POST', url: this.#credentialsPath(appId, consumerId, '/staged'), body: '{}' },
    );
    // The answer is the collection (documented) or, on some orgs, the item itself.
    const item: Partial<StagedCredential> | undefined = body.stagedCredentials
      ? body.stagedCredentials.find((s) => s.state === 'Active')
      : body;
    if (!item?.key || !item.secret || !item.id) {
      // The answer may be a collection without the new item; read the slot to find it.
      const staged = await this.listStaged(appId, consumerId);
      const active = staged.find((s) => s.state === 'Active' && s.createdBy === this.userId);
      if (active?.key && active.secret) return active;
      throw classifySalesforceError(
        Object.assign(new Error('no staged credentials in the answer'), { name: 'UNEXPECTED_RESPONSE' }),
        'POST staged credentials',
      );
    }
    return item as StagedCredential;
  }

  /** `PATCH …/staged/{id}` with `{"command":"rotate"}`: the staged pair becomes primary. */
  async rotateStaged(appId: string, consumerId: string, stagedId: string): Promise<void> {
    await this.#call('PATCH staged credentials (rotate)', {
      method: 'PATCH',
      url: this.#credentialsPath(appId, consumerId, `/staged/${encodeURIComponent(stagedId)}`),
      body: JSON.stringify({ command: 'rotate' }),
    });
  }

  /** `DELETE …/staged/{id}`: the pair stops working at once. False when it was already gone. */
  async deleteStaged(appId: string, consumerId: string, stagedId: string): Promise<boolean> {
    try {
      await this.#call('DELETE staged credentials', {
        method: 'DELETE',
        url: this.#credentialsPath(appId, consumerId, `/staged/${encodeURIComponent(stagedId)}`),
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** The primary consumer key (`?part=key`); never asks for the secret. */
  async primaryKey(appId: string, consumerId: string): Promise<string> {
    const body = await this.#call<{ key?: string }>('GET consumer credentials', {
      method: 'GET',
      url: this.#credentialsPath(appId, consumerId, '?part=key'),
    });
    return body?.key ?? '';
  }
}

function isNotFound(error: unknown): boolean {
  const cause = (error as { cause?: { name?: string } }).cause;
  return cause?.name === 'NOT_FOUND' || cause?.name === 'ERROR_HTTP_404';
}
