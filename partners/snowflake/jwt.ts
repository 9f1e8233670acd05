/**
 * Key-pair JWTs for Snowflake (reference partner-apis.md §4): `iss = <ACCOUNT>.<USER>.SHA256:<fp>`,
 * `sub = <ACCOUNT>.<USER>`, `iat`, `exp`. Hand-written on `node:crypto` because no JWT library is
 * installed; a JWS with an RSASSA-PKCS1-v1_5 signature is three base64url parts and one `sign`.
 * A JWT is a bearer credential: never log it.
 */
import { type KeyObject, sign } from 'node:crypto';
import { fingerprint } from './keys.ts';
import type { SigningAlgorithm } from './types.ts';

/** Sample generators use 59 minutes; Snowflake's maximum (about one hour) is not confirmed. */
export const JWT_LIFETIME_SECONDS = 59 * 60;

export const HASH_OF: Record<SigningAlgorithm, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
};

/**
 * The account part of `iss`/`sub`: upper case, without region, cloud or `privatelink` suffixes
 * (`xy12345.us-east-2.aws` → `XY12345`, `myorg-acct` → `MYORG-ACCT`).
 */
export function jwtAccount(account: string): string {
  return (account.split('.')[0] ?? account).toUpperCase();
}

/** The user part of `iss`/`sub`: upper case, as Snowflake's generators do. */
export function jwtUser(user: string): string {
  return user.toUpperCase();
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export interface KeyPairJwtInput {
  account: string;
  user: string;
  privateKey: KeyObject;
  algorithm: SigningAlgorithm;
  now: Date;
  lifetimeSeconds?: number;
}

/**
 * Signs a key-pair JWT.
 *
 * @example
 * ```ts
 * const jwt = signKeyPairJwt({ account: 'myorg-acct', user: 'svc', privateKey, algorithm: 'RS256', now: new Date() });
 * ```
 */
export function signKeyPairJwt(input: KeyPairJwtInput): string {
  const subject = `${jwtAccount(input.account)}.${jwtUser(input.user)}`;
  const iat = Math.floor(input.now.getTime() / 1000);
  const header = base64url(JSON.stringify({ alg: input.algorithm, typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: `${subject}.${fingerprint(input.privateKey)}`,
      sub: subject,
      iat,
      exp: iat + (input.lifetimeSeconds ?? JWT_LIFETIME_SECONDS),
    }),
  );
  const signature = sign(HASH_OF[input.algorithm], Buffer.from(`${header}.${payload}`), input.privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}
