/**
 * Typed service errors of the local Secrets Manager endpoint. Each carries the AWS JSON 1.1
 * `__type`, the HTTP status and a message. Messages name secrets, ARNs, version ids, labels and
 * request members only: never a `SecretString`, `SecretBinary` or `RotationToken`.
 */

/** Base of every error the service answers with; the server turns it into the error body. */
export class SecretsManagerServiceError extends Error {
  /** The `__type` of the error body and the `x-amzn-ErrorType` header. */
  readonly type: string;
  readonly statusCode: number;

  constructor(type: string, message: string, statusCode = 400) {
    super(message);
    this.name = new.target.name;
    this.type = type;
    this.statusCode = statusCode;
  }

  /** The AWS JSON 1.1 error body. */
  toJSON(): { __type: string; message: string } {
    return { __type: this.type, message: this.message };
  }
}

/** The secret, version or staging label does not exist (or the version holds no value). */
export class ResourceNotFoundError extends SecretsManagerServiceError {
  constructor(message: string) {
    super('ResourceNotFoundException', message);
  }
}

/** The request is valid but the secret's state forbids it (deleted, rotation in progress, ...). */
export class InvalidRequestError extends SecretsManagerServiceError {
  constructor(message: string) {
    super('InvalidRequestException', message);
  }
}

/** The name or the ClientRequestToken is already in use. */
export class ResourceExistsError extends SecretsManagerServiceError {
  constructor(message: string) {
    super('ResourceExistsException', message);
  }
}

/** A parameter's value breaks a service rule (as opposed to a shape constraint). */
export class InvalidParameterError extends SecretsManagerServiceError {
  constructor(message = 'The parameter name or value is invalid') {
    super('InvalidParameterException', message);
  }
}

/** A member breaks its shape constraint (length, range, pattern, enum, required). */
export class ValidationError extends SecretsManagerServiceError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}

/** The body is not JSON, or a member has the wrong JSON type. */
export class SerializationError extends SecretsManagerServiceError {
  constructor(message: string) {
    super('SerializationException', message);
  }
}

/** The `X-Amz-Target` names no operation this endpoint implements. */
export class UnknownOperationError extends SecretsManagerServiceError {
  constructor(message: string) {
    super('UnknownOperationException', message);
  }
}

/** A pagination token was not issued by this endpoint for this operation. */
export class InvalidNextTokenError extends SecretsManagerServiceError {
  constructor(message = 'The NextToken value is invalid.') {
    super('InvalidNextTokenException', message);
  }
}

/** The request would exceed a quota (e.g. 100 versions per secret). */
export class LimitExceededError extends SecretsManagerServiceError {
  constructor(message: string) {
    super('LimitExceededException', message);
  }
}

/** The account's request rate in the Region is over a quota (the write quota, see `write-quota.ts`). */
export class ThrottlingError extends SecretsManagerServiceError {
  constructor(message = 'Rate exceeded') {
    super('ThrottlingException', message);
  }
}

/** A server fault: the detail stays on the server, the client gets a fixed message. */
export class InternalServiceError extends SecretsManagerServiceError {
  constructor(message = 'An internal error occurred.') {
    super('InternalServiceError', message, 500);
  }
}

/** The caller's policies (or the secret's account) do not allow the action. */
export class AccessDeniedError extends SecretsManagerServiceError {
  constructor(message: string) {
    super('AccessDeniedException', message);
  }
}
