/**
 * A rotation test bench on loopback: the local Secrets Manager endpoint, the Salesforce simulator
 * and an engine whose clients talk to the endpoint over HTTP with the real SDK. Rotations are
 * started with RotateSecret (which only creates the pending version here) and driven step by step
 * by the test.
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
import { SalesforceSimulator } from '../../partners/salesforce/simulator/index.ts';
import { SecretsManagerClients } from '../../src/aws/roles.ts';
import { RotationEngine } from '../../src/engine/engine.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { SecretsManagerService, startSecretsManagerServer } from '../../src/local/secrets-manager/index.ts';
import { LOCAL_CREDENTIALS } from '../../src/local/stack.ts';
import type { RotationLogger } from '../../src/runtime/logger.ts';

export const ACCOUNT_ID = '000000000000';
export const ROTATION_TOKEN = 'a1b2c3d4-rotation-token-0000-1111-2222-3333-4444';

export interface Bench {
  endpoint: string;
  sm: SecretsManagerClient;
  sim: SalesforceSimulator;
  engine: RotationEngine;
  /** Moves the engine's clock (grace periods) and the simulator's together. */
  advance(ms: number): void;
  logs: string[];
  /** Rotation metadata per secret ARN, passed on RotateSecret. */
  metadataOf: Map<string, Record<string, string>>;
  close(): Promise<void>;
}

export async function startBench(
  options: { simulatorMode?: boolean; logger?: RotationLogger } = {},
): Promise<Bench> {
  let offset = 0;
  // One clock for the store (LastRotatedDate) and the engine (grace periods).
  const now = () => new Date(Date.now() + offset);
  const service = new SecretsManagerService({ accountId: ACCOUNT_ID, now });
  const server = await startSecretsManagerServer({ service, port: 0 });
  const sim = await SalesforceSimulator.start();
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
    simulatorMode: options.simulatorMode ?? true,
    now,
    logger: options.logger ?? {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    },
  });
  return {
    endpoint: server.url,
    sm,
    sim,
    engine,
    logs,
    metadataOf: new Map(),
    advance(ms) {
      offset += ms;
      sim.advanceTime(ms);
    },
    async close() {
      await sim.close();
      await server.close();
    },
  };
}

let counter = 0;

/** Creates a Salesforce secret for the simulator's app; returns its ARN. */
export async function createSalesforceSecret(
  bench: Bench,
  options: { value?: Record<string, string>; metadata?: Record<string, string>; name?: string } = {},
): Promise<string> {
  const seed = bench.sim.seed;
  const value = options.value ?? {
    consumerKey: seed.consumerKey,
    consumerSecret: seed.consumerSecret,
    baseUri: seed.baseUri,
    appId: seed.appId,
    consumerId: seed.consumerId,
  };
  counter += 1;
  const created = await bench.sm.send(
    new CreateSecretCommand({
      Name: options.name ?? `sf/secret-${counter}`,
      SecretString: JSON.stringify(value),
      Type: 'SalesforceClientSecret',
    }),
  );
  const metadata = options.metadata ?? { apiVersion: seed.apiVersion };
  bench.metadataOf.set(created.ARN ?? '', metadata);
  return created.ARN ?? '';
}

/** RotateSecret: stores the rotation configuration and creates the AWSPENDING version id. */
export async function startRotation(bench: Bench, arn: string): Promise<string> {
  const metadata = bench.metadataOf.get(arn) ?? {};
  const output = await bench.sm.send(
    new RotateSecretCommand({
      SecretId: arn,
      ExternalSecretRotationMetadata: Object.entries(metadata).map(([Key, Value]) => ({ Key, Value })),
      RotationRules: { AutomaticallyAfterDays: 30 },
    }),
  );
  return output.VersionId ?? '';
}

export function stepEvent(arn: string, token: string, step: string) {
  return { Step: step, SecretId: arn, ClientRequestToken: token, RotationToken: ROTATION_TOKEN };
}

/** Runs all four steps in order. */
export async function rotate(bench: Bench, arn: string): Promise<string> {
  const token = await startRotation(bench, arn);
  for (const step of ROTATION_STEPS) await bench.engine.run(stepEvent(arn, token, step));
  return token;
}

export async function valueAt(bench: Bench, arn: string, stage: string): Promise<Record<string, string>> {
  const output = await bench.sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }));
  return JSON.parse(output.SecretString ?? '{}');
}

/** Everything a re-run must not change: labels on versions, and what is live at the source. */
export async function snapshot(bench: Bench, arn: string) {
  const versions = await bench.sm.send(
    new ListSecretVersionIdsCommand({ SecretId: arn, IncludeDeprecated: true }),
  );
  const describe = await bench.sm.send(new DescribeSecretCommand({ SecretId: arn }));
  return {
    stages: describe.VersionIdsToStages,
    versions: (versions.Versions ?? [])
      .map((v) => `${v.VersionId}:${(v.VersionStages ?? []).sort().join(',')}`)
      .sort(),
    live: bench.sim
      .liveCredentials()
      .map((c) => `${c.appId}:${c.kind}:${c.key}`)
      .sort(),
  };
}
