/**
 * The partner's key API, reached only through the runtime's egress-checked client
 * (`context.http`), with every failure mapped to a typed Rotor error. Messages name the method and
 * path only, never a key.
 */
import {
  ConflictError,
  CredentialRejectedError,
  InternalError,
  PartnerUnavailableError,
  RotorError,
  ThrottledError,
} from '__SRC__/engine/errors.ts';
import type { HookContext } from '__SRC__/runtime/partner.ts';
import type { __TYPE__Secret } from './types.ts';

export interface MintedKey {
  keyId: string;
  apiKey: string;
}

async function call(
  context: HookContext,
  auth: __TYPE__Secret,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  if (!context.http) throw new InternalError('The runtime did not provide context.http.');
  let response: Response;
  try {
    response = await context.http.fetch(new URL(path, auth.baseUrl), {
      method,
      headers: { authorization: `Bearer ${auth.apiKey}`, ...headers },
    });
  } catch (error) {
    if (error instanceof RotorError) throw error;
    throw new PartnerUnavailableError(`__TYPE__ API unreachable (${method} ${path}).`, { cause: error });
  }
  if (response.status === 401) {
    throw new CredentialRejectedError(`__TYPE__ API rejected the key (${method} ${path}).`);
  }
  if (response.status === 409) {
    throw new ConflictError(`__TYPE__ API refused ${method} ${path}: ${await response.text()}`);
  }
  if (response.status === 429) throw new ThrottledError(`__TYPE__ API throttled ${method} ${path}.`);
  if (response.status >= 500) {
    throw new PartnerUnavailableError(`__TYPE__ API answered ${response.status} to ${method} ${path}.`);
  }
  return response;
}

/** Mints a key; the same `idempotencyKey` returns the same key while it exists. */
export async function mintKey(
  context: HookContext,
  auth: __TYPE__Secret,
  idempotencyKey: string,
): Promise<MintedKey> {
  const response = await call(context, auth, 'POST', '/v1/keys', { 'idempotency-key': idempotencyKey });
  return (await response.json()) as MintedKey;
}

/** Deletes a key; false when it was already gone. */
export async function deleteKey(context: HookContext, auth: __TYPE__Secret, keyId: string): Promise<boolean> {
  const response = await call(context, auth, 'DELETE', `/v1/keys/${encodeURIComponent(keyId)}`);
  return response.status !== 404;
}

/** Authenticates with `auth`; throws {@link CredentialRejectedError} when the key does not work. */
export async function whoAmI(context: HookContext, auth: __TYPE__Secret): Promise<void> {
  await call(context, auth, 'GET', '/v1/whoami');
}
