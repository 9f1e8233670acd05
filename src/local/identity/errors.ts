/**
 * Authentication and authorization failures of the local stack, with the shape each wire protocol
 * uses: AWS JSON 1.1 `__type` (Secrets Manager, EventBridge) and the query protocol's `Code` (STS).
 * Messages name keys, principals, actions and resources, never a secret key or session token.
 */

export class IdentityError extends Error {
  constructor(
    message: string,
    /** `__type` on JSON protocols. */
    readonly jsonType: string,
    /** `<Code>` on the query protocol (STS). */
    readonly queryCode: string,
    /** HTTP status on the query protocol (JSON protocols answer 400). */
    readonly queryStatus: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request carries no SigV4 `Authorization` header. */
export class MissingAuthenticationError extends IdentityError {
  constructor() {
    super(
      'Request is missing Authentication Token',
      'MissingAuthenticationTokenException',
      'MissingAuthenticationToken',
      403,
    );
  }
}

/** The `Authorization` header is not a well-formed SigV4 header. */
export class IncompleteSignatureError extends IdentityError {
  constructor(message: string) {
    super(message, 'IncompleteSignatureException', 'IncompleteSignature', 400);
  }
}

/** The access key (or its session token) is not one the stack issued. */
export class UnrecognizedClientError extends IdentityError {
  constructor() {
    super(
      'The security token included in the request is invalid.',
      'UnrecognizedClientException',
      'InvalidClientTokenId',
      403,
    );
  }
}

/** The recomputed signature differs from the request's (or its scope or date is wrong). */
export class InvalidSignatureError extends IdentityError {
  constructor(
    message = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  ) {
    super(message, 'InvalidSignatureException', 'SignatureDoesNotMatch', 403);
  }
}

/** The session credentials have expired. */
export class ExpiredTokenError extends IdentityError {
  constructor() {
    super(
      'The security token included in the request is expired',
      'ExpiredTokenException',
      'ExpiredToken',
      400,
    );
  }
}

/** A policy (identity or trust) does not allow the action. */
export class AccessDeniedError extends IdentityError {
  constructor(message: string) {
    super(message, 'AccessDeniedException', 'AccessDenied', 403);
  }
}

/** A request member breaks its rule (STS `ValidationError`). */
export class IdentityValidationError extends IdentityError {
  constructor(message: string) {
    super(message, 'ValidationException', 'ValidationError', 400);
  }
}

/** The identity configuration file is unreadable or invalid. */
export class IdentityConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityConfigError';
  }
}
