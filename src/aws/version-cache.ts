/**
 * Secret versions are immutable, so a value read (or written) once by version id can be reused by
 * later steps of the same rotation in a warm container: set, test and finish then make no
 * `GetSecretValue` calls at all. Entries expire after a few minutes and the cache is small: it
 * holds secret values, so it keeps them no longer than a rotation needs.
 */
const DEFAULT_TTL_MS = 15 * 60 * 1000;
const DEFAULT_MAX_ENTRIES = 64;

export class VersionCache {
  readonly #entries = new Map<string, { secretString: string; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  get(secretArn: string, versionId: string): string | undefined {
    const key = `${secretArn}\u0000${versionId}`;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.secretString;
  }

  set(secretArn: string, versionId: string, secretString: string): void {
    const key = `${secretArn}\u0000${versionId}`;
    this.#entries.delete(key);
    this.#entries.set(key, { secretString, expiresAt: this.#now() + this.#ttlMs });
    // Oldest first: Map keeps insertion order.
    while (this.#entries.size > this.#maxEntries)
      this.#entries.delete(this.#entries.keys().next().value as string);
  }
}
