/** AWS JSON 1.1 over node:http: `POST /` with `X-Amz-Target: secretsmanager.<Operation>`. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  InternalServiceError,
  SecretsManagerServiceError,
  SerializationError,
  UnknownOperationError,
} from './errors.ts';
import type { RequestContext, SecretsManagerService } from './service.ts';

const TARGET_PREFIX = 'secretsmanager.';
/** Values are at most 65,536 characters; JSON escaping can grow that several times, but not past this. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]{1,64})\/secretsmanager\/aws4_request/;

export interface SecretsManagerServerOptions {
  service: SecretsManagerService;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
}

export interface SecretsManagerServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The Region of a SigV4 `Authorization` header's credential scope (unverified: for the open endpoint). */
export function regionFromAuthorization(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : CREDENTIAL_SCOPE.exec(authorization)?.[1];
}

/** Reads the body; past the cap it keeps draining (so the client still gets the answer) but stores nothing. */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new SerializationError('The request body is too large.'));
      else resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

function operationOf(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  if (request.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
    throw new UnknownOperationError(
      'The request names no Secrets Manager operation (POST / with X-Amz-Target).',
    );
  }
  return target.slice(TARGET_PREFIX.length);
}

function parseBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new SerializationError('The request body is not valid JSON.');
  }
}

/** Writes an AWS JSON 1.1 answer (errors carry `x-amzn-ErrorType`). */
export function sendAwsJson(
  response: ServerResponse,
  status: number,
  requestId: string,
  body: unknown,
  errorType?: string,
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': requestId,
    ...(errorType === undefined ? {} : { 'x-amzn-ErrorType': errorType }),
  });
  response.end(payload);
}

/**
 * Runs one Secrets Manager request whose body has been read and whose caller (if any) has been
 * verified, and writes the answer.
 */
export async function answerSecretsManager(
  service: SecretsManagerService,
  request: IncomingMessage,
  body: Buffer,
  ctx: RequestContext,
  response: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const operation = operationOf(request);
    const input = parseBody(body.toString('utf8'));
    sendAwsJson(response, 200, requestId, await service.handle(operation, input, ctx));
  } catch (error) {
    // Unexpected errors keep their detail on the server: it could quote a request member.
    const serviceError = error instanceof SecretsManagerServiceError ? error : new InternalServiceError();
    if (!response.headersSent)
      sendAwsJson(response, serviceError.statusCode, requestId, serviceError.toJSON(), serviceError.type);
  }
}

/** The unauthenticated endpoint: the Region comes from the credential scope, signatures are not checked. */
async function serve(service: SecretsManagerService, request: IncomingMessage, response: ServerResponse) {
  let body: Buffer;
  try {
    body = await readBody(request);
  } catch (error) {
    const serviceError = error instanceof SecretsManagerServiceError ? error : new InternalServiceError();
    sendAwsJson(response, serviceError.statusCode, randomUUID(), serviceError.toJSON(), serviceError.type);
    return;
  }
  const region = regionFromAuthorization(request.headers.authorization) ?? service.defaultRegion;
  await answerSecretsManager(service, request, body, { region }, response);
}

/**
 * A node:http request listener answering the AWS JSON 1.1 protocol for `service` without checking
 * signatures (tests of the service alone). The local stack verifies them (see `src/local/gateway.ts`).
 */
export function createSecretsManagerListener(
  service: SecretsManagerService,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    // serve() answers every failure itself; this only guards against a socket that broke mid-answer.
    serve(service, request, response).catch(() => response.destroy());
  };
}

/**
 * Serves `service` on loopback (by default) over HTTP.
 *
 * @example
 * ```ts
 * const server = await startSecretsManagerServer({ service: new SecretsManagerService() });
 * const client = new SecretsManagerClient({ endpoint: server.url, region: 'us-east-1', credentials });
 * await server.close();
 * ```
 */
export async function startSecretsManagerServer(
  options: SecretsManagerServerOptions,
): Promise<SecretsManagerServer> {
  const { service, port = 0, host = '127.0.0.1' } = options;
  const server = createServer(createSecretsManagerListener(service));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: boundPort } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    port: boundPort,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; close them so close() does not wait for their timeout.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
