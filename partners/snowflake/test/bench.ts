/**
 * A Snowflake rotation bench on loopback: the local Secrets Manager endpoint, the Snowflake
 * simulator and an engine in simulator mode whose SDK clients talk to the endpoint over HTTP.
 * The simulator's URL reaches the rotator the way the local stack passes it
 * (`simulatorUrls`, i.e. `ROTOR_SIMULATOR_URLS`), since the secret holds only an account name.
 */
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { SecretsManagerClients } from '../../../src/aws/roles.ts';
import { RotationEngine } from '../../../src/engine/engine.ts';
import { ROTATION_STEPS } from '../../../src/engine/event.ts';
import {
  SecretsManagerService,
  startSecretsManagerServer,
} from '../../../src/local/secrets-manager/index.ts';
import { LOCAL_CREDENTIALS } from '../../../src/local/stack.ts';
import { createPartnerHttpClient } from '../../../src/runtime/egress-http.ts';
import type { HookContext } from '../../../src/runtime/partner.ts';
import { SNOWFLAKE_HOSTS, SNOWFLAKE_TYPE } from '../hosts.ts';
import { type GeneratedKeyPair, generateRsaKeyPair } from '../keys.ts';
import { SnowflakeSimulator } from '../simulator/index.ts';
import type { SnowflakeMetadata, SnowflakeSecret } from '../types.ts';

const ACCOUNT_ID = '000000000000';
export const ROTATION_TOKEN = 'f0e1d2c3-rotation-token-snowflake-0000-1111-2222';

export interface SnowflakeBench {
  sm: SecretsManagerClient;
  sim: SnowflakeSimulator;
  engine: RotationEngine;
  /** Two distinct key pairs for new users (2048-bit generation is slow on small machines). */
  keyPairs: [GeneratedKeyPair, GeneratedKeyPair];
  /** Every log line the engine and the rotator wrote, as JSON. */
  logs: string[];
  now(): Date;
  /** Moves the engine's clock (grace periods) and the simulator's together. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startSnowflakeBench(): Promise<SnowflakeBench> {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const service = new SecretsManagerService({ accountId: ACCOUNT_ID, now });
  const server = await startSecretsManagerServer({ service, port: 0 });
  const sim = await SnowflakeSimulator.start();
  const keyPairs = (await Promise.all([0, 1].map(() => generateRsaKeyPair({ encrypt: false })))) as [
    GeneratedKeyPair,
    GeneratedKeyPair,
  ];
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
    simulatorMode: true,
    simulatorUrls: { [SNOWFLAKE_TYPE]: sim.baseUrl },
    now,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  });
  return {
    sm,
    sim,
    engine,
    keyPairs,
    logs,
    now,
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

let secrets = 0;

/** A secret for a new simulator user (so every test starts clean), with rotation configured. */
export async function createSnowflakeSecret(
  bench: SnowflakeBench,
  options: { metadata?: Record<string, string>; value?: Record<string, unknown>; user?: string } = {},
): Promise<{ arn: string; value: SnowflakeSecret; metadata: Record<string, string> }> {
  secrets += 1;
  const value =
    (options.value as SnowflakeSecret | undefined) ??
    (await bench.sim.createUser(options.user ?? `ROTOR_TEST_USER_${secrets}`, {
      keyPair: bench.keyPairs[0],
    }));
  const created = await bench.sm.send(
    new CreateSecretCommand({
      Name: `snowflake/secret-${secrets}`,
      SecretString: JSON.stringify(value),
      Type: SNOWFLAKE_TYPE,
    }),
  );
  return { arn: created.ARN ?? '', value, metadata: options.metadata ?? {} };
}

/** RotateSecret with the secret's metadata: creates the AWSPENDING version id. */
export async function startRotation(
  bench: SnowflakeBench,
  secret: { arn: string; metadata: Record<string, string> },
): Promise<string> {
  const output = await bench.sm.send(
    new RotateSecretCommand({
      SecretId: secret.arn,
      ExternalSecretRotationMetadata: Object.entries(secret.metadata).map(([Key, Value]) => ({ Key, Value })),
      RotationRules: { AutomaticallyAfterDays: 30 },
    }),
  );
  return output.VersionId ?? '';
}

export function stepEvent(arn: string, token: string, step: string) {
  return { Step: step, SecretId: arn, ClientRequestToken: token, RotationToken: ROTATION_TOKEN };
}

/** Runs all four steps in order; returns the token. */
export async function rotate(
  bench: SnowflakeBench,
  secret: { arn: string; metadata: Record<string, string> },
): Promise<string> {
  const token = await startRotation(bench, secret);
  for (const step of ROTATION_STEPS) await bench.engine.run(stepEvent(secret.arn, token, step));
  return token;
}

export async function valueAt(bench: SnowflakeBench, arn: string, stage: string): Promise<SnowflakeSecret> {
  const output = await bench.sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }));
  return JSON.parse(output.SecretString ?? '{}') as SnowflakeSecret;
}

/** A hook context against the bench's simulator, for calling the rotator directly. */
export function hookContext(
  bench: SnowflakeBench,
  overrides: Partial<HookContext<SnowflakeMetadata>> = {},
): HookContext<SnowflakeMetadata> {
  return {
    secretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:direct',
    token: 'direct-token',
    metadata: {},
    lastRotatedAt: undefined,
    gracePeriodSeconds: 3600,
    simulatorMode: true,
    simulatorUrl: bench.sim.baseUrl,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    now: bench.now,
    readSecret: async () => ({}),
    // The runtime's egress-guarded client, as the engine builds it in simulator mode.
    http: createPartnerHttpClient({
      partner: SNOWFLAKE_TYPE,
      allowedHosts: SNOWFLAKE_HOSTS,
      simulatorMode: true,
    }),
    ...overrides,
  };
}
