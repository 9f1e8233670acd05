/**
 * Preflight: a dry run of a secret's onboarding, with no side effects anywhere. It checks, in
 * order, the partner type, the value against the partner schema, the rotation metadata, the role,
 * the hosts the plugin would reach (egress), and then runs the plugin's own read-only `preflight`
 * hook (authentication with the given credentials, permissions, slot state). Nothing is written to
 * Secrets Manager or the partner. Messages never carry a secret value: every sensitive field is
 * registered with a {@link Redactor} before any check runs.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { classifyAwsError } from '../aws/errors.ts';
import { resolvePartnerConfig } from '../aws/resolver.ts';
import { AWSCURRENT, SecretStore } from '../aws/secret-store.ts';
import type { PartnerCatalog } from '../runtime/catalog.ts';
import { httpClientFor } from '../runtime/egress-http.ts';
import { type RotationLogger, silentLogger } from '../runtime/logger.ts';
import type { HookContext, PreflightCheck, SecretValue } from '../runtime/partner.ts';
import { assertValid, parseSecretString } from '../runtime/validation.ts';
import { DEFAULT_GRACE_PERIOD_SECONDS } from './engine.ts';
import { RotorError } from './errors.ts';
import { assertEgressTargets } from './partner-binding.ts';
import { Redactor } from './redactor.ts';

/** What to check: the secret as the wizard would create it. */
export interface PreflightRequest {
  /** The partner `Type`. */
  type: string;
  /** The secret value (the future `SecretString`, parsed). */
  value: unknown;
  /** Rotation metadata, engine keys (`rotor:grace-period`) included. */
  metadata: Record<string, string>;
  /** The rotation role (`ExternalSecretRotationRoleArn`), if one was chosen. */
  roleArn?: string;
}

export interface PreflightOptions {
  catalog: PartnerCatalog;
  /** Reads other secrets the plugin names (e.g. `adminSecretArn`), read-only. */
  secretsManager: SecretsManagerClient;
  /** When given, a role in another account is assumed (and nothing else done with it). */
  sts?: STSClient;
  /** The ExternalId Rotor's customer roles require, for the cross-account check. */
  externalId?: string;
  simulatorMode: boolean;
  /** In simulator mode: partner type → simulator base URL. */
  simulatorUrls?: Readonly<Record<string, string>>;
  logger?: RotationLogger;
  now?: () => Date;
}

export interface PreflightReport {
  /** True when every check passed. */
  ok: boolean;
  checks: PreflightCheck[];
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/[\w+=,.@/-]{1,512}$/;

function failure(name: string, error: unknown, redactor: Redactor): PreflightCheck {
  const detail =
    error instanceof RotorError
      ? `[${error.category}] ${error.message}`
      : `[internal] Unexpected failure (${error instanceof Error ? error.name : 'unknown'}).`;
  return { name, ok: false, detail: redactor.scrub(detail) };
}

async function roleCheck(roleArn: string | undefined, options: PreflightOptions): Promise<PreflightCheck> {
  if (!roleArn) {
    return { name: 'role', ok: true, detail: 'No role chosen: the rotation runs with the service identity.' };
  }
  const match = ROLE_ARN.exec(roleArn);
  if (!match) {
    return {
      name: 'role',
      ok: false,
      detail: 'The role ARN is not an IAM role ARN; use arn:aws:iam::<12-digit account>:role/<name>.',
    };
  }
  if (!options.sts) {
    return {
      name: 'role',
      ok: true,
      detail: 'The role ARN is well-formed; this endpoint has no STS, so the role was not assumed.',
    };
  }
  try {
    const caller = await options.sts.send(new GetCallerIdentityCommand({}));
    if (caller.Account === match[1]) {
      return {
        name: 'role',
        ok: true,
        detail: 'The role is in this account; Secrets Manager assumes it at rotation time.',
      };
    }
    await options.sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'rotor-preflight',
        DurationSeconds: 900,
        ...(options.externalId ? { ExternalId: options.externalId } : {}),
      }),
    );
    return { name: 'role', ok: true, detail: `The role in account ${match[1]} could be assumed.` };
  } catch (error) {
    return failure('role', classifyAwsError(error, 'STS', `AssumeRole of ${roleArn}`), new Redactor());
  }
}

/**
 * Runs the preflight. Never throws for a failed check: each failure is a check with `ok: false`
 * and a detail that names what to fix.
 *
 * @example
 * ```ts
 * const report = await runPreflight(
 *   { type: 'SalesforceClientSecret', value, metadata: { apiVersion: 'v65.0' } },
 *   { catalog: new PartnerCatalog(), secretsManager, simulatorMode: false },
 * );
 * if (!report.ok) console.log(report.checks.filter((c) => !c.ok));
 * ```
 */
export async function runPreflight(
  request: PreflightRequest,
  options: PreflightOptions,
): Promise<PreflightReport> {
  const redactor = new Redactor();
  const checks: PreflightCheck[] = [];
  const done = () => ({ ok: checks.every((check) => check.ok), checks });

  let manifest: ReturnType<PartnerCatalog['get']>;
  try {
    manifest = await options.catalog.resolve(request.type);
    checks.push({
      name: 'partner',
      ok: true,
      detail: `${manifest.title} (${manifest.type} ${manifest.version}).`,
    });
  } catch (error) {
    checks.push(failure('partner', error, redactor));
    return done();
  }
  const value = request.value as SecretValue;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    redactor.addValues(value, manifest.sensitiveFields);
  }
  try {
    assertValid(manifest.secretSchema, value, `${manifest.type} secret value`);
    checks.push({ name: 'schema', ok: true, detail: 'The value matches the partner format.' });
  } catch (error) {
    checks.push(failure('schema', error, redactor));
  }

  let metadata: Record<string, string> = {};
  let gracePeriodSeconds = DEFAULT_GRACE_PERIOD_SECONDS;
  try {
    // The same resolver the engine uses, so engine keys are read exactly as a rotation reads them.
    const config = resolvePartnerConfig({
      $metadata: {},
      Type: manifest.type,
      ExternalSecretRotationMetadata: Object.entries(request.metadata).map(([Key, Value]) => ({
        Key,
        Value,
      })),
    });
    metadata = config.metadata;
    gracePeriodSeconds = config.gracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS;
    assertValid(manifest.metadataSchema, metadata, `${manifest.type} rotation metadata`);
    checks.push({ name: 'metadata', ok: true, detail: 'The rotation metadata matches the partner format.' });
  } catch (error) {
    checks.push(failure('metadata', error, redactor));
  }

  checks.push(await roleCheck(request.roleArn, options));

  if (checks.some((check) => !check.ok)) return done();
  try {
    assertEgressTargets(manifest, value, options.simulatorMode);
    checks.push({
      name: 'egress',
      ok: true,
      detail: `Every partner URL is on ${manifest.egress.allowedHosts.join(', ')}.`,
    });
  } catch (error) {
    checks.push(failure('egress', error, redactor));
    return done();
  }

  const rotator = await manifest.loadRotator();
  if (!rotator.preflight) {
    checks.push({
      name: 'partner-checks',
      ok: true,
      detail: 'This partner has no dry run; the first rotation tests authentication.',
    });
    return done();
  }
  const context: HookContext = {
    secretId: 'preflight',
    token: 'preflight',
    metadata,
    lastRotatedAt: undefined,
    gracePeriodSeconds,
    simulatorMode: options.simulatorMode,
    simulatorUrl: options.simulatorMode ? options.simulatorUrls?.[manifest.type] : undefined,
    http: httpClientFor(manifest, options.simulatorMode),
    log: options.logger ?? silentLogger,
    now: options.now ?? (() => new Date()),
    readSecret: async (otherId) => {
      const version = await new SecretStore(options.secretsManager).getVersion(otherId, {
        stage: AWSCURRENT,
      });
      const other = parseSecretString(version.secretString, `secret ${otherId}`);
      redactor.addValues(other);
      return other;
    },
  };
  try {
    const partnerChecks = await rotator.preflight({ current: value }, context);
    checks.push(...partnerChecks.map((check) => ({ ...check, detail: redactor.scrub(check.detail) })));
  } catch (error) {
    checks.push(failure('partner-checks', redactor.scrubError(error), redactor));
  }
  return done();
}
