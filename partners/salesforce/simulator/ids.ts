/**
 * Salesforce-shaped identifiers and credentials: 15/18-character record ids, `3MVG…` consumer keys,
 * 64-hex-digit consumer secrets and `00D…!…` access tokens. With a seed every value is reproducible.
 */
import { createHmac, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TOKEN_ALPHABET = `${BASE62}._`;
const HEX_UPPER = '0123456789ABCDEF';
const ID_SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Random bytes from the OS, or a deterministic HMAC-SHA256 stream when seeded. */
export class RandomSource {
  readonly #seed: string | undefined;
  #counter = 0;

  constructor(seed?: string) {
    this.#seed = seed;
  }

  bytes(length: number): Buffer {
    if (this.#seed === undefined) return randomBytes(length);
    const blocks: Buffer[] = [];
    let total = 0;
    while (total < length) {
      const block = createHmac('sha256', this.#seed)
        .update(String(this.#counter++))
        .digest();
      blocks.push(block);
      total += block.length;
    }
    return Buffer.concat(blocks).subarray(0, length);
  }

  /** `length` characters of `alphabet` (the slight modulo bias does not matter here). */
  chars(alphabet: string, length: number): string {
    return Array.from(this.bytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
  }
}

/** The 18-character, case-insensitive form of a 15-character Salesforce id. */
export function toId18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let position = 0; position < 5; position++) {
      const char = id15.charAt(chunk * 5 + position);
      if (char >= 'A' && char <= 'Z') bits |= 1 << position;
    }
    suffix += ID_SUFFIX_ALPHABET.charAt(bits);
  }
  return id15 + suffix;
}

/** Whether `candidate` (15 chars, case-sensitive, or 18 chars, case-insensitive) names `id18`. */
export function matchesId(id18: string, candidate: string): boolean {
  if (candidate.length === 15) return candidate === id18.slice(0, 15);
  if (candidate.length === 18) return candidate.toLowerCase() === id18.toLowerCase();
  return false;
}

export class IdFactory {
  readonly #random: RandomSource;

  constructor(random: RandomSource) {
    this.#random = random;
  }

  /** An 18-character record id with a key prefix such as `00D` (org), `005` (user), `0xI` (ECA). */
  recordId(prefix: string): string {
    // Real ids carry a pod code and zero padding: 00D5g0000012abc.
    const id15 = `${prefix}${this.#random.chars(BASE62, 2)}0000${this.#random.chars(BASE62, 6)}`;
    return toId18(id15);
  }

  consumerKey(): string {
    return `3MVG9${this.#random.chars(TOKEN_ALPHABET, 80)}`;
  }

  consumerSecret(): string {
    return this.#random.chars(HEX_UPPER, 64);
  }

  /** `00D…!…`: the org's 15-character id, `!`, then an opaque session part. */
  accessToken(orgId: string): string {
    return `${orgId.slice(0, 15)}!AQ${this.#random.chars(TOKEN_ALPHABET, 110)}`;
  }
}
