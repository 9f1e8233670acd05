/**
 * Picks the Secrets Manager client for a secret (I8): the injected client for the engine's own
 * account, or a client under the customer's role (assumed with its ExternalId) for a secret in
 * another account. Assumed credentials are cached per secret until five minutes before expiry.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { InvalidConfigurationError, RotorError } from '../engine/errors.ts';
import { classifyAwsError } from './errors.ts';

/** The parts of a Secrets Manager secret ARN. */
export interface SecretArnParts {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

const SECRET_ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):([0-9]{12}):secret:(.+)$/;

/** Parses a secret ARN; `undefined` for a plain name (which always means the caller's account). */
export function parseSecretArn(secretId: string): SecretArnParts | undefined {
  const match = SECRET_ARN.exec(secretId);
  if (!match) return undefined;
  const [, partition, region, accountId, name] = match as unknown as [string, string, string, string, string];
  return { partition, region, accountId, name };
}

/** A role session name naming the secret: 2–64 chars of `[\w+=,.@-]`. */
export function sessionNameFor(secretId: string): string {
  const name = parseSecretArn(secretId)?.name ?? secretId;
  return `rotor-${name.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface SecretsManagerClientsOptions {
  /** Client for the engine's own account (injected; endpoint and credentials from its config). */
  secretsManager: SecretsManagerClient;
  sts: STSClient;
  /** The engine's account id; looked up once with `GetCallerIdentity` when absent. */
  engineAccountId?: string;
  /** Name of the role each customer account grants Rotor. */
  customerRoleName?: string;
  /** ExternalId the customer role's trust policy requires (resolved lazily, e.g. from SSM). */
  externalId?: string | (() => Promise<string>);
  now?: () => Date;
  /** Builds a client for assumed credentials; defaults to `new SecretsManagerClient(config)`. */
  createClient?: (config: AssumedClientConfig) => SecretsManagerClient;
}

/**
 * Options for every Secrets Manager client the engine builds. `cacheMiddleware` resolves a
 * command's middleware stack once per command class instead of on every call: the engine never
 * changes a client's middleware after its first call, and it is a measurable share of each call's
 * CPU (bench/README.md, figure 2).
 */
export const ENGINE_CLIENT_CONFIG = { cacheMiddleware: true } as const;

/** What {@link SecretsManagerClientsOptions.createClient} is given. */
export type AssumedClientConfig = typeof ENGINE_CLIENT_CONFIG & { region: string; credentials: Credentials };

const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * @example
 * ```ts
 * const clients = new SecretsManagerClients({ secretsManager, sts, customerRoleName: 'RotorRotation', externalId });
 * const client = await clients.forSecret('arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-AbCdEf');
 * ```
 */
export class SecretsManagerClients {
  readonly #options: SecretsManagerClientsOptions;
  #engineAccount: Promise<string> | undefined;
  readonly #cache = new Map<string, { client: SecretsManagerClient; expiration: Date }>();

  constructor(options: SecretsManagerClientsOptions) {
    this.#options = options;
    if (options.engineAccountId) this.#engineAccount = Promise.resolve(options.engineAccountId);
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  async #engineAccountId(): Promise<string> {
    this.#engineAccount ??= this.#options.sts.send(new GetCallerIdentityCommand({})).then(
      (identity) => identity.Account ?? '',
      (error: unknown) => {
        this.#engineAccount = undefined;
        throw classifyAwsError(error, 'STS', 'GetCallerIdentity');
      },
    );
    return this.#engineAccount;
  }

  /**
   * The client to use for `secretId`.
   *
   * @param options.roleArn - the role this rotation runs under, when the caller names one (the local
   *   stack passes a secret's `ExternalSecretRotationRoleArn`, as managed external secrets do); it
   *   must be a role in the secret's account. Otherwise the configured customer role name is used.
   * @throws {InvalidConfigurationError} when the secret is in another account and no role is configured.
   * @throws {PermissionDeniedError} when the role cannot be assumed.
   */
  async forSecret(secretId: string, options: { roleArn?: string } = {}): Promise<SecretsManagerClient> {
    const arn = parseSecretArn(secretId);
    if (!arn) return this.#options.secretsManager;
    if (arn.accountId === (await this.#engineAccountId())) return this.#options.secretsManager;

    const roleArn = options.roleArn ?? this.#configuredRoleArn(secretId, arn);
    const roleAccount = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/[\w+=,.@/-]+$/.exec(roleArn)?.[1];
    if (roleAccount !== arn.accountId) {
      throw new InvalidConfigurationError(
        `The rotation role ${roleArn} is not a role in the secret's account ${arn.accountId}; set ExternalSecretRotationRoleArn to arn:aws:iam::${arn.accountId}:role/<name>.`,
        { field: 'ExternalSecretRotationRoleArn' },
      );
    }
    const cacheKey = `${secretId}\u0000${roleArn}`;
    const cached = this.#cache.get(cacheKey);
    if (cached && cached.expiration.getTime() - REFRESH_MARGIN_MS > this.#now().getTime())
      return cached.client;

    const externalIdOption = this.#options.externalId;
    const externalId = typeof externalIdOption === 'function' ? await externalIdOption() : externalIdOption;
    let credentials: Credentials;
    try {
      const output = await this.#options.sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionNameFor(secretId),
          ...(externalId ? { ExternalId: externalId } : {}),
        }),
      );
      const c = output.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new Error('AssumeRole returned no credentials');
      }
      credentials = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
    } catch (error) {
      if (error instanceof RotorError) throw error;
      throw classifyAwsError(error, 'STS', `AssumeRole of ${roleArn}`);
    }
    const create = this.#options.createClient ?? ((config) => new SecretsManagerClient(config));
    const client = create({ ...ENGINE_CLIENT_CONFIG, region: arn.region, credentials });
    this.#cache.set(cacheKey, { client, expiration: credentials.expiration });
    return client;
  }

  #configuredRoleArn(secretId: string, arn: SecretArnParts): string {
    const { customerRoleName } = this.#options;
    if (!customerRoleName) {
      throw new InvalidConfigurationError(
        `Secret ${secretId} is in account ${arn.accountId}, but no customer role name is configured; set ROTOR_CUSTOMER_ROLE_NAME.`,
        { field: 'customerRoleName' },
      );
    }
    return `arn:${arn.partition}:iam::${arn.accountId}:role/${customerRoleName}`;
  }
}
