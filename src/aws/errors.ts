/**
 * Classifies AWS SDK errors into Rotor's categories, the way the SDK's own `$fault` does:
 * throttling and server faults are transient; denials and bad requests are not. AWS error
 * messages name resources and labels, never secret values, so they are kept.
 */
import {
  ConflictError,
  InternalError,
  InvalidConfigurationError,
  PartnerUnavailableError,
  PermissionDeniedError,
  type RotorError,
  ThrottledError,
} from '../engine/errors.ts';

interface SdkErrorShape {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  code?: string;
}

const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** The AWS error name (`ResourceNotFoundException`, …) of an unknown thrown value. */
export function awsErrorName(error: unknown): string | undefined {
  return (error as SdkErrorShape | undefined)?.name;
}

/**
 * Wraps an AWS SDK error in a typed Rotor error, chaining it as `cause`.
 *
 * @param action - what was being done, e.g. `DescribeSecret on arn:…`.
 */
export function classifyAwsError(error: unknown, service: string, action: string): RotorError {
  const e = (error ?? {}) as SdkErrorShape;
  const name = e.name ?? 'Error';
  const detail = `${service} ${action} failed: ${name}${e.message ? ` (${e.message})` : ''}`;
  if (DENIED.has(name)) {
    return new PermissionDeniedError(`${detail}. Check the role's permissions and trust policy.`, {
      cause: error,
    });
  }
  if (THROTTLED.has(name) || e.$metadata?.httpStatusCode === 429) {
    return new ThrottledError(`${detail}. Retry later.`, { cause: error });
  }
  if (e.$fault === 'server' || (e.code && NETWORK.has(e.code)) || name === 'TimeoutError') {
    return new PartnerUnavailableError(`${detail}. ${service} is unavailable; retry later.`, {
      cause: error,
    });
  }
  if (name === 'ResourceExistsException' || name === 'InvalidRequestException') {
    return new ConflictError(`${detail}.`, { cause: error });
  }
  if (
    name === 'ResourceNotFoundException' ||
    name === 'InvalidParameterException' ||
    name === 'ValidationException'
  ) {
    return new InvalidConfigurationError(`${detail}.`, { cause: error });
  }
  return new InternalError(`${detail}.`, { cause: error });
}
