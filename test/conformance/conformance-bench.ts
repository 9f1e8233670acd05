/**
 * A partner-agnostic rotation bench: the local Secrets Manager endpoint, one partner's simulator
 * (from its manifest) and its probe, and an engine in simulator mode over HTTP with the real SDK.
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
import { SecretsManagerClients } from '../../src/aws/roles.ts';
import { DEFAULT_GRACE_PERIOD_SECONDS, RotationEngine } from '../../src/engine/engine.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { SecretsManagerService, startSecretsManagerServer } from '../../src/local/secrets-manager/index.ts';
import { LOCAL_CREDENTIALS } from '../../src/local/stack.ts';
import { type AnyPartnerManifest, PartnerCatalog } from '../../src/runtime/catalog.ts';
import { createPartnerHttpClient } from '../../src/runtime/egress-http.ts';
import type { HookContext, RunningSimulator, SecretValue } from '../../src/runtime/partner.ts';

export const ACCOUNT_ID = '000000000000';
export const ROTATION_TOKEN = 'conformance-rotation-token-5f0c9a7e-0b1d-4c3e-9f2a';

export interface ConformanceSecret {
  arn: string;
  value: SecretValue;
  metadata: Record<string, string>;
}

export class ConformanceBench {
  /** Every secret value the bench has seen, for the no-secret-in-logs check. */
  readonly seenValues: SecretValue[] = [];
  #clock = { offset: 0 };
  #count = 0;

  private constructor(
    readonly manifest: AnyPartnerManifest,
    readonly sim: RunningSimulator,
    readonly sm: SecretsManagerClient,
    readonly engine: RotationEngine,
    readonly close: () => Promise<void>,
    readonly now: () => Date,
    /** Every line the engine logged, as JSON. */
    readonly logs: string[],
  ) {}

  static async start(manifest: AnyPartnerManifest): Promise<ConformanceBench> {
    const clock = { offset: 0 };
    const now = () => new Date(Date.now() + clock.offset);
    const service = new SecretsManagerService({ accountId: ACCOUNT_ID, now });
    const server = await startSecretsManagerServer({ service, port: 0 });
    const sim = await manifest.startSimulator({ port: 0 });
    const sm = new SecretsManagerClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    const logs: string[] = [];
    const record = (level: string) => (message: string, attributes?: object) =>
      logs.push(JSON.stringify({ level, message, ...attributes }));
    const engine = new RotationEngine({
      clients: new SecretsManagerClients({
        secretsManager: sm,
        sts: new STSClient({}),
        engineAccountId: ACCOUNT_ID,
      }),
      catalog: new PartnerCatalog([manifest]),
      simulatorMode: true,
      simulatorUrls: { [manifest.type]: sim.baseUrl },
      now,
      logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    });
    const bench = new ConformanceBench(
      manifest,
      sim,
      sm,
      engine,
      async () => {
        await sim.close();
        await server.close();
      },
      now,
      logs,
    );
    bench.#clock = clock;
    return bench;
  }

  /**
   * Moves time for both sides: the engine's clock (grace periods, request signatures) and the
   * simulator's (token and credential lifetimes), so they never disagree.
   */
  advanceClock(ms: number): void {
    this.#clock.offset += ms;
    this.sim.probe.advanceTime(ms);
  }

  /** A secret in the store for a fresh account or app at the simulator. */
  async freshSecret(override?: (value: SecretValue) => SecretValue): Promise<ConformanceSecret> {
    const fresh = await this.sim.probe.freshSecret();
    const value = override ? override(fresh.value) : fresh.value;
    this.seenValues.push(fresh.value);
    this.#count += 1;
    const created = await this.sm.send(
      new CreateSecretCommand({
        Name: `conformance/${this.manifest.type}-${this.#count}`,
        SecretString: JSON.stringify(value),
        Type: this.manifest.type,
      }),
    );
    return { arn: created.ARN ?? '', value: fresh.value, metadata: fresh.metadata };
  }

  /** RotateSecret: stores the rotation metadata and creates the pending version id. */
  async startRotation(secret: ConformanceSecret, metadata = secret.metadata): Promise<string> {
    const output = await this.sm.send(
      new RotateSecretCommand({
        SecretId: secret.arn,
        ExternalSecretRotationMetadata: Object.entries(metadata).map(([Key, Value]) => ({ Key, Value })),
        RotationRules: { AutomaticallyAfterDays: 30 },
      }),
    );
    return output.VersionId ?? '';
  }

  event(secret: ConformanceSecret, token: string, step: string) {
    return { Step: step, SecretId: secret.arn, ClientRequestToken: token, RotationToken: ROTATION_TOKEN };
  }

  async runSteps(
    secret: ConformanceSecret,
    token: string,
    steps: readonly string[] = ROTATION_STEPS,
  ): Promise<void> {
    for (const step of steps) await this.engine.run(this.event(secret, token, step));
  }

  async valueAt(secret: ConformanceSecret, stage: string): Promise<SecretValue> {
    const output = await this.sm.send(
      new GetSecretValueCommand({ SecretId: secret.arn, VersionStage: stage }),
    );
    const value = JSON.parse(output.SecretString ?? '{}') as SecretValue;
    this.seenValues.push(value);
    return value;
  }

  async hasPending(secret: ConformanceSecret, token: string): Promise<boolean> {
    return this.sm
      .send(new GetSecretValueCommand({ SecretId: secret.arn, VersionId: token, VersionStage: 'AWSPENDING' }))
      .then(
        () => true,
        () => false,
      );
  }

  /** What a re-run must not change: labels on versions, and how many credentials are live. */
  async snapshot(secret: ConformanceSecret) {
    const versions = await this.sm.send(
      new ListSecretVersionIdsCommand({ SecretId: secret.arn, IncludeDeprecated: true }),
    );
    const describe = await this.sm.send(new DescribeSecretCommand({ SecretId: secret.arn }));
    return {
      stages: describe.VersionIdsToStages,
      versions: (versions.Versions ?? [])
        .map((v) => `${v.VersionId}:${(v.VersionStages ?? []).sort().join(',')}`)
        .sort(),
      live: await this.sim.probe.liveCredentials(secret.value),
    };
  }

  /** The context the engine would build, for calling a hook directly (a crash right after it). */
  hookContext(secret: ConformanceSecret, token: string, metadata = secret.metadata): HookContext {
    return {
      secretId: secret.arn,
      token,
      metadata,
      lastRotatedAt: undefined,
      gracePeriodSeconds: DEFAULT_GRACE_PERIOD_SECONDS,
      simulatorMode: true,
      simulatorUrl: this.sim.baseUrl,
      log: { debug() {}, info() {}, warn() {}, error() {} },
      now: this.now,
      readSecret: async (id) => {
        const output = await this.sm.send(new GetSecretValueCommand({ SecretId: id }));
        return JSON.parse(output.SecretString ?? '{}') as SecretValue;
      },
      http: createPartnerHttpClient({
        partner: this.manifest.type,
        allowedHosts: this.manifest.egress.allowedHosts,
        simulatorMode: true,
      }),
    };
  }
}
