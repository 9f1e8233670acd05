/**
 * Real verification of Snowflake key-pair JWTs: the RS256/384/512 signature is checked with
 * `node:crypto` against the public key in the slot whose fingerprint `iss` names, and
 * `iss`/`sub`/`iat`/`exp` are checked against the account, the user and the simulator's clock.
 * Written independently of the rotator's signer so that a bug in one is caught by the other.
 */
import { verify } from 'node:crypto';
import type { SnowflakeSimulatorBehaviour } from './behaviour.ts';
import { type AccountState, type SimUser, SLOT_NAMES } from './state.ts';

const HASHES: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type JwtVerdict = { ok: true; user: SimUser } | { ok: false; reason: string };

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a key-pair JWT and returns the user it authenticates.
 *
 * @example
 * ```ts
 * const verdict = verifyKeyPairJwt(token, state, clock.now(), behaviour);
 * if (!verdict.ok) return unauthorized(verdict.reason);
 * ```
 */
export function verifyKeyPairJwt(
  token: string,
  state: AccountState,
  now: Date,
  behaviour: Pick<SnowflakeSimulatorBehaviour, 'maxTokenLifetimeSeconds' | 'clockSkewSeconds'>,
): JwtVerdict {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) {
    return { ok: false, reason: 'not a compact JWS' };
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart);
  const payload = decodePart(payloadPart);
  if (!header || !payload) return { ok: false, reason: 'header or payload is not JSON' };
  const hash = typeof header.alg === 'string' ? HASHES[header.alg] : undefined;
  if (!hash) return { ok: false, reason: 'alg is not RS256, RS384 or RS512' };

  const { iss, sub, iat, exp } = payload;
  if (typeof iss !== 'string' || typeof sub !== 'string') return { ok: false, reason: 'iss or sub missing' };
  if (!Number.isInteger(iat) || !Number.isInteger(exp)) return { ok: false, reason: 'iat or exp missing' };
  const dot = sub.indexOf('.');
  if (dot <= 0 || dot === sub.length - 1) return { ok: false, reason: 'sub is not <ACCOUNT>.<USER>' };
  if (sub !== sub.toUpperCase()) return { ok: false, reason: 'sub is not upper case' };
  if (!iss.startsWith(`${sub}.SHA256:`))
    return { ok: false, reason: 'iss is not <sub>.SHA256:<fingerprint>' };
  const fingerprint = iss.slice(sub.length + 1);

  const nowSeconds = Math.floor(now.getTime() / 1000);
  const skew = behaviour.clockSkewSeconds;
  if ((iat as number) > nowSeconds + skew) return { ok: false, reason: 'iat is in the future' };
  if ((exp as number) + skew < nowSeconds) return { ok: false, reason: 'token expired' };
  if ((exp as number) <= (iat as number)) return { ok: false, reason: 'exp is not after iat' };
  if ((exp as number) - (iat as number) > behaviour.maxTokenLifetimeSeconds) {
    return { ok: false, reason: 'lifetime exceeds the maximum' };
  }

  const user = state.findLogin(sub.slice(0, dot), sub.slice(dot + 1));
  if (!user) return { ok: false, reason: 'no such user' };
  const slot = SLOT_NAMES.map((name) => user.slots[name]).find((key) => key?.fingerprint === fingerprint);
  if (!slot) return { ok: false, reason: 'fingerprint matches no key slot of the user' };
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  if (!verify(hash, signed, slot.key, Buffer.from(signaturePart, 'base64url'))) {
    return { ok: false, reason: 'signature does not verify' };
  }
  return { ok: true, user };
}
