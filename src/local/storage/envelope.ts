/**
 * Envelope encryption with `node:crypto` AES-256-GCM: a master key (a 0600 file in the data
 * directory) wraps random per-item data keys; data keys encrypt the values. Hand-written on purpose:
 * it is a few calls into node:crypto, and no installed library does key wrapping for a local file.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecryptionError, StorageError } from './errors.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const MASTER_KEY_FILE = 'master.key';

/** `iv ‖ tag ‖ ciphertext` under `key`; `aad` binds the ciphertext to its context (e.g. the row key). */
function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

function open(key: Buffer, sealed: Buffer, aad: string, what: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw new DecryptionError(`Stored ${what} does not decrypt with the master key.`, { cause: error });
  }
}

/** A data key in the clear (memory only) and wrapped under the master key (what is stored). */
export interface DataKey {
  plaintext: Buffer;
  wrapped: Buffer;
}

/**
 * The master key and the operations on data keys and values.
 *
 * @example
 * ```ts
 * const envelope = Envelope.fromDataDir('.rotor');
 * const key = envelope.newDataKey('secret:arn');
 * const stored = envelope.encrypt(key.plaintext, Buffer.from('value'), 'secret:arn');
 * ```
 */
export class Envelope {
  readonly #masterKey: Buffer;

  private constructor(masterKey: Buffer) {
    this.#masterKey = masterKey;
  }

  /** A key that lives only in memory (no data directory). */
  static ephemeral(): Envelope {
    return new Envelope(randomBytes(KEY_BYTES));
  }

  /** Loads `<dir>/master.key`, creating it (mode 0600) with a random key on first start. */
  static fromDataDir(dir: string): Envelope {
    const file = join(dir, MASTER_KEY_FILE);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(file)) {
      writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    }
    chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== KEY_BYTES) {
      throw new StorageError(
        `${file} does not hold a 256-bit base64 key; restore it or remove the data directory.`,
      );
    }
    return new Envelope(key);
  }

  /** A fresh data key for the item named `context`. */
  newDataKey(context: string): DataKey {
    const plaintext = randomBytes(KEY_BYTES);
    return { plaintext, wrapped: seal(this.#masterKey, plaintext, `key:${context}`) };
  }

  unwrap(wrapped: Buffer, context: string): Buffer {
    return open(this.#masterKey, wrapped, `key:${context}`, `data key of ${context}`);
  }

  encrypt(dataKey: Buffer, plaintext: Buffer, context: string): Buffer {
    return seal(dataKey, plaintext, `value:${context}`);
  }

  decrypt(dataKey: Buffer, sealed: Buffer, context: string): Buffer {
    return open(dataKey, sealed, `value:${context}`, `value of ${context}`);
  }
}
