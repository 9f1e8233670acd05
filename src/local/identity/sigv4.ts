/**
 * SigV4 verification with the SDK's own signer: the request is re-signed by `@smithy/signature-v4`
 * with the stored secret key, the same signed headers, date, Region and service, and the two
 * signatures are compared in constant time. Only the parsing of the `Authorization` header and
 * the node:crypto hash adapter the signer needs are written here.
 */
import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import type { IdentityDirectory, Principal } from './directory.ts';
import {
  ExpiredTokenError,
  IncompleteSignatureError,
  InvalidSignatureError,
  MissingAuthenticationError,
  UnrecognizedClientError,
} from './errors.ts';

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** AWS refuses signatures more than 15 minutes off the server's clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

function bytesOf(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The `sha256` constructor SignatureV4 expects (SHA-256, or HMAC-SHA-256 when given a key). */
class NodeSha256 implements Checksum {
  readonly #secret: SourceData | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#hash = NodeSha256.#create(secret);
  }

  static #create(secret?: SourceData): Hash | Hmac {
    return secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }

  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }

  reset(): void {
    this.#hash = NodeSha256.#create(this.#secret);
  }
}

/** A request as the server received it. */
export interface ReceivedRequest {
  method: string;
  /** The raw request target: path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface VerifiedRequest {
  principal: Principal;
  /** The Region of the credential scope. */
  region: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function signingDateOf(amzDate: string | undefined): Date {
  const match = amzDate === undefined ? null : AMZ_DATE.exec(amzDate);
  if (match === null)
    throw new IncompleteSignatureError('The request must carry an X-Amz-Date header (YYYYMMDDTHHMMSSZ).');
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

/**
 * Verifies a SigV4-signed request for `service`.
 *
 * @throws MissingAuthenticationError, IncompleteSignatureError, UnrecognizedClientError,
 *   ExpiredTokenError or InvalidSignatureError.
 * @example
 * ```ts
 * const { principal, region } = await verifySignature(request, 'secretsmanager', directory);
 * ```
 */
export async function verifySignature(
  request: ReceivedRequest,
  service: string,
  directory: IdentityDirectory,
  wallClock: () => Date = () => new Date(),
): Promise<VerifiedRequest> {
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined) throw new MissingAuthenticationError();
  const match = AUTHORIZATION.exec(authorization.trim());
  if (match === null) {
    throw new IncompleteSignatureError(
      "Authorization header requires 'Credential', 'Signature', 'SignedHeaders' parameters; only AWS4-HMAC-SHA256 is accepted.",
    );
  }
  const [, accessKeyId, scopeDate, region, scopeService, signedHeaderList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (scopeService !== service) {
    throw new InvalidSignatureError(`Credential should be scoped to correct service: '${service}'.`);
  }
  const identity = directory.signingIdentity(accessKeyId);
  if (identity === undefined) throw new UnrecognizedClientError();
  const signedHeaders = signedHeaderList.split(';');
  const token = header(request.headers, 'x-amz-security-token');
  if (identity.sessionToken !== undefined) {
    const given = Buffer.from(token ?? '');
    const expected = Buffer.from(identity.sessionToken);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new UnrecognizedClientError();
    if (directory.isExpired(identity.expiration)) throw new ExpiredTokenError();
  }

  const signingDate = signingDateOf(header(request.headers, 'x-amz-date'));
  if (!header(request.headers, 'x-amz-date')!.startsWith(scopeDate)) {
    throw new InvalidSignatureError(
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.',
    );
  }
  const skew = Math.abs(wallClock().getTime() - signingDate.getTime());
  if (skew > MAX_SKEW_MS) {
    throw new InvalidSignatureError(
      `Signature expired: ${header(request.headers, 'x-amz-date')} is more than 15 minutes away from the server's time.`,
    );
  }
  const payloadHash = header(request.headers, 'x-amz-content-sha256');
  if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(request.body).digest('hex')) {
    throw new InvalidSignatureError(
      'The provided x-amz-content-sha256 header does not match what was computed.',
    );
  }

  const url = new URL(request.url, 'http://signed.invalid');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const signer = new SignatureV4({
    credentials: {
      accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      // Only a signed token header is part of the canonical request.
      ...(signedHeaders.includes('x-amz-security-token') && token !== undefined
        ? { sessionToken: token }
        : {}),
    },
    region,
    service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const resigned = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      path: url.pathname,
      query: queryOf(url),
      headers,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization))?.[1] ?? '';
  const sameSignature =
    expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  const expectedHeaders = /SignedHeaders=([^,]+)/.exec(String(resigned.headers.authorization))?.[1];
  if (!sameSignature || expectedHeaders !== signedHeaderList) throw new InvalidSignatureError();
  return { principal: identity.principal, region };
}
