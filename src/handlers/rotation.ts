/**
 * Lambda entry point for Secrets Manager rotation. It runs unchanged against AWS or any compatible
 * endpoint: SDK clients take their endpoint from the SDK's own environment variables
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_STS`).
 *
 * Configuration (environment):
 * - `ROTOR_CUSTOMER_ROLE_NAME`: role to assume in a secret's account when it is not this one;
 * - `ROTOR_EXTERNAL_ID`: the ExternalId that role's trust policy requires;
 * - `ROTOR_GRACE_PERIOD_SECONDS`: default grace period before revoking a rotated-out credential;
 * - `ROTOR_SIMULATOR_MODE=true`: accept loopback partner URLs (local stack and tests only);
 * - `ROTOR_SIMULATOR_URLS`: in simulator mode, JSON `{ "<Type>": "<simulator base URL>" }`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { SecretsManagerClients, type SecretsManagerClientsOptions } from '../aws/roles.ts';
import { RotationEngine } from '../engine/engine.ts';
import { InvalidConfigurationError } from '../engine/errors.ts';
import type { RotorEventSink } from '../engine/events.ts';
import type { RotationLogger } from '../runtime/logger.ts';

/** The part of the Lambda context the handler reads. */
export interface LambdaContextLike {
  invokedFunctionArn?: string;
}

export interface RotationHandlerOptions {
  secretsManager?: SecretsManagerClient;
  sts?: STSClient;
  logger?: RotationLogger;
  events?: RotorEventSink;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Builds the client for a customer role's assumed credentials (the local stack points it at itself). */
  createSecretsManagerClient?: SecretsManagerClientsOptions['createClient'];
}

/** Adapts Powertools Logger (structured JSON to stdout) to the engine's narrow logger. */
export function powertoolsLogger(logger: Logger): RotationLogger {
  return {
    debug: (message, attributes) => logger.debug(message, { ...attributes }),
    info: (message, attributes) => logger.info(message, { ...attributes }),
    warn: (message, attributes) => logger.warn(message, { ...attributes }),
    error: (message, attributes) => logger.error(message, { ...attributes }),
  };
}

function simulatorUrlsFrom(env: NodeJS.ProcessEnv): Record<string, string> | undefined {
  const raw = env.ROTOR_SIMULATOR_URLS;
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && Object.values(parsed).every((v) => typeof v === 'string')) {
      return parsed as Record<string, string>;
    }
  } catch {
    // reported below
  }
  throw new InvalidConfigurationError('ROTOR_SIMULATOR_URLS must be a JSON object of partner type to URL.', {
    field: 'ROTOR_SIMULATOR_URLS',
  });
}

function gracePeriodFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.ROTOR_GRACE_PERIOD_SECONDS;
  if (raw === undefined || raw === '') return undefined;
  if (!/^[0-9]{1,8}$/.test(raw)) {
    throw new InvalidConfigurationError('ROTOR_GRACE_PERIOD_SECONDS must be a whole number of seconds.', {
      field: 'ROTOR_GRACE_PERIOD_SECONDS',
    });
  }
  return Number(raw);
}

/**
 * Builds a rotation handler. The module's {@link handler} is this with defaults from the
 * environment; the local stack builds its own with clients pointed at itself.
 *
 * @example
 * ```ts
 * const rotate = createRotationHandler({ secretsManager: new SecretsManagerClient({ endpoint }) });
 * await rotate({ Step: 'createSecret', SecretId: arn, ClientRequestToken: versionId });
 * ```
 */
export function createRotationHandler(options: RotationHandlerOptions = {}) {
  const env = options.env ?? process.env;
  let engine: RotationEngine | undefined;
  return async (event: unknown, context?: LambdaContextLike): Promise<void> => {
    engine ??= new RotationEngine({
      clients: new SecretsManagerClients({
        secretsManager: options.secretsManager ?? new SecretsManagerClient({}),
        sts: options.sts ?? new STSClient({}),
        engineAccountId: context?.invokedFunctionArn?.split(':')[4],
        customerRoleName: env.ROTOR_CUSTOMER_ROLE_NAME || undefined,
        externalId: env.ROTOR_EXTERNAL_ID || undefined,
        now: options.now,
        createClient: options.createSecretsManagerClient,
      }),
      logger: options.logger ?? powertoolsLogger(new Logger({ serviceName: 'rotor-rotation' })),
      events: options.events,
      now: options.now,
      simulatorMode: env.ROTOR_SIMULATOR_MODE === 'true',
      simulatorUrls: simulatorUrlsFrom(env),
      defaultGracePeriodSeconds: gracePeriodFrom(env),
    });
    await engine.run(event);
  };
}

/** The Lambda handler: `Handler: rotation.handler`. */
export const handler = createRotationHandler();
