/**
 * `/services/data/**`: bearer check, version segment, API usage accounting, then the resource
 * routes (`/limits`, `/apps/oauth/usage`, and `/apps/oauth/credentials/**` in credentials-routes.ts).
 */
import type { SalesforceSimulatorBehaviour } from './behaviour.ts';
import { handleCredentials } from './credentials-routes.ts';
import {
  illegalParameter,
  json,
  methodNotAllowed,
  notFound,
  type Reply,
  restError,
  restErrorFrom,
  type SimRequest,
} from './http.ts';
import type { RestContext, RouteInput } from './rest-context.ts';
import type { OrgState, Session } from './state.ts';

/** API versions 21.0 to 30.0 are retired; older ones never served REST. */
const MIN_SERVED_VERSION = 31;
const MIN_USAGE_VERSION = 59;
const MAX_PAGE_SIZE = 100;

export function handleData(context: RestContext, request: SimRequest): Reply {
  const segments = decodeSegments(request.url.pathname);
  if (!segments) return notFound();
  if (segments.length === 0) return versions(context, request);
  if (isBodylessStagedPost(context.behaviour, request, segments)) {
    return { kind: 'reset', afterMs: context.behaviour.bodylessPostResetAfterMs };
  }
  const session = bearerSession(context.state, request);
  if (!session) return restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

  context.apiUsage.used += 1;
  return withLimitInfo(context, routeAuthenticated(context, request, session, segments));
}

function routeAuthenticated(
  context: RestContext,
  request: SimRequest,
  session: Session,
  segments: string[],
): Reply {
  if (context.apiUsage.used > context.behaviour.dailyApiRequestLimit) {
    return restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  }
  const [versionSegment, ...rest] = segments;
  const match = /^v(\d{2,3}\.\d)$/.exec(versionSegment ?? '');
  const version = match?.[1];
  const versionNumber = Number(version);
  if (!version || versionNumber < MIN_SERVED_VERSION || versionNumber > context.behaviour.maxApiVersion) {
    return notFound();
  }
  const input: RouteInput = { context, request, session, version, versionNumber, segments: rest };
  const [first, second, third] = rest;
  if (first === 'limits' && rest.length === 1) return limits(input);
  if (first !== 'apps' || second !== 'oauth') return notFound();
  if (third === 'usage' && rest.length === 3) return usage(input);
  if (third === 'credentials') return handleCredentials(input);
  return notFound();
}

/** `GET /services/data`: the served versions; like Salesforce, no session needed. */
function versions({ behaviour }: RestContext, request: SimRequest): Reply {
  if (request.method !== 'GET') return methodNotAllowed(request.method, ['GET']);
  const served: { label: string; url: string; version: string }[] = [];
  for (let major = MIN_SERVED_VERSION; major <= behaviour.maxApiVersion; major++) {
    served.push({ label: `API ${major}.0`, url: `/services/data/v${major}.0`, version: `${major}.0` });
  }
  return json(200, served);
}

function limits({ context, request }: RouteInput): Reply {
  if (request.method !== 'GET') return methodNotAllowed(request.method, ['GET']);
  const max = context.behaviour.dailyApiRequestLimit;
  return json(200, { DailyApiRequests: { Max: max, Remaining: Math.max(0, max - context.apiUsage.used) } });
}

function usage({ context, request, version, versionNumber }: RouteInput): Reply {
  if (request.method !== 'GET') return methodNotAllowed(request.method, ['GET']);
  if (versionNumber < MIN_USAGE_VERSION) return restErrorFrom(context.behaviour.versionTooLowError);
  const page = integerParam(request.url, 'page', 0);
  const pageSize = integerParam(request.url, 'pageSize', MAX_PAGE_SIZE);
  if (page === undefined || page < 0) return illegalParameter('page');
  if (pageSize === undefined || pageSize < 1 || pageSize > MAX_PAGE_SIZE) return illegalParameter('pageSize');

  const apps = context.state.apps;
  const pageUrl = (index: number) =>
    `/services/data/v${version}/apps/oauth/usage?page=${index}&pageSize=${pageSize}`;
  const hasNext = (page + 1) * pageSize < apps.length;
  return json(200, {
    apps: apps
      .slice(page * pageSize, (page + 1) * pageSize)
      .map((app) => ({ identifier: app.id, developerName: app.developerName, label: app.label })),
    currentPageUrl: pageUrl(page),
    nextPageUrl: hasNext ? pageUrl(page + 1) : null,
  });
}

function integerParam(url: URL, name: string, fallback: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

function decodeSegments(pathname: string): string[] | undefined {
  try {
    // ['', 'services', 'data', ...]; a trailing slash is tolerated.
    return pathname
      .split('/')
      .slice(3)
      .filter((segment, index, all) => segment !== '' || index < all.length - 1)
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function bearerSession(state: OrgState, request: SimRequest): Session | undefined {
  // Salesforce also accepts the legacy `OAuth <token>` scheme.
  const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ? state.session(match[1]) : undefined;
}

function isBodylessStagedPost(
  behaviour: SalesforceSimulatorBehaviour,
  request: SimRequest,
  segments: string[],
) {
  return (
    behaviour.hangOnBodylessPost &&
    request.method === 'POST' &&
    segments.at(-1) === 'staged' &&
    request.body.length === 0
  );
}

function withLimitInfo(context: RestContext, reply: Reply): Reply {
  if (reply.kind !== 'json' && reply.kind !== 'empty') return reply;
  const info = `api-usage=${context.apiUsage.used}/${context.behaviour.dailyApiRequestLimit}`;
  return { ...reply, headers: { ...reply.headers, 'Sforce-Limit-Info': info } };
}
