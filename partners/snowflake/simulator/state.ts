/**
 * Accounts, users and their two key slots. A slot holds a parsed RSA public key and its
 * fingerprint; users are found by account and name (statements: exact, as the identifier
 * resolves; JWT logins: case-insensitively, as login names are).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

export type SlotName = 'RSA_PUBLIC_KEY' | 'RSA_PUBLIC_KEY_2';
export const SLOT_NAMES: readonly SlotName[] = ['RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2'];

export interface SlotKey {
  key: KeyObject;
  /** Base64 DER SPKI, as set. */
  spki: string;
  fingerprint: string;
}

export interface SimUser {
  /** Upper case account identifier (JWT form). */
  account: string;
  /** As the identifier resolved: `SVC` for unquoted `svc`, exact for quoted names. */
  name: string;
  slots: Partial<Record<SlotName, SlotKey>>;
  /** May alter other users (OWNERSHIP on them). */
  admin: boolean;
  /** Its default role holds OWNERSHIP or MODIFY PROGRAMMATIC AUTHENTICATION METHODS on it (default true). */
  canAlterSelf: boolean;
}

/** Snowflake's fingerprint: `SHA256:` + base64(sha256(DER SPKI)). */
export function fingerprintOf(key: KeyObject): string {
  const spki = (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(spki).digest('base64')}`;
}

/** Parses base64 DER SPKI; undefined unless it is an RSA key of at least 2048 bits. */
export function parseSlotKey(spki: string): SlotKey | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(spki)) return undefined;
  try {
    const key = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
      return undefined;
    return { key, spki, fingerprint: fingerprintOf(key) };
  } catch {
    return undefined;
  }
}

export class AccountState {
  readonly #users = new Map<string, SimUser>();

  addUser(account: string, name: string, options: { admin?: boolean; canAlterSelf?: boolean } = {}): SimUser {
    const user: SimUser = {
      account: account.toUpperCase(),
      name,
      slots: {},
      admin: options.admin ?? false,
      canAlterSelf: options.canAlterSelf ?? true,
    };
    const id = `${user.account}.${name}`;
    if (this.#users.has(id)) throw new Error(`User ${name} already exists in ${user.account}`);
    this.#users.set(id, user);
    return user;
  }

  /** Exact lookup, as a resolved identifier names a user. */
  find(account: string, name: string): SimUser | undefined {
    return this.#users.get(`${account.toUpperCase()}.${name}`);
  }

  /** Case-insensitive lookup, as a JWT's `sub` names a user. */
  findLogin(account: string, login: string): SimUser | undefined {
    const acct = account.toUpperCase();
    const upper = login.toUpperCase();
    for (const user of this.#users.values()) {
      if (user.account === acct && user.name.toUpperCase() === upper) return user;
    }
    return undefined;
  }

  users(): SimUser[] {
    return [...this.#users.values()];
  }
}
