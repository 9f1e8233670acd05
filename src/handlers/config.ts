/**
 * The handlers' configuration, read once from the environment and checked before any call: a bad
 * value is a typed error naming the variable (I6). The ExternalId is never an environment value in
 * a deployment: the function gets the *name* of the Secrets Manager secret or SSM SecureString
 * parameter holding it and reads it at run time through Powertools Parameters (cached).
 * `ROTOR_EXTERNAL_ID` remains for local use.
 *
 * `ROTOR_SM_WRITES_PER_SECOND` paces the function's quota-counted Secrets Manager writes
 * (`PutSecretValue`, `UpdateSecret`, `UpdateSecretVersionStage`) per account and Region through a
 * `WriteBudget` (`src/aws/write-budget.ts`); unset, writes are not paced and a `ThrottlingException` is left to the SDK's
 * retry. The budget lives in one container: with several containers writing to one account at
 * once, give each its share (AWS's quota of 50, divided by the function's reserved concurrency).
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { WriteBudgetOptions } from '../aws/write-budget.ts';
import { InvalidConfigurationError } from '../engine/errors.ts';

/** How long a fetched ExternalId is reused before it is read again (rotating it takes effect within this). */
export const EXTERNAL_ID_MAX_AGE_SECONDS = 300;

export interface SchedulerConfig {
  groupName: string;
  targetArn: string;
  roleArn: string;
}

export interface HandlerConfig {
  customerRoleName: string | undefined;
  /** Where the ExternalId comes from, if any. */
  externalId:
    | { from: 'value'; value: string }
    | { from: 'secret'; name: string }
    | { from: 'parameter'; name: string }
    | undefined;
  defaultGracePeriodSeconds: number | undefined;
  simulatorMode: boolean;
  simulatorUrls: Record<string, string> | undefined;
  /** Rotor's EventBridge bus; events are dropped when unset (the local stack). */
  eventBusName: string | undefined;
  /** Grace-period revocation schedules; none when unset (revocation then happens on the next rotation). */
  scheduler: SchedulerConfig | undefined;
  /** Pacing of quota-counted Secrets Manager writes (`ROTOR_SM_WRITES_PER_SECOND`); none when unset. */
  writeBudget: WriteBudgetOptions | undefined;
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

function writeBudgetFrom(env: NodeJS.ProcessEnv): WriteBudgetOptions | undefined {
  const raw = env.ROTOR_SM_WRITES_PER_SECOND;
  if (raw === undefined || raw === '') return undefined;
  const writesPerSecond = Number(raw);
  if (!/^[0-9]{1,6}(\.[0-9]{1,3})?$/.test(raw) || !(writesPerSecond > 0)) {
    throw new InvalidConfigurationError(
      'ROTOR_SM_WRITES_PER_SECOND must be a positive number of writes per second (e.g. 50, or 50 divided by the reserved concurrency); unset it to leave writes unpaced.',
      { field: 'ROTOR_SM_WRITES_PER_SECOND' },
    );
  }
  return { writesPerSecond };
}

function externalIdFrom(env: NodeJS.ProcessEnv): HandlerConfig['externalId'] {
  const sources = [
    env.ROTOR_EXTERNAL_ID ? ({ from: 'value', value: env.ROTOR_EXTERNAL_ID } as const) : undefined,
    env.ROTOR_EXTERNAL_ID_SECRET
      ? ({ from: 'secret', name: env.ROTOR_EXTERNAL_ID_SECRET } as const)
      : undefined,
    env.ROTOR_EXTERNAL_ID_PARAMETER
      ? ({ from: 'parameter', name: env.ROTOR_EXTERNAL_ID_PARAMETER } as const)
      : undefined,
  ].filter((source) => source !== undefined);
  if (sources.length > 1) {
    throw new InvalidConfigurationError(
      'Set only one of ROTOR_EXTERNAL_ID, ROTOR_EXTERNAL_ID_SECRET and ROTOR_EXTERNAL_ID_PARAMETER.',
      { field: 'ROTOR_EXTERNAL_ID_SECRET' },
    );
  }
  return sources[0];
}

function schedulerFrom(env: NodeJS.ProcessEnv): SchedulerConfig | undefined {
  const names = [
    'ROTOR_SCHEDULE_GROUP',
    'ROTOR_REVOCATION_FUNCTION_ARN',
    'ROTOR_SCHEDULER_ROLE_ARN',
  ] as const;
  const set = names.filter((name) => env[name]);
  if (set.length === 0) return undefined;
  const missing = names.find((name) => !env[name]);
  if (missing) {
    throw new InvalidConfigurationError(
      `${missing} is not set; revocation scheduling needs all of ${names.join(', ')}.`,
      { field: missing },
    );
  }
  return {
    groupName: env.ROTOR_SCHEDULE_GROUP as string,
    targetArn: env.ROTOR_REVOCATION_FUNCTION_ARN as string,
    roleArn: env.ROTOR_SCHEDULER_ROLE_ARN as string,
  };
}

/**
 * Reads and checks the handler configuration.
 *
 * @throws {InvalidConfigurationError} naming the first bad variable.
 * @example
 * ```ts
 * const config = handlerConfigFrom(process.env);
 * ```
 */
export function handlerConfigFrom(env: NodeJS.ProcessEnv): HandlerConfig {
  return {
    customerRoleName: env.ROTOR_CUSTOMER_ROLE_NAME || undefined,
    externalId: externalIdFrom(env),
    defaultGracePeriodSeconds: gracePeriodFrom(env),
    simulatorMode: env.ROTOR_SIMULATOR_MODE === 'true',
    simulatorUrls: simulatorUrlsFrom(env),
    eventBusName: env.ROTOR_EVENT_BUS_NAME || undefined,
    scheduler: schedulerFrom(env),
    writeBudget: writeBudgetFrom(env),
  };
}

/**
 * The ExternalId as {@link SecretsManagerClients} wants it: a value, or a cached reader of the
 * secret or parameter named in the configuration.
 *
 * @param secretsManager - the function's own-account client (the ExternalId secret lives there).
 * @example
 * ```ts
 * new SecretsManagerClients({ secretsManager, sts, externalId: externalIdReader(config, secretsManager) });
 * ```
 */
export function externalIdReader(
  config: HandlerConfig,
  secretsManager: SecretsManagerClient,
  ssm?: SSMClient,
): string | (() => Promise<string>) | undefined {
  const source = config.externalId;
  if (!source) return undefined;
  if (source.from === 'value') return source.value;
  const read =
    source.from === 'secret'
      ? (() => {
          const provider = new SecretsProvider({ awsSdkV3Client: secretsManager });
          return () => provider.get(source.name, { maxAge: EXTERNAL_ID_MAX_AGE_SECONDS });
        })()
      : (() => {
          // Loaded on first use: the template stores the ExternalId in Secrets Manager, so the SSM
          // client stays out of the bundle's entry file.
          let provider: Promise<{ get(name: string, options: object): Promise<unknown> }> | undefined;
          return async () => {
            provider ??= (async () => {
              const [{ SSMProvider }, { SSMClient }] = await Promise.all([
                import('@aws-lambda-powertools/parameters/ssm'),
                import('@aws-sdk/client-ssm'),
              ]);
              return new SSMProvider({ awsSdkV3Client: ssm ?? new SSMClient({}) });
            })();
            return (await provider).get(source.name, { decrypt: true, maxAge: EXTERNAL_ID_MAX_AGE_SECONDS });
          };
        })();
  const variable = source.from === 'secret' ? 'ROTOR_EXTERNAL_ID_SECRET' : 'ROTOR_EXTERNAL_ID_PARAMETER';
  return async () => {
    let value: unknown;
    try {
      value = await read();
    } catch (error) {
      throw new InvalidConfigurationError(
        `Could not read the ExternalId from ${source.name} (${variable}); check that it exists and the function may read it.`,
        { field: variable, cause: error },
      );
    }
    if (typeof value !== 'string' || value.length < 2) {
      throw new InvalidConfigurationError(
        `The ExternalId stored in ${source.name} (${variable}) is empty or not a string; store it as plain text.`,
        { field: variable },
      );
    }
    return value;
  };
}
