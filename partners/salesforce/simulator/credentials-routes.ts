/**
 * `/apps/oauth/credentials/{appId}[/{consumerId}[/staged[/{stagedId}]]]`: consumer list, primary
 * pair by `?part=`, and the staged-credential state machine (stage, rotate, delete).
 */
import {
  illegalParameter,
  json,
  jsonParserError,
  methodNotAllowed,
  noContent,
  notFound,
  parseJsonBody,
  type Reply,
  restError,
  restErrorFrom,
} from './http.ts';
import { matchesId } from './ids.ts';
import type { RouteInput } from './rest-context.ts';
import type { Consumer, ExternalClientApp, StagedSet } from './state.ts';

const MIN_CREDENTIALS_VERSION = 60;
const MIN_STAGED_VERSION = 65;

interface Urls {
  /** The consumer's primary credentials URL. */
  primary: string;
  /** The staged collection URL. */
  staged: string;
}

export function handleCredentials(input: RouteInput): Reply {
  const { context, request, versionNumber } = input;
  const { state, behaviour } = context;
  // segments: apps, oauth, credentials, appId, consumerId?, 'staged'?, stagedId?
  const [appId, consumerId, stagedSegment, stagedId, ...extra] = input.segments.slice(3);
  if (!appId || extra.length > 0 || (stagedSegment !== undefined && stagedSegment !== 'staged'))
    return notFound();
  const isStaged = stagedSegment === 'staged';

  const minVersion = isStaged ? MIN_STAGED_VERSION : MIN_CREDENTIALS_VERSION;
  if (versionNumber < minVersion) return restErrorFrom(behaviour.versionTooLowError);
  const allowed = allowedMethods(consumerId, isStaged, stagedId);
  if (!allowed.includes(request.method)) return methodNotAllowed(request.method, allowed);
  if (!state.userHasPermissions) return restErrorFrom(behaviour.missingPermissionsError);

  const app = state.findApp(appId);
  if (!app) return notFound();
  if (consumerId === undefined) return consumerList(input, app);
  const consumer = state.findConsumer(app, consumerId);
  if (!consumer) return notFound();
  const urls = credentialUrls(input.version, app, consumer);
  if (!isStaged) return consumerDetail(input, consumer, urls);

  // Staged sets carry secrets, so the org's REST secret-access setting gates every staged route.
  if (!state.restSecretAccessEnabled) return restErrorFrom(behaviour.restSecretAccessDisabledError);
  if (stagedId === undefined) {
    return request.method === 'POST'
      ? stageNew(input, consumer, urls)
      : stagedCollection(input, consumer, urls);
  }
  const set = consumer.staged && matchesId(consumer.staged.id, stagedId) ? consumer.staged : undefined;
  if (!set) return notFound();
  if (request.method === 'PATCH') return rotate(input, consumer, set, urls);
  if (request.method === 'DELETE') {
    consumer.staged = null;
    return noContent();
  }
  return json(200, stagedItem(input, set, urls));
}

function allowedMethods(consumerId: string | undefined, isStaged: boolean, stagedId: string | undefined) {
  if (consumerId === undefined || !isStaged) return ['GET'];
  return stagedId === undefined ? ['GET', 'POST'] : ['GET', 'PATCH', 'DELETE'];
}

function credentialUrls(version: string, app: ExternalClientApp, consumer: Consumer): Urls {
  const primary = `/services/data/v${version}/apps/oauth/credentials/${app.id}/${consumer.id}`;
  return { primary, staged: `${primary}/staged` };
}

/** The consumer list never includes a secret. */
function consumerList({ version }: RouteInput, app: ExternalClientApp): Reply {
  return json(200, {
    consumers: app.consumers.map((consumer) => {
      const urls = credentialUrls(version, app, consumer);
      return {
        id: consumer.id,
        key: consumer.primary.key,
        name: consumer.name,
        stagedCredentialsUrl: urls.staged,
        url: urls.primary,
      };
    }),
    currentPageUrl: `/services/data/v${version}/apps/oauth/credentials/${app.id}`,
    nextPageUrl: null,
  });
}

/** `?part=key` (default), `secret` or `keyandsecret`; the secret only when asked for. */
function consumerDetail({ context, request }: RouteInput, consumer: Consumer, urls: Urls): Reply {
  const part = (request.url.searchParams.get('part') ?? 'key').toLowerCase();
  if (part !== 'key' && part !== 'secret' && part !== 'keyandsecret') return illegalParameter('part');
  const withKey = part !== 'secret';
  const withSecret = part !== 'key';
  if (withSecret && !context.state.restSecretAccessEnabled) {
    return restErrorFrom(context.behaviour.restSecretAccessDisabledError);
  }
  return json(200, {
    id: consumer.id,
    ...(withKey ? { key: consumer.primary.key } : {}),
    name: consumer.name,
    ...(withSecret ? { secret: consumer.primary.secret } : {}),
    stagedCredentialsUrl: urls.staged,
    url: urls.primary,
  });
}

function stagedCollection(input: RouteInput, consumer: Consumer, urls: Urls): Reply {
  if (!consumer.staged && input.context.behaviour.emptyStagedResponse === 'not-found') return notFound();
  return json(200, collectionBody(input, consumer, urls));
}

function collectionBody(input: RouteInput, consumer: Consumer, urls: Urls) {
  return {
    stagedCredentials: consumer.staged ? [stagedItem(input, consumer.staged, urls)] : [],
    url: urls.staged,
  };
}

/** No documented body: an empty body or any JSON is accepted. One set per consumer. */
function stageNew(input: RouteInput, consumer: Consumer, urls: Urls): Reply {
  const { context, request, session } = input;
  if (parseJsonBody(request.body) instanceof Error) return jsonParserError();
  if (consumer.staged) return restErrorFrom(context.behaviour.occupiedSlotError);
  context.state.stage(consumer, session.userId);
  return json(context.behaviour.postStatus, collectionBody(input, consumer, urls));
}

function rotate(input: RouteInput, consumer: Consumer, set: StagedSet, urls: Urls): Reply {
  const { context, request } = input;
  const body = parseJsonBody(request.body);
  if (body instanceof Error) return jsonParserError();
  if (!isRotateCommand(body)) {
    return restError(400, 'INVALID_API_INPUT', 'The request body must be {"command":"rotate"}.', ['command']);
  }
  if (set.state !== 'Active') {
    return restError(
      400,
      'INVALID_API_INPUT',
      `Only Active staged credentials can be rotated; these are ${set.state}.`,
    );
  }
  const rotated = context.state.rotate(consumer, set);
  switch (context.behaviour.patchResponse) {
    case 'rotated-item':
      return json(200, stagedItem(input, rotated, urls));
    case 'collection':
      return json(200, collectionBody(input, consumer, urls));
    case 'no-content':
      return noContent();
  }
}

function isRotateCommand(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  return keys.length === 1 && (body as { command?: unknown }).command === 'rotate';
}

function stagedItem({ context }: RouteInput, set: StagedSet, urls: Urls) {
  return {
    createdBy: set.createdBy,
    createdDate: set.createdDate.toISOString(),
    expirationDate: set.expirationDate.toISOString(),
    id: set.id,
    key: set.key,
    secret: set.secret,
    stagedCredentialsUrl: urls.staged,
    state: set.state,
    url: context.behaviour.stagedItemUrl === 'item' ? `${urls.staged}/${set.id}` : urls.primary,
  };
}
