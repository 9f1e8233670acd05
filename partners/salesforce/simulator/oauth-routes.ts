/**
 * `/services/oauth2/token` (client-credentials grant) and `/services/oauth2/revoke`. The server is
 * login host and My Domain at once, so `instance_url` is its own base URL.
 */
import { createHmac } from 'node:crypto';
import type { SalesforceSimulatorBehaviour } from './behaviour.ts';
import { json, oauthError, oauthErrorFrom, type Reply, type SimRequest } from './http.ts';
import type { OrgState } from './state.ts';

export interface OAuthContext {
  state: OrgState;
  behaviour: SalesforceSimulatorBehaviour;
  baseUrl: string;
  now: Date;
}

export function handleOAuth(context: OAuthContext, request: SimRequest): Reply {
  const path = request.url.pathname;
  if (path !== '/services/oauth2/token' && path !== '/services/oauth2/revoke') {
    return oauthError(404, 'not_found', 'unknown endpoint');
  }
  if (request.method !== 'POST') return oauthError(400, 'invalid_request', 'must use HTTP POST');
  const params = formParams(request);
  return path === '/services/oauth2/token' ? token(context, request, params) : revoke(context, params);
}

function token(context: OAuthContext, request: SimRequest, params: URLSearchParams): Reply {
  const { state, behaviour } = context;
  if (params.get('grant_type') !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
  }
  const basic = behaviour.acceptBasicAuth ? basicCredentials(request) : undefined;
  const clientId = params.get('client_id') ?? basic?.id;
  const clientSecret = params.get('client_secret') ?? basic?.secret;
  const live = clientId ? state.findLiveKey(clientId) : undefined;
  if (!clientId || !live) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
  if (clientSecret === undefined || !state.authenticates(clientId, clientSecret)) {
    return oauthErrorFrom(behaviour.wrongSecretError);
  }
  if (!live.app.clientCredentialsEnabled) return oauthErrorFrom(behaviour.clientCredentialsDisabledError);

  const { token: accessToken, session } = state.issueToken(live.app, live.consumer);
  const id = `https://login.salesforce.com/id/${state.orgId}/${session.userId}`;
  const issuedAt = String(context.now.getTime());
  return json(200, {
    access_token: accessToken,
    // Salesforce signs `id + issued_at` with the client secret so clients can verify the response.
    signature: createHmac('sha256', clientSecret)
      .update(id + issuedAt)
      .digest('base64'),
    scope: 'api',
    instance_url: context.baseUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    token_format: 'opaque',
  });
}

function revoke(context: OAuthContext, params: URLSearchParams): Reply {
  const revoked = context.state.revokeToken(params.get('token') ?? '');
  return revoked
    ? { kind: 'empty', status: 200 }
    : oauthError(400, 'unsupported_token_type', 'this token type is not supported');
}

/** Token-endpoint parameters are only read from a form-encoded body, as Salesforce does. */
function formParams(request: SimRequest): URLSearchParams {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return new URLSearchParams();
  return new URLSearchParams(request.body.toString('utf8'));
}

/** RFC 6749 2.3.1: `Basic base64(urlencode(id):urlencode(secret))`. */
function basicCredentials(request: SimRequest): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    };
  } catch {
    return undefined;
  }
}
