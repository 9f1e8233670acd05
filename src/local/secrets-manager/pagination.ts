/** Offset pagination with opaque tokens bound to the operation (and secret) that issued them. */
import { InvalidNextTokenError } from './errors.ts';

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

function encode(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

function decode(token: string, scope: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 's' in parsed && 'o' in parsed) {
      const { s, o } = parsed;
      if (s === scope && typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
    }
  } catch {
    // Not base64url JSON: fall through to the error below.
  }
  throw new InvalidNextTokenError();
}

/** One page of `items`. @throws InvalidNextTokenError for a token this scope did not issue. */
export function paginate<T>(
  items: T[],
  maxResults: number,
  nextToken: string | undefined,
  scope: string,
): Page<T> {
  const start = nextToken === undefined ? 0 : decode(nextToken, scope);
  const end = start + maxResults;
  return { items: items.slice(start, end), nextToken: end < items.length ? encode(scope, end) : undefined };
}
