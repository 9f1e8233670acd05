/**
 * A partner-agnostic rotation bench for the fault, consumer and corpus suites: the local Secrets
 * Manager endpoint, one catalog partner's simulator behind the fault proxy, and engines whose
 * Secrets Manager client carries the fault middleware. Secrets point at the proxy (every URL field
 * the manifest's egress names, and `simulatorUrls[type]`); probes are asked with upstream URLs so
 * that test-side checks are never counted or faulted.
 */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { GRACE_PERIOD_KEY } from '../../../src/aws/resolver.ts';
import { SecretsManagerClients } from '../../../src/aws/roles.ts';
import { RotationEngine } from '../../../src/engine/engine.ts';
import type { RotorEventSink } from '../../../src/engine/events.ts';
import {
  SecretsManagerService,
  startSecretsManagerServer,
} from '../../../src/local/secrets-manager/index.ts';
import { LOCAL_CREDENTIALS } from '../../../src/local/stack.ts';
import type { AnyPartnerManifest } from '../../../src/runtime/catalog.ts';
import { type RotationLogger, silentLogger } from '../../../src/runtime/logger.ts';
import type { RunningSimulator, SecretValue, SimulatorProbe } from '../../../src/runtime/partner.ts';
import { FaultPlan } from './fault-plan.ts';
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts';
import { injectSdkFaults } from './sdk-middleware.ts';

export const ACCOUNT_ID = '000000000000';

export interface BenchSecret {
  arn: string;
  /** Value as stored (URL fields point at the proxy). */
  value: SecretValue;
  /** Rotation metadata passed on every RotateSecret. */
  metadata: Record<string, string>;
}

export interface PartnerBench {
  manifest: AnyPartnerManifest;
  simulator: RunningSimulator;
  proxy: FaultProxy;
  plan: FaultPlan;
  /** Test-side client: never faulted, never counted. */
  sm: SecretsManagerClient;
  /** The engine's client: faulted and counted through the plan. */
  engineSm: SecretsManagerClient;
  clients: SecretsManagerClients;
  /** A new engine (empty version cache: a fresh container). */
  newEngine(options?: {
    logger?: RotationLogger;
    simulatorMode?: boolean;
    events?: RotorEventSink;
  }): RotationEngine;
  /** A fresh app at the simulator, stored as a new secret of the partner's Type. */
  createSecret(metadata?: Record<string, string>): Promise<BenchSecret>;
  /** RotateSecret with the secret's metadata: creates the AWSPENDING version id. */
  startRotation(secret: BenchSecret): Promise<string>;
  valueAt(arn: string, stage: string): Promise<SecretValue | undefined>;
  stages(arn: string): Promise<Record<string, string[]>>;
  /** Store state: versions with labels (deprecated ones too) and the AWSCURRENT value. */
  storeSnapshot(arn: string): Promise<string>;
  /** The probe, asked with upstream URLs. */
  authenticates(value: SecretValue): Promise<boolean>;
  liveCredentials(value: SecretValue): Promise<number>;
  probe: SimulatorProbe;
  /** The bench clock shared by the store and every engine. */
  now(): Date;
  /** Moves the store's and the engine's clock (grace periods) and the simulator's. */
  advance(ms: number): void;
  /**
   * Another bench on the same endpoint and simulator with its own plan, proxy and engine client,
   * so independent cases can run side by side. Closing it closes only its proxy.
   */
  fork(): Promise<PartnerBench>;
  close(): Promise<void>;
}

/** Replaces every string field of `value` with `map(field)`. */
function mapStrings(value: SecretValue, map: (text: string) => string): SecretValue {
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, typeof field === 'string' ? map(field) : field]),
  );
}

let benchSecrets = 0;

/**
 * @example
 * ```ts
 * const bench = await startPartnerBench(manifest);
 * const secret = await bench.createSecret();
 * const token = await bench.startRotation(secret);
 * ```
 */
export async function startPartnerBench(
  manifest: AnyPartnerManifest,
  options: { logger?: RotationLogger } = {},
): Promise<PartnerBench> {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const service = new SecretsManagerService({ accountId: ACCOUNT_ID, now });
  const server = await startSecretsManagerServer({ service, port: 0 });
  const simulator = await manifest.startSimulator({ port: 0 });
  const lane = async (primary: boolean): Promise<PartnerBench> => {
    const plan = new FaultPlan();
    const proxy = await startFaultProxy(simulator.baseUrl, plan);
    const clientConfig = { endpoint: server.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
    const sm = new SecretsManagerClient(clientConfig);
    const engineSm = new SecretsManagerClient({ ...clientConfig, maxAttempts: 1 });
    injectSdkFaults(engineSm, plan);
    // No STS call happens while the engine's own account holds the secret; a cross-account bench
    // (role assumption) gets its STS calls counted and faulted like every other call.
    const sts = new STSClient({ ...clientConfig, maxAttempts: 1 });
    injectSdkFaults(sts, plan);
    const clients = new SecretsManagerClients({
      secretsManager: engineSm,
      sts,
      engineAccountId: ACCOUNT_ID,
    });
    const probe = simulator.probe;
    const upstream = (value: SecretValue) => mapStrings(value, proxy.toUpstream);

    const bench: PartnerBench = {
      fork: () => lane(false),
      now,
      manifest,
      simulator,
      proxy,
      plan,
      sm,
      engineSm,
      clients,
      probe,
      newEngine: (engineOptions = {}) =>
        new RotationEngine({
          clients,
          simulatorMode: engineOptions.simulatorMode ?? true,
          simulatorUrls: { [manifest.type]: proxy.url },
          logger: engineOptions.logger ?? options.logger ?? silentLogger,
          now,
        }),
      async createSecret(metadata = {}) {
        const fresh = await probe.freshSecret();
        const value = { ...fresh.value };
        for (const target of manifest.egress.targets(fresh.value)) {
          const field = value[target.field];
          if (typeof field === 'string') value[target.field] = proxy.toProxy(field);
        }
        benchSecrets += 1;
        const created = await sm.send(
          new CreateSecretCommand({
            Name: `bench/${manifest.type}/${benchSecrets}`,
            SecretString: JSON.stringify(value),
            Type: manifest.type,
          }),
        );
        return { arn: created.ARN ?? '', value, metadata: { ...fresh.metadata, ...metadata } };
      },
      async startRotation(secret) {
        const output = await sm.send(
          new RotateSecretCommand({
            SecretId: secret.arn,
            ExternalSecretRotationMetadata: Object.entries(secret.metadata).map(([Key, Value]) => ({
              Key,
              Value,
            })),
          }),
        );
        return output.VersionId ?? '';
      },
      async valueAt(arn, stage) {
        try {
          const output = await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }));
          return JSON.parse(output.SecretString ?? '{}') as SecretValue;
        } catch (error) {
          if ((error as Error).name === 'ResourceNotFoundException') return undefined;
          throw error;
        }
      },
      async stages(arn) {
        return (await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages ?? {};
      },
      async storeSnapshot(arn) {
        const versions = await sm.send(
          new ListSecretVersionIdsCommand({ SecretId: arn, IncludeDeprecated: true }),
        );
        const current = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
        const labels = (versions.Versions ?? [])
          .map((v) => `${v.VersionId}:${[...(v.VersionStages ?? [])].sort().join(',')}`)
          .sort();
        return JSON.stringify({ labels, current: current.SecretString });
      },
      authenticates: (value) => probe.authenticates(upstream(value)),
      liveCredentials: (value) => probe.liveCredentials(upstream(value)),
      advance(ms) {
        offset += ms;
        probe.advanceTime(ms);
      },
      async close() {
        await proxy.close();
        if (!primary) return;
        await simulator.close();
        await server.close();
      },
    };
    return bench;
  };
  return lane(true);
}

/** Rotation metadata that makes a rotated-out credential revocable at once (tests only). */
export const NO_GRACE = { [GRACE_PERIOD_KEY]: '0' };
