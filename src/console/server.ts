/**
 * The console server: the built wizard plus a small JSON API over an injected Secrets Manager
 * client and the partner catalog. The same server runs against the local stack (`rotor local`)
 * and against real AWS (`rotor console`, default credentials and region).
 *
 * API (JSON; errors are `{ message, field? }`):
 * - `GET  /api/config`                          mode, region, account, whether live progress exists
 * - `GET  /api/partners`                        catalog manifests (title, docs, schemas, sensitive fields)
 * - `GET  /api/partners/:type/role-template`    the customer rotation role to create
 * - `GET  /api/secrets[?type=T]`                secrets with rotation state
 * - `POST /api/secrets`                         create (validated first) and turn rotation on
 * - `GET  /api/secrets/:id`                     versions, stages, attempts, events, audit
 * - `POST /api/secrets/:id/rotate`              `{ test?: boolean }`: Rotate now / Test rotation
 * - `POST /api/preflight`                       the side-effect-free dry run, check by check
 * - `GET  /api/roles`                           roles already used by secrets here
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import { runPreflight } from '../engine/preflight.ts';
import { PartnerCatalog } from '../runtime/catalog.ts';
import { ConsoleRequestError } from './errors.ts';
import { rotationRoleTemplate } from './role-template.ts';
import { noProgress, type RotationProgressSource } from './rotation-progress.ts';
import { type ConfigStyle, SecretsApi } from './secrets-api.ts';
import { serveStatic } from './static-files.ts';
import { ensureWizardBuilt } from './wizard-build.ts';

export interface ConsoleServerOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  secretsManager: SecretsManagerClient;
  catalog?: PartnerCatalog;
  /** Live progress, history and events (the local stack's control routes); default none. */
  rotations?: RotationProgressSource;
  /** Default `fields` (MES fields, the local stack); `tags` on real AWS. */
  configStyle?: ConfigStyle;
  /** With `tags`: the Rotor rotation function's ARN, for `RotateSecret`. */
  rotationLambdaArn?: string;
  /** For the preflight's cross-account role check; absent, roles are not assumed. */
  sts?: STSClient;
  /** Accept loopback partner URLs (the local stack's simulators). Default false. */
  simulatorMode?: boolean;
  simulatorUrls?: Readonly<Record<string, string>>;
  region: string;
  /** For the role template; default a placeholder. */
  accountId?: string;
  /** Shown in the header: `local` or `aws`. */
  mode?: 'local' | 'aws';
  /**
   * Whether the endpoint runs test rotations (`RotateImmediately: false`). Default true: AWS and the
   * local stack both do; false answers Test rotation with 501 for endpoints that do not.
   */
  testRotations?: boolean;
  /** Folder of the built wizard; default: built on demand into `dist/wizard/`. */
  assetsDir?: string;
  log?: (line: string) => void;
}

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  response.end(payload);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  // JSON only: a cross-site form cannot send it without a CORS preflight, which is never granted.
  if (!request.headers['content-type']?.startsWith('application/json')) {
    throw new ConsoleRequestError(415, 'Send the request body as application/json.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ConsoleRequestError(413, 'The request body is larger than 256 KiB.');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new ConsoleRequestError(400, 'The request body is not valid JSON.');
  }
}

/** Refuses requests from other sites (Origin) and other host names (DNS rebinding). */
function sameOrigin(request: IncomingMessage, port: number): boolean {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (!allowedHosts.has(request.headers.host ?? '')) return false;
  const origin = request.headers.origin;
  return origin === undefined || allowedHosts.has(origin.replace(/^https?:\/\//, ''));
}

/**
 * Starts the console.
 *
 * @example
 * ```ts
 * const stack = await startLocalStack({ port: 0, simulatorPort: 0 });
 * const console = await startConsoleServer({
 *   secretsManager: new SecretsManagerClient({ endpoint: stack.endpoint, region: stack.region, credentials: LOCAL_CREDENTIALS }),
 *   rotations: controlRoutesProgress(stack.endpoint), region: stack.region, simulatorMode: true, mode: 'local',
 * });
 * console.log(`Console: ${console.url}`);
 * ```
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const host = options.host ?? '127.0.0.1';
  const catalog = options.catalog ?? new PartnerCatalog();
  const rotations = options.rotations ?? noProgress;
  const assetsDir = options.assetsDir ?? (await ensureWizardBuilt({ log: options.log }));
  const api = new SecretsApi({
    secretsManager: options.secretsManager,
    catalog,
    rotations,
    configStyle: options.configStyle ?? 'fields',
    rotationLambdaArn: options.rotationLambdaArn,
  });
  let port = 0;

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://console');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = request.method ?? 'GET';
    if (parts[0] !== 'api') {
      if (method === 'GET' && (await serveStatic(assetsDir, url.pathname, response))) return;
      sendJson(response, 404, { message: `No such page ${url.pathname}.` });
      return;
    }
    const [, resource, id, action] = parts;
    if (method === 'GET' && resource === 'config' && !id) {
      sendJson(response, 200, {
        mode: options.mode ?? 'aws',
        region: options.region,
        accountId: options.accountId,
        configStyle: options.configStyle ?? 'fields',
        liveProgress: rotations !== noProgress,
        testRotations: options.testRotations ?? true,
      });
      return;
    }
    if (method === 'GET' && resource === 'partners' && !id) {
      sendJson(
        response,
        200,
        (await catalog.loadAll()).map((m) => ({
          type: m.type,
          version: m.version,
          title: m.title,
          description: m.description,
          docsUrl: m.docsUrl,
          secretSchema: m.secretSchema,
          metadataSchema: m.metadataSchema,
          sensitiveFields: m.sensitiveFields,
          maxLiveCredentials: m.maxLiveCredentials,
        })),
      );
      return;
    }
    if (method === 'GET' && resource === 'partners' && id && action === 'role-template') {
      await catalog.resolve(id);
      sendJson(response, 200, rotationRoleTemplate(id, options.accountId ?? '111122223333', options.region));
      return;
    }
    if (resource === 'secrets' && !id) {
      if (method === 'GET') {
        sendJson(response, 200, await api.list({ type: url.searchParams.get('type') ?? undefined }));
        return;
      }
      if (method === 'POST') {
        sendJson(response, 201, await api.create(await readJson(request)));
        return;
      }
    }
    if (resource === 'secrets' && id && !action && method === 'GET') {
      sendJson(response, 200, await api.details(id));
      return;
    }
    if (resource === 'secrets' && id && action === 'rotate' && method === 'POST') {
      const body = (await readJson(request)) as { test?: unknown };
      if (body.test === true && options.testRotations === false) {
        throw new ConsoleRequestError(
          501,
          'This endpoint does not run test rotations (RotateImmediately=false); use Rotate now.',
        );
      }
      sendJson(response, 202, await api.rotate(id, { test: body.test === true }));
      return;
    }
    if (resource === 'preflight' && !id && method === 'POST') {
      const body = (await readJson(request)) as Record<string, unknown>;
      const metadata = body.metadata && typeof body.metadata === 'object' ? body.metadata : {};
      sendJson(
        response,
        200,
        await runPreflight(
          {
            type: String(body.type ?? ''),
            value: body.value,
            metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)])),
            roleArn: typeof body.roleArn === 'string' && body.roleArn ? body.roleArn : undefined,
          },
          {
            catalog,
            secretsManager: options.secretsManager,
            sts: options.sts,
            simulatorMode: options.simulatorMode ?? false,
            simulatorUrls: options.simulatorUrls,
          },
        ),
      );
      return;
    }
    if (resource === 'roles' && !id && method === 'GET') {
      sendJson(response, 200, await api.knownRoles());
      return;
    }
    sendJson(response, 404, { message: `No such API route: ${method} ${url.pathname}.` });
  }

  const server = createServer((request, response) => {
    if (!sameOrigin(request, port)) {
      sendJson(response, 403, { message: 'Open the console at its own address; other origins are refused.' });
      return;
    }
    route(request, response).catch((error: unknown) => {
      if (error instanceof ConsoleRequestError) {
        sendJson(response, error.status, { message: error.message, field: error.field });
        return;
      }
      const rotor = error as { category?: string; message?: string; field?: string };
      if (rotor.category === 'invalid-configuration') {
        sendJson(response, 400, { message: rotor.message, field: rotor.field });
        return;
      }
      options.log?.(`console: ${request.method} ${request.url} failed: ${(error as Error).name}`);
      sendJson(response, 500, { message: 'The console hit an unexpected error; see its log.' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
