/**
 * The few statements the rotator sends, built from validated parts only: the user name is checked
 * against the identifier rules and double-quoted, and a public key is interpolated only after it
 * is proved to be plain base64. Nothing else reaches the SQL text.
 */
import { InvalidConfigurationError } from '../../src/engine/errors.ts';
import type { KeySlot } from './types.ts';

/** Letters, digits and `_ $ . @ -`: what the secret schema allows; no quote can appear. */
const SAFE_USER = /^[A-Za-z0-9_$.@-]{1,255}$/;
/** An unquoted Snowflake identifier, which Snowflake resolves in upper case. */
const UNQUOTED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The user as a quoted identifier that names the same user Snowflake resolves: an unquoted-style
 * name in upper case (`svc_loader` → `"SVC_LOADER"`), anything else as written
 * (`etl@example.com` → `"etl@example.com"`), with `"` doubled as SQL requires.
 *
 * @throws {InvalidConfigurationError} for names outside the safe character set.
 * @example
 * ```ts
 * `DESC USER ${quoteUser('svc_loader')}`; // DESC USER "SVC_LOADER"
 * ```
 */
export function quoteUser(user: string): string {
  if (!SAFE_USER.test(user)) {
    throw new InvalidConfigurationError(
      'Field "user" must be 1–255 letters, digits or _ $ . @ -; use the Snowflake user name.',
      { field: 'user' },
    );
  }
  const name = UNQUOTED_IDENTIFIER.test(user) ? user.toUpperCase() : user;
  return `"${name.replaceAll('"', '""')}"`;
}

export function describeUser(user: string): string {
  return `DESC USER ${quoteUser(user)}`;
}

export function setPublicKey(user: string, slot: KeySlot, spkiBase64: string): string {
  if (!BASE64.test(spkiBase64)) {
    throw new InvalidConfigurationError('The public key to set is not base64 DER; this is a bug.', {
      field: 'publicKey',
    });
  }
  return `ALTER USER ${quoteUser(user)} SET ${slot} = '${spkiBase64}'`;
}

export function unsetPublicKey(user: string, slot: KeySlot): string {
  return `ALTER USER ${quoteUser(user)} UNSET ${slot}`;
}

/** The statement a login test runs. */
export const PING = 'SELECT 1';
