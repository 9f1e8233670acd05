/**
 * One port, three AWS services: requests are routed by protocol, so `AWS_ENDPOINT_URL` alone points
 * every SDK client at the stack. `X-Amz-Target: secretsmanager.*` → Secrets Manager (JSON 1.1),
 * `X-Amz-Target: AWSEvents.*` → EventBridge (JSON 1.1), form-encoded `Action=…` → STS (query).
 * Every AWS request is SigV4-verified against the identities the stack issued before it runs.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalEventBus } from './eventbridge/index.ts';
import { EventBridgeError } from './eventbridge/index.ts';
import { type IdentityDirectory, IdentityError, verifySignature } from './identity/index.ts';
import {
  answerSecretsManager,
  readBody,
  type SecretsManagerService,
  SecretsManagerServiceError,
  sendAwsJson,
} from './secrets-manager/index.ts';
import { queryError, type StsService } from './sts/index.ts';

export interface GatewayOptions {
  secretsManager: SecretsManagerService;
  sts: StsService;
  events: LocalEventBus;
  directory: IdentityDirectory;
}

type Protocol = { service: 'secretsmanager' | 'events'; kind: 'json' } | { service: 'sts'; kind: 'query' };

function protocolOf(request: IncomingMessage): Protocol | undefined {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('secretsmanager.'))
    return { service: 'secretsmanager', kind: 'json' };
  if (typeof target === 'string' && target.startsWith('AWSEvents.'))
    return { service: 'events', kind: 'json' };
  const type = request.headers['content-type'] ?? '';
  if (request.method === 'POST' && type.startsWith('application/x-www-form-urlencoded'))
    return { service: 'sts', kind: 'query' };
  return undefined;
}

function sendXml(response: ServerResponse, status: number, requestId: string, body: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  });
  response.end(body);
}

function sendJsonError(
  response: ServerResponse,
  requestId: string,
  type: string,
  message: string,
  status = 400,
): void {
  sendAwsJson(response, status, requestId, { __type: type, message }, type);
}

async function route(
  options: GatewayOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  let body: Buffer;
  try {
    body = await readBody(request);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'The request body could not be read.';
    sendJsonError(response, requestId, 'SerializationException', message);
    return;
  }
  const protocol = protocolOf(request);
  if (protocol === undefined) {
    sendJsonError(
      response,
      requestId,
      'UnknownOperationException',
      'The request names no supported service: POST / with X-Amz-Target secretsmanager.* or AWSEvents.*, or a form-encoded STS Action.',
    );
    return;
  }

  let verified: Awaited<ReturnType<typeof verifySignature>>;
  try {
    verified = await verifySignature(
      { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body },
      protocol.service,
      options.directory,
    );
  } catch (error) {
    if (!(error instanceof IdentityError)) throw error;
    if (protocol.kind === 'query') {
      const answer = queryError(error.queryCode, error.message, error.queryStatus, requestId);
      sendXml(response, answer.status, requestId, answer.body);
    } else {
      sendJsonError(
        response,
        requestId,
        error.jsonType,
        error.message,
        error.jsonType === 'MissingAuthenticationTokenException' ? 403 : 400,
      );
    }
    return;
  }

  const { principal, region } = verified;
  switch (protocol.service) {
    case 'secretsmanager':
      await answerSecretsManager(
        options.secretsManager,
        request,
        body,
        { region, caller: options.directory.callerFor(principal) },
        response,
      );
      return;
    case 'sts': {
      const answer = options.sts.handle(new URLSearchParams(body.toString('utf8')), principal, requestId);
      sendXml(response, answer.status, requestId, answer.body);
      return;
    }
    case 'events': {
      const operation = String(request.headers['x-amz-target']).slice('AWSEvents.'.length);
      try {
        if (operation !== 'PutEvents') {
          throw new EventBridgeError(
            'UnknownOperationException',
            `The operation ${operation.slice(0, 64)} is not supported by this endpoint.`,
          );
        }
        const input = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown);
        const decision = options.directory
          .callerFor(principal)
          .decide(
            'events:PutEvents',
            `arn:aws:events:${region}:${principal.accountId}:event-bus/default`,
            {},
          );
        if (decision !== 'allow') {
          throw new EventBridgeError(
            'AccessDeniedException',
            `User: ${principal.arn} is not authorized to perform: events:PutEvents on resource: arn:aws:events:${region}:${principal.accountId}:event-bus/default`,
          );
        }
        sendAwsJson(
          response,
          200,
          requestId,
          options.events.putEvents(input, { accountId: principal.accountId, region }),
        );
      } catch (error) {
        const failure =
          error instanceof EventBridgeError
            ? error
            : error instanceof SyntaxError
              ? new EventBridgeError('SerializationException', 'The request body is not valid JSON.')
              : new EventBridgeError('InternalException', 'An internal error occurred.', 500);
        sendAwsJson(response, failure.statusCode, requestId, failure.toJSON(), failure.type);
      }
      return;
    }
  }
}

/**
 * The stack's request listener for AWS traffic (control routes are handled before it).
 *
 * @example
 * ```ts
 * const listener = createGatewayListener({ secretsManager, sts, events, directory });
 * http.createServer(listener).listen(7566, '127.0.0.1');
 * ```
 */
export function createGatewayListener(
  options: GatewayOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    route(options, request, response).catch((error: unknown) => {
      // Detail stays on the server: it could quote a request member.
      if (!response.headersSent) {
        const type = error instanceof SecretsManagerServiceError ? error.type : 'InternalFailure';
        sendJsonError(response, randomUUID(), type, 'An internal error occurred.', 500);
      } else response.destroy();
    });
  };
}
