/** Typed errors of the local stack's durable storage. Messages name files and collections, never values. */

/** The data directory, its database or its master key cannot be used. */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** A stored value does not decrypt under the master key (wrong key file, or tampered data). */
export class DecryptionError extends StorageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecryptionError';
  }
}
