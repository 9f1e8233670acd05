/**
 * The catalog's ed25519 signature (`node:crypto`). The signature covers the canonical JSON of the
 * catalog without its `signature` member, so formatting and key order never matter.
 *
 * Key story: the public key below is pinned in code and is the repository's DEVELOPMENT key; its
 * private half is committed as `partners/catalog-signing-key.DEV-ONLY.pem` so that
 * `rotor partner vet` works on a clean checkout. Production catalogs are signed with an offline
 * key, and operators pin its public half with `ROTOR_CATALOG_PUBLIC_KEY` (base64 SPKI DER or PEM).
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/** The development catalog public key (ed25519, base64 SPKI DER). Not a production trust root. */
export const DEV_CATALOG_PUBLIC_KEY = 'MCowBQYDK2VwAyEAtvdO1NOtbTCbgoT4O58f3ecUIkMxoysHIOFEoNgWfdU=';

/** Repository-relative path of the development signing key used by `rotor partner vet`. */
export const DEV_SIGNING_KEY_PATH = 'partners/catalog-signing-key.DEV-ONLY.pem';

/**
 * JSON with object keys sorted at every level and no whitespace. Hand-written because no
 * canonical-JSON (RFC 8785) library is installed; catalog values are strings, numbers and plain
 * objects/arrays only, for which sorted-key `JSON.stringify` is canonical.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A public key from base64 SPKI DER or PEM text. */
export function publicKeyFrom(text: string): KeyObject {
  const trimmed = text.trim();
  return trimmed.startsWith('-----')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
}

/** The trusted key: `ROTOR_CATALOG_PUBLIC_KEY` when set, else the pinned development key. */
export function trustedPublicKey(env: NodeJS.ProcessEnv = process.env): string {
  return env.ROTOR_CATALOG_PUBLIC_KEY?.trim() || DEV_CATALOG_PUBLIC_KEY;
}

/** Signs the canonical form of `body`; returns the base64 signature. */
export function signCanonical(body: unknown, privateKeyPem: string): string {
  return sign(null, Buffer.from(canonicalJson(body)), createPrivateKey(privateKeyPem)).toString('base64');
}

/** True when `signature` (base64) is `publicKey`'s ed25519 signature of the canonical `body`. */
export function verifyCanonical(body: unknown, signature: string, publicKey: string): boolean {
  try {
    return verify(
      null,
      Buffer.from(canonicalJson(body)),
      publicKeyFrom(publicKey),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    // A malformed key or signature verifies nothing.
    return false;
  }
}
