/**
 * Typed errors of a rotation. Every error carries a {@link ErrorCategory} that decides retry and
 * alerting, chains its `cause`, and never carries a secret value: messages are written from ids,
 * field names and status codes only.
 */

/** What went wrong, as far as retry and alerting care. */
export type ErrorCategory =
  | 'partner-unavailable'
  | 'throttled'
  | 'credential-rejected'
  | 'permission-denied'
  | 'invalid-configuration'
  | 'conflict'
  | 'internal';

/** Categories worth retrying unchanged: the fault is transient, not in the request. */
export const RETRYABLE_CATEGORIES: ReadonlySet<ErrorCategory> = new Set(['partner-unavailable', 'throttled']);

/** Where a rotation failed, for events and logs. */
export interface ErrorContext {
  partnerType?: string;
  step?: string;
  secretId?: string;
}

/**
 * Base of every error Rotor raises on purpose.
 *
 * @example
 * ```ts
 * try { await engine.run(event); } catch (error) {
 *   if (error instanceof RotorError && error.retryable) scheduleRetry();
 * }
 * ```
 */
export class RotorError extends Error {
  readonly category: ErrorCategory;
  readonly context: ErrorContext;

  constructor(
    category: ErrorCategory,
    message: string,
    options?: { cause?: unknown; context?: ErrorContext },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.category = category;
    this.context = { ...options?.context };
  }

  /** `$fault`-style classification: transient faults are retried, the rest are not. */
  get retryable(): boolean {
    return RETRYABLE_CATEGORIES.has(this.category);
  }

  /** The same error with where it happened filled in (first writer wins). */
  withContext(context: ErrorContext): this {
    for (const [key, value] of Object.entries(context) as [keyof ErrorContext, string | undefined][]) {
      if (value !== undefined && this.context[key] === undefined) this.context[key] = value;
    }
    return this;
  }

  /** A plain object safe to log or publish: category, name, message and context only. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, category: this.category, message: this.message, ...this.context };
  }
}

/** The partner's API could not be reached or answered with a server fault. */
export class PartnerUnavailableError extends RotorError {
  constructor(message: string, options?: { cause?: unknown; context?: ErrorContext }) {
    super('partner-unavailable', message, options);
  }
}

/** The partner or AWS asked us to slow down. */
export class ThrottledError extends RotorError {
  /** How long the partner asked to wait (its `Retry-After`), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    message: string,
    options?: { cause?: unknown; context?: ErrorContext; retryAfterSeconds?: number },
  ) {
    super('throttled', message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** A credential did not authenticate at the partner. */
export class CredentialRejectedError extends RotorError {
  constructor(message: string, options?: { cause?: unknown; context?: ErrorContext }) {
    super('credential-rejected', message, options);
  }
}

/** The identity used lacks a permission, at the partner or in AWS. */
export class PermissionDeniedError extends RotorError {
  constructor(message: string, options?: { cause?: unknown; context?: ErrorContext }) {
    super('permission-denied', message, options);
  }
}

/**
 * The secret, its metadata, the event or the operator's configuration is wrong. Raised before any
 * change at the source or in the store (I6). The message names the field and the fix.
 */
export class InvalidConfigurationError extends RotorError {
  readonly field: string | undefined;

  constructor(message: string, options?: { cause?: unknown; context?: ErrorContext; field?: string }) {
    super('invalid-configuration', message, options);
    this.field = options?.field;
  }
}

/** The state at the source or in the store does not allow the step (e.g. an occupied slot). */
export class ConflictError extends RotorError {
  constructor(message: string, options?: { cause?: unknown; context?: ErrorContext }) {
    super('conflict', message, options);
  }
}

/** A bug or an unexpected answer: never retried blindly. */
export class InternalError extends RotorError {
  constructor(message: string, options?: { cause?: unknown; context?: ErrorContext }) {
    super('internal', message, options);
  }
}

/** Maps a category back to its class, for code that classifies an answer by category. */
export function errorForCategory(
  category: ErrorCategory,
  message: string,
  options?: { cause?: unknown; context?: ErrorContext },
): RotorError {
  switch (category) {
    case 'partner-unavailable':
      return new PartnerUnavailableError(message, options);
    case 'throttled':
      return new ThrottledError(message, options);
    case 'credential-rejected':
      return new CredentialRejectedError(message, options);
    case 'permission-denied':
      return new PermissionDeniedError(message, options);
    case 'invalid-configuration':
      return new InvalidConfigurationError(message, options);
    case 'conflict':
      return new ConflictError(message, options);
    case 'internal':
      return new InternalError(message, options);
  }
}
