/** A local, AWS JSON 1.1-compatible Secrets Manager endpoint for tests and local runs. */
export type { Operation, OperationContext, RequestCaller } from './context.ts';
export {
  AccessDeniedError,
  InternalServiceError,
  InvalidNextTokenError,
  InvalidParameterError,
  InvalidRequestError,
  LimitExceededError,
  ResourceExistsError,
  ResourceNotFoundError,
  SecretsManagerServiceError,
  SerializationError,
  ThrottlingError,
  UnknownOperationError,
  ValidationError,
} from './errors.ts';
export * as messages from './messages.ts';
export {
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  type ExternalSecretRotationMetadataItem,
  type RotationRequest,
  type RotationRules,
  type SecretsManagerServiceOptions,
  type Tag,
} from './model.ts';
export { SECRETS_COLLECTION, type SecretPersistence, type StoredSecret } from './persistence.ts';
export {
  answerSecretsManager,
  createSecretsManagerListener,
  readBody,
  regionFromAuthorization,
  type SecretsManagerServer,
  type SecretsManagerServerOptions,
  sendAwsJson,
  startSecretsManagerServer,
} from './server.ts';
export { type RequestContext, SecretsManagerService, SUPPORTED_OPERATIONS } from './service.ts';
export { QUOTA_WRITES, WriteQuota, type WriteQuotaOptions } from './write-quota.ts';
