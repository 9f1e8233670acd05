/** A local, AWS JSON 1.1-compatible Secrets Manager endpoint for tests and local runs. */
export type { Operation, OperationContext } from './context.ts';
export {
  InternalServiceError,
  InvalidNextTokenError,
  InvalidParameterError,
  InvalidRequestError,
  LimitExceededError,
  ResourceExistsError,
  ResourceNotFoundError,
  SecretsManagerServiceError,
  SerializationError,
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
export {
  createSecretsManagerListener,
  regionFromAuthorization,
  type SecretsManagerServer,
  type SecretsManagerServerOptions,
  startSecretsManagerServer,
} from './server.ts';
export { SecretsManagerService, SUPPORTED_OPERATIONS } from './service.ts';
