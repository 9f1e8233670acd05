/**
 * RSA key handling with `node:crypto`: parsing the PEM forms MES accepts (BEGIN/END lines
 * optional), Snowflake fingerprints (`SHA256:` + base64 of the SHA-256 of the DER SPKI), and new
 * key pairs. Errors name the field and never echo key material.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { promisify } from 'node:util';
import { InvalidConfigurationError } from '../../src/engine/errors.ts';
import type { SnowflakeSecret } from './types.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Snowflake accepts RSA keys of at least 2048 bits. */
export const MIN_MODULUS_BITS = 2048;
const PEM_HEADER = /^-----BEGIN [A-Z ]+-----|-----END [A-Z ]+-----$/gm;

/** The base64 body of a PEM (or of bare base64), whitespace removed. */
export function pemBody(text: string): string {
  return text.replace(PEM_HEADER, '').replace(/\s+/g, '');
}

function der(text: string): Buffer {
  return Buffer.from(pemBody(text), 'base64');
}

function assertRsa(key: KeyObject, field: string): KeyObject {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < MIN_MODULUS_BITS) {
    throw new InvalidConfigurationError(
      `Field "${field}" must be an RSA key of at least ${MIN_MODULUS_BITS} bits; generate one with openssl genrsa 2048.`,
      { field },
    );
  }
  return key;
}

/**
 * The private key of a secret value, decrypted with its `passphrase` when there is one.
 *
 * @throws {InvalidConfigurationError} naming `privateKey` or `passphrase`.
 * @example
 * ```ts
 * const key = loadPrivateKey(secret);
 * ```
 */
export function loadPrivateKey(secret: Pick<SnowflakeSecret, 'privateKey' | 'passphrase'>): KeyObject {
  const encrypted = /ENCRYPTED PRIVATE KEY/.test(secret.privateKey);
  if (encrypted && !secret.passphrase) {
    throw new InvalidConfigurationError(
      'Field "privateKey" is encrypted but the value has no "passphrase"; add the passphrase.',
      { field: 'passphrase' },
    );
  }
  if (secret.passphrase && !encrypted && canReadUnencrypted(secret.privateKey)) {
    // A passphrase beside a key it does not protect means the stored pair is not what was meant.
    throw new InvalidConfigurationError(
      'Field "passphrase" is set but "privateKey" is not encrypted; remove the passphrase or store the encrypted key.',
      { field: 'passphrase' },
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({
      key: der(secret.privateKey),
      format: 'der',
      type: 'pkcs8',
      ...(secret.passphrase ? { passphrase: secret.passphrase } : {}),
    });
  } catch (error) {
    const field = secret.passphrase ? 'passphrase' : 'privateKey';
    throw new InvalidConfigurationError(
      `Field "privateKey" could not be read as a PKCS#8 RSA key${secret.passphrase ? ' with the given passphrase' : ''}; check privateKey${secret.passphrase ? ' and passphrase' : ''}.`,
      { field, cause: error },
    );
  }
  return assertRsa(key, 'privateKey');
}

/** Whether the key parses as plain (unencrypted) PKCS#8, e.g. when its BEGIN/END lines are missing. */
function canReadUnencrypted(privateKey: string): boolean {
  try {
    createPrivateKey({ key: der(privateKey), format: 'der', type: 'pkcs8' });
    return true;
  } catch {
    return false;
  }
}

/** The public key of a secret value (SPKI, BEGIN/END lines optional). */
export function loadPublicKey(text: string, field = 'publicKey'): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: der(text), format: 'der', type: 'spki' });
  } catch (error) {
    throw new InvalidConfigurationError(
      `Field "${field}" could not be read as an SPKI RSA public key; use the PEM openssl rsa -pubout prints.`,
      { field, cause: error },
    );
  }
  return assertRsa(key, field);
}

/** Base64 DER SPKI: the form `ALTER USER … SET RSA_PUBLIC_KEY = '…'` takes. */
export function spkiBase64(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** Snowflake's fingerprint of a key: `SHA256:` + base64(sha256(DER SPKI)). */
export function fingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(spki).digest('base64')}`;
}

/**
 * Checks a value's key pair: the private key reads, and the public key is its own.
 *
 * @returns the private key and its fingerprint.
 * @throws {InvalidConfigurationError} naming the field to fix.
 */
export function checkKeyPair(secret: SnowflakeSecret): { privateKey: KeyObject; fingerprint: string } {
  const privateKey = loadPrivateKey(secret);
  const own = fingerprint(privateKey);
  if (fingerprint(loadPublicKey(secret.publicKey)) !== own) {
    throw new InvalidConfigurationError(
      'Field "publicKey" is not the public key of "privateKey"; store the pair that belongs together.',
      { field: 'publicKey' },
    );
  }
  return { privateKey, fingerprint: own };
}

export interface GeneratedKeyPair {
  privateKey: string;
  publicKey: string;
  /** Set when the private key is encrypted. */
  passphrase?: string;
}

/**
 * A new 2048-bit RSA key pair: PKCS#8 PEM private key (AES-256-CBC encrypted with a random
 * passphrase when `encrypt`), SPKI PEM public key.
 *
 * @example
 * ```ts
 * const { privateKey, publicKey, passphrase } = await generateRsaKeyPair({ encrypt: true });
 * ```
 */
export async function generateRsaKeyPair(options: { encrypt: boolean }): Promise<GeneratedKeyPair> {
  const passphrase = options.encrypt ? randomBytes(32).toString('base64url') : undefined;
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: MIN_MODULUS_BITS,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: passphrase
      ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }
      : { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey, publicKey, ...(passphrase ? { passphrase } : {}) };
}
