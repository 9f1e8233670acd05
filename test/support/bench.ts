/**
 * The rotation test bench, one for every partner, on loopback: the local Secrets Manager endpoint
 * (over HTTP with the real SDK), the partner's simulator from its manifest, and engines in
 * simulator mode. Secrets come from the simulator's probe (`freshSecret`), so a suite written
 * against this bench runs unchanged for every catalog partner; a partner's own suite reaches its
 * simulator's extra helpers through a typed `startSimulator` (see `salesforce-bench.ts` and
 * `partners/snowflake/test/bench.ts`).
 *
 * With `faults: true` the bench is the fault suites' one: the simulator sits behind the fault
 * proxy, the engine's AWS clients carry the fault middleware, and `fork()` opens more lanes.
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
import { GRACE_PERIOD_KEY } from '../../src/aws/resolver.ts';
import { SecretsManagerClients } from '../../src/aws/roles.ts';
import {
  DEFAULT_GRACE_PERIOD_SECONDS,
  RotationEngine,
  type RotationEngineOptions,
} from '../../src/engine/engine.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { SecretsManagerService, startSecretsManagerServer } from '../../src/local/secrets-manager/index.ts';
import { LOCAL_CREDENTIALS } from '../../src/local/stack.ts';
import type { AnyPartnerManifest, PartnerCatalog } from '../../src/runtime/catalog.ts';
import { createPartnerHttpClient } from '../../src/runtime/egress-http.ts';
import { type RotationLogger, silentLogger } from '../../src/runtime/logger.ts';
import type {
  HookContext,
  RotationMetadata,
  RunningSimulator,
  SecretValue,
} from '../../src/runtime/partner.ts';
import { FaultPlan } from './faults/fault-plan.ts';
import { type FaultProxy, startFaultProxy } from './faults/fault-proxy.ts';
import { injectSdkFaults } from './faults/sdk-middleware.ts';

export const ACCOUNT_ID = '000000000000';
/** The `RotationToken` on every step event: sensitive, so suites check it never shows in output. */
export const ROTATION_TOKEN = 'a1b2c3d4-rotation-token-0000-1111-2222-3333-4444';
/** Rotation metadata that makes a rotated-out credential revocable at once (tests only). */
export const NO_GRACE = { [GRACE_PERIOD_KEY]: '0' };

/** A secret in the bench's store. */
export interface BenchSecret<S extends SecretValue = SecretValue> {
  arn: string;
  /** The value as stored (with `faults`, the URL fields point at the fault proxy). */
  value: S;
  /** Rotation metadata, passed on RotateSecret. */
  metadata: Record<string, string>;
}

export interface BenchOptions<Sim extends RunningSimulator> {
  /**
   * Starts the simulator. Default: the manifest's, on a free port. A partner's own suite passes its
   * simulator class's `start` so that `bench.sim` is typed with that simulator's helpers.
   */
  startSimulator?: () => Promise<Sim>;
  /** `simulatorMode` of `bench.engine` and the default of `newEngine` (default true). */
  simulatorMode?: boolean;
  /**
   * The engines' logger. Default: each line recorded as JSON in `bench.logs`, and every secret value
   * the bench stores or reads kept in `bench.seenValues`, for the no-secret-in-logs checks.
   */
  logger?: RotationLogger;
  /** Where engines resolve the partner (default: the vetted catalog, as in production). */
  catalog?: PartnerCatalog;
  /**
   * Fault hooks: the engine reaches the simulator through a fault proxy (fresh secrets point at it)
   * and its Secrets Manager and STS clients carry the fault middleware, both driven by `bench.plan`.
   * The test-side client `bench.sm` and the probe checks are never faulted or counted.
   */
  faults?: boolean;
}

/**
 * What a bench offers. `Sim` is the simulator's type (a partner's own suite narrows it), `S` the
 * partner's secret value.
 */
export interface Bench<Sim extends RunningSimulator = RunningSimulator, S extends SecretValue = SecretValue> {
  readonly manifest: AnyPartnerManifest;
  readonly sim: Sim;
  /** The local Secrets Manager endpoint, for `AWS_ENDPOINT_URL` and child processes. */
  readonly endpoint: string;
  /**
   * The test-side client. Without `faults` the engines share it, so middleware added to it (a
   * failing store write) reaches them; with `faults` they have their own, faulted one.
   */
  readonly sm: SecretsManagerClient;
  /** The engines' clients. */
  readonly clients: SecretsManagerClients;
  /** An engine built with the bench's options; `newEngine` gives a fresh one (a new container). */
  readonly engine: RotationEngine;
  /** Every line the engines logged, as JSON (with the default logger). */
  readonly logs: string[];
  /** Every secret value the bench stored or read (with the default logger). */
  readonly seenValues: SecretValue[];
  /** The clock shared by the store (`LastRotatedDate`) and every engine (grace periods). */
  now(): Date;
  /**
   * Moves time for both sides: the bench clock and the simulator's (token and credential
   * lifetimes), so they never disagree.
   */
  advance(ms: number): void;
  /** A new engine (empty version cache: a fresh container); `options` override the bench's. */
  newEngine(options?: Omit<Partial<RotationEngineOptions>, 'clients'>): RotationEngine;
  /**
   * Stores a secret of the partner's Type. By default its value is a fresh account or app from the
   * probe, with the probe's metadata under `metadata`; `value` may change that fresh value (a
   * function) or replace it (stored as given, with `metadata` only).
   */
  createSecret(options?: {
    value?: SecretValue | ((fresh: S) => SecretValue);
    metadata?: Record<string, string>;
    /** Default `bench/<Type>/<n>`. */
    name?: string;
  }): Promise<BenchSecret<S>>;
  /** RotateSecret: stores the rotation configuration and creates the AWSPENDING version id. */
  startRotation(secret: BenchSecret, metadata?: Record<string, string>): Promise<string>;
  /** Runs `steps` (default all four) in order on `bench.engine`. */
  runSteps(arn: string, token: string, steps?: readonly string[]): Promise<void>;
  /** Runs the four steps until one fails; that step and its error, or undefined when none failed. */
  runUntilFailure(arn: string, token: string): Promise<{ step: string; error: unknown } | undefined>;
  /** Starts a rotation and runs all four steps; returns the token. */
  rotate(secret: BenchSecret, metadata?: Record<string, string>): Promise<string>;
  /** The value under `stage`; rejects when no version holds it. */
  valueAt(arn: string, stage: string): Promise<S>;
  /** The value under `stage`, or undefined when no version holds it. */
  findValue(arn: string, stage: string): Promise<S | undefined>;
  /** Whether version `token` holds a value under AWSPENDING. */
  hasPending(arn: string, token: string): Promise<boolean>;
  /** DescribeSecret's `VersionIdsToStages`. */
  stages(arn: string): Promise<Record<string, string[]>>;
  /** Every version with its labels (deprecated ones too), as sorted `id:LABEL,…` lines. */
  versionLabels(arn: string): Promise<string[]>;
  /** What a re-run must not change: labels on versions, and how many credentials are live. */
  snapshot(secret: BenchSecret): Promise<{
    stages: Record<string, string[]>;
    versions: string[];
    live: number;
  }>;
  /** Store state as text: versions with labels and the AWSCURRENT value. */
  storeSnapshot(arn: string): Promise<string>;
  /** The probe, asked with the simulator's own URLs (never through the fault proxy). */
  authenticates(value: SecretValue): Promise<boolean>;
  liveCredentials(value: SecretValue): Promise<number>;
  /**
   * Fails the engines' next Secrets Manager call of `commandName` (e.g. `PutSecretValueCommand.name`)
   * with a server error, as a crash between a hook and its store write would; returns the undo.
   */
  failOnce(commandName: string): () => void;
  /**
   * The context the engine would build for `secret`, for calling a hook directly (a crash right
   * after it). `M` is the partner's metadata type, which the secret's metadata is taken to be.
   */
  hookContext<M extends RotationMetadata = RotationMetadata>(
    secret: BenchSecret,
    token: string,
  ): HookContext<M>;
  close(): Promise<void>;
}

/** A bench started with `faults: true`. */
export interface FaultBench<
  Sim extends RunningSimulator = RunningSimulator,
  S extends SecretValue = SecretValue,
> extends Bench<Sim, S> {
  /** This lane's fault plan: every engine-side call of a rotation asks it, in order. */
  readonly plan: FaultPlan;
  readonly proxy: FaultProxy;
  /**
   * Another bench on the same endpoint, simulator and clock with its own plan, proxy and engine
   * clients, so independent cases can run side by side. Closing it closes only its proxy.
   */
  fork(): Promise<FaultBench<Sim, S>>;
}

/** One step event of a rotation, as Secrets Manager sends it. */
export function stepEvent(arn: string, token: string, step: string) {
  return { Step: step, SecretId: arn, ClientRequestToken: token, RotationToken: ROTATION_TOKEN };
}

/** Replaces every string field of `value` with `map(field)`. */
function mapStrings(value: SecretValue, map: (text: string) => string): SecretValue {
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, typeof field === 'string' ? map(field) : field]),
  );
}

function recordingLogger(logs: string[]): RotationLogger {
  const record = (level: string) => (message: string, attributes?: object) =>
    logs.push(JSON.stringify({ level, message, ...attributes }));
  return { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

let benchSecrets = 0;
let failOnceCount = 0;

/**
 * Starts a bench for `manifest`'s partner.
 *
 * @example
 * ```ts
 * const bench = await startBench(manifest);
 * const secret = await bench.createSecret();
 * await bench.rotate(secret);
 * expect(await bench.authenticates(await bench.valueAt(secret.arn, 'AWSCURRENT'))).toBe(true);
 * ```
 */
export function startBench<
  Sim extends RunningSimulator = RunningSimulator,
  S extends SecretValue = SecretValue,
>(manifest: AnyPartnerManifest, options: BenchOptions<Sim> & { faults: true }): Promise<FaultBench<Sim, S>>;
export function startBench<
  Sim extends RunningSimulator = RunningSimulator,
  S extends SecretValue = SecretValue,
>(manifest: AnyPartnerManifest, options?: BenchOptions<Sim>): Promise<Bench<Sim, S>>;
export async function startBench<Sim extends RunningSimulator, S extends SecretValue>(
  manifest: AnyPartnerManifest,
  options: BenchOptions<Sim> = {},
): Promise<Bench<Sim, S> | FaultBench<Sim, S>> {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const service = new SecretsManagerService({ accountId: ACCOUNT_ID, now });
  const server = await startSecretsManagerServer({ service, port: 0 });
  const sim = options.startSimulator
    ? await options.startSimulator()
    : ((await manifest.startSimulator({ port: 0 })) as Sim);
  const probe = sim.probe;
  const clientConfig = { endpoint: server.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
  const sm = new SecretsManagerClient(clientConfig);
  const logs: string[] = [];
  const seenValues: SecretValue[] = [];
  const logger = options.logger ?? recordingLogger(logs);
  const seen = <V extends SecretValue>(value: V): V => {
    // Kept only for the log checks, which need the default logger: a fault matrix reads many values.
    if (!options.logger) seenValues.push(value);
    return value;
  };

  const lane = async (primary: boolean): Promise<Bench<Sim, S> | FaultBench<Sim, S>> => {
    const faults = options.faults ? await openFaultLane() : undefined;
    const partnerUrl = faults?.proxy.url ?? sim.baseUrl;
    const engineSm = faults?.engineSm ?? sm;
    const clients = new SecretsManagerClients({
      secretsManager: engineSm,
      sts: faults?.sts ?? new STSClient({}),
      engineAccountId: ACCOUNT_ID,
    });
    const upstream = (value: SecretValue) => (faults ? mapStrings(value, faults.proxy.toUpstream) : value);
    const newEngine: Bench['newEngine'] = (overrides = {}) =>
      new RotationEngine({
        clients,
        catalog: options.catalog,
        simulatorMode: options.simulatorMode ?? true,
        simulatorUrls: { [manifest.type]: partnerUrl },
        now,
        logger,
        ...overrides,
      });
    const readStage = async (arn: string, stage: string): Promise<S> => {
      const output = await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }));
      return seen(JSON.parse(output.SecretString ?? '{}') as S);
    };
    const versionLabels = async (arn: string): Promise<string[]> => {
      const versions = await sm.send(
        new ListSecretVersionIdsCommand({ SecretId: arn, IncludeDeprecated: true }),
      );
      return (versions.Versions ?? [])
        .map((v) => `${v.VersionId}:${[...(v.VersionStages ?? [])].sort().join(',')}`)
        .sort();
    };
    const stages = async (arn: string): Promise<Record<string, string[]>> =>
      (await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages ?? {};
    const engine = newEngine();

    const bench: Bench<Sim, S> = {
      manifest,
      sim,
      endpoint: server.url,
      sm,
      clients,
      engine,
      logs,
      seenValues,
      now,
      advance(ms) {
        offset += ms;
        probe.advanceTime(ms);
      },
      newEngine,
      async createSecret(create = {}) {
        let value: SecretValue;
        let metadata = create.metadata ?? {};
        if (create.value === undefined || typeof create.value === 'function') {
          const fresh = await probe.freshSecret();
          const stored = { ...fresh.value };
          // The engine must reach the partner through the proxy: point the egress URLs at it.
          if (faults) {
            for (const target of manifest.egress.targets(fresh.value)) {
              const field = stored[target.field];
              if (typeof field === 'string') stored[target.field] = faults.proxy.toProxy(field);
            }
          }
          value = typeof create.value === 'function' ? create.value(stored as S) : stored;
          metadata = { ...fresh.metadata, ...metadata };
        } else {
          value = create.value;
        }
        benchSecrets += 1;
        const created = await sm.send(
          new CreateSecretCommand({
            Name: create.name ?? `bench/${manifest.type}/${benchSecrets}`,
            SecretString: JSON.stringify(value),
            Type: manifest.type,
          }),
        );
        return { arn: created.ARN ?? '', value: seen(value as S), metadata };
      },
      async startRotation(secret, metadata = secret.metadata) {
        const output = await sm.send(
          new RotateSecretCommand({
            SecretId: secret.arn,
            ExternalSecretRotationMetadata: Object.entries(metadata).map(([Key, Value]) => ({ Key, Value })),
            RotationRules: { AutomaticallyAfterDays: 30 },
          }),
        );
        return output.VersionId ?? '';
      },
      async runSteps(arn, token, steps = ROTATION_STEPS) {
        for (const step of steps) await engine.run(stepEvent(arn, token, step));
      },
      async runUntilFailure(arn, token) {
        for (const step of ROTATION_STEPS) {
          const error = await engine.run(stepEvent(arn, token, step)).then(
            () => undefined,
            (thrown: unknown) => thrown ?? new Error('rejected without a reason'),
          );
          if (error !== undefined) return { step, error };
        }
        return undefined;
      },
      async rotate(secret, metadata) {
        const token = await bench.startRotation(secret, metadata);
        await bench.runSteps(secret.arn, token);
        return token;
      },
      valueAt: readStage,
      async findValue(arn, stage) {
        try {
          return await readStage(arn, stage);
        } catch (error) {
          if ((error as Error).name === 'ResourceNotFoundException') return undefined;
          throw error;
        }
      },
      async hasPending(arn, token) {
        return sm
          .send(new GetSecretValueCommand({ SecretId: arn, VersionId: token, VersionStage: 'AWSPENDING' }))
          .then(
            () => true,
            () => false,
          );
      },
      stages,
      versionLabels,
      async snapshot(secret) {
        return {
          stages: await stages(secret.arn),
          versions: await versionLabels(secret.arn),
          live: await bench.liveCredentials(secret.value),
        };
      },
      async storeSnapshot(arn) {
        const labels = await versionLabels(arn);
        const current = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
        return JSON.stringify({ labels, current: current.SecretString });
      },
      authenticates: (value) => probe.authenticates(upstream(value)),
      liveCredentials: (value) => probe.liveCredentials(upstream(value)),
      failOnce(commandName) {
        let failed = false;
        failOnceCount += 1;
        const name = `benchFailOnce${failOnceCount}`;
        engineSm.middlewareStack.add(
          (next, context) => async (args) => {
            if (!failed && context.commandName === commandName) {
              failed = true;
              throw Object.assign(new Error('Simulated crash before the store write'), {
                name: 'InternalServiceError',
                $fault: 'server',
              });
            }
            return next(args);
          },
          { step: 'initialize', name },
        );
        return () => engineSm.middlewareStack.remove(name);
      },
      hookContext<M extends RotationMetadata>(secret: BenchSecret, token: string): HookContext<M> {
        return {
          secretId: secret.arn,
          token,
          metadata: secret.metadata as M,
          lastRotatedAt: undefined,
          gracePeriodSeconds: DEFAULT_GRACE_PERIOD_SECONDS,
          simulatorMode: true,
          simulatorUrl: partnerUrl,
          log: silentLogger,
          now,
          readSecret: async (id) => {
            const output = await sm.send(new GetSecretValueCommand({ SecretId: id }));
            return JSON.parse(output.SecretString ?? '{}') as SecretValue;
          },
          // The runtime's egress-guarded client, as the engine builds it in simulator mode.
          http: createPartnerHttpClient({
            partner: manifest.type,
            allowedHosts: manifest.egress.allowedHosts,
            simulatorMode: true,
          }),
        };
      },
      async close() {
        await faults?.proxy.close();
        if (!primary) return;
        await sim.close();
        await server.close();
      },
    };
    if (!faults) return bench;
    return { ...bench, plan: faults.plan, proxy: faults.proxy, fork: () => lane(false) } as FaultBench<
      Sim,
      S
    >;
  };

  /** A fault plan, the proxy in front of the simulator, and engine clients that ask the plan. */
  const openFaultLane = async () => {
    const plan = new FaultPlan();
    const proxy = await startFaultProxy(sim.baseUrl, plan);
    // One command is one call, so that "call k" of the plan is unambiguous.
    const engineSm = new SecretsManagerClient({ ...clientConfig, maxAttempts: 1 });
    injectSdkFaults(engineSm, plan);
    // No STS call happens while the engine's own account holds the secret; a cross-account bench
    // (role assumption) gets its STS calls counted and faulted like every other call.
    const sts = new STSClient({ ...clientConfig, maxAttempts: 1 });
    injectSdkFaults(sts, plan);
    return { plan, proxy, engineSm, sts };
  };

  return lane(true);
}
