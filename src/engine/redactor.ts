/**
 * Defence in depth for I7: every secret string the engine handles is registered here, and any
 * message that leaves the engine (errors, logs) is scrubbed of them, including the `cause` chain
 * and stack traces, in case a partner echoes a credential in an error body.
 */
const MIN_LENGTH = 6;
const MASK = '[redacted]';

export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers values to scrub; short values are ignored (too likely to hit ordinary words). */
  add(...values: (string | undefined)[]): void {
    for (const value of values) if (value && value.length >= MIN_LENGTH) this.#secrets.add(value);
  }

  /** Registers every string value of an object (a secret document). */
  addValues(document: Record<string, unknown>, fields?: readonly string[]): void {
    for (const [key, value] of Object.entries(document)) {
      if (typeof value === 'string' && (!fields || fields.includes(key))) this.add(value);
    }
  }

  scrub(text: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.split(secret).join(MASK);
    return result;
  }

  /** Scrubs an error's message, stack and its whole `cause` chain in place. */
  scrubError<E>(error: E): E {
    const seen = new Set<unknown>();
    let current: unknown = error;
    while (current instanceof Error && !seen.has(current)) {
      seen.add(current);
      current.message = this.scrub(current.message);
      if (current.stack) current.stack = this.scrub(current.stack);
      current = current.cause;
    }
    return error;
  }
}
