/**
 * The local stack behind `rotor local` (and `npm start`): on one loopback port, Secrets Manager,
 * STS and EventBridge endpoints that verify SigV4 against the identities in the data directory;
 * every catalog partner's simulator; a demo secret per partner; rotations driven through the real
 * rotation handler, which signs as the Rotor service account and assumes the customer's rotation
 * role with its ExternalId through the local STS — the same cross-account path as on AWS. State
 * (secrets, sessions, events, audit records, schedules) lives in an SQLite database in the data
 * directory, secret values and sessions encrypted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { applyWriteBudget, WriteBudget } from '../aws/write-budget.ts';
import { createRotationHandler } from '../handlers/rotation.ts';
import { PartnerCatalog } from '../runtime/catalog.ts';
import { type RotationLogger, silentLogger } from '../runtime/logger.ts';
import type { RunningSimulator } from '../runtime/partner.ts';
import { LOCAL_CREDENTIALS } from './credentials.ts';
import { type BusEvent, EVENTS_COLLECTION, LocalEventBus } from './eventbridge/index.ts';
import { createGatewayListener } from './gateway.ts';
import {
  type IdentityConfig,
  IdentityDirectory,
  loadIdentityConfig,
  type SessionRecord,
} from './identity/index.ts';
import {
  AUDIT_COLLECTION,
  type AuditRecord,
  type Clock,
  createLocalOrchestration,
  DurableAuditLog,
  DurableEventBus,
  DurableScheduleStore,
  type LocalOrchestration,
  type BusEvent as OrchestratorEvent,
  rotorEventSink,
  SCHEDULES_COLLECTION,
  type ScheduleEntry,
} from './orchestrator/index.ts';
import type { RotationRunner } from './rotation-runner.ts';
import {
  SECRETS_COLLECTION,
  SecretsManagerService,
  type StoredSecret,
  type WriteQuotaOptions,
} from './secrets-manager/index.ts';
import { LocalStorage } from './storage/index.ts';
import { StsService } from './sts/index.ts';

export { LOCAL_CREDENTIALS };
export const DEFAULT_PORT = 7566;
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_DATA_DIR = '.rotor';
/** Rotor's own routes on the endpoint, outside the AWS protocols (no signature needed). */
export const CONTROL_PREFIX = '/_rotor/';
const SESSIONS_COLLECTION = 'identity.sessions';

export interface LocalStackOptions {
  host?: string;
  /** Endpoint port; 0 picks a free one. Default 7566. */
  port?: number;
  /** First simulator port (one per catalog partner, in catalog order); 0 picks free ones. Default port + 1. */
  simulatorPort?: number;
  region?: string;
  /** The customer account of the demo secrets (default: the first customer account of the config). */
  accountId?: string;
  /** Where state, the master key and identity.json live; absent, everything is in memory. */
  dataDir?: string;
  catalog?: PartnerCatalog;
  /** Where the rotation handler logs (default: nowhere). */
  logger?: RotationLogger;
  /** Create one demo secret per partner against its simulator (default true). */
  demoSecrets?: boolean;
  /** The stack's clock (secret dates, session expiry, event times); a virtual clock in tests. */
  now?: () => Date;
  /**
   * Secrets Manager's write quota, enforced per account and Region (`ThrottlingException` beyond;
   * AWS: `{ writesPerSecond: 50 }`). The stack's rotation handler then paces its writes to it.
   * Default off.
   */
  writeQuota?: WriteQuotaOptions;
}

export interface LocalSimulator {
  type: string;
  title: string;
  simulator: RunningSimulator;
}

export interface LocalStack {
  /** The one URL of Secrets Manager, STS and EventBridge. */
  endpoint: string;
  region: string;
  /** The demo customer account. */
  accountId: string;
  /** The demo customer user's access key (what the banner tells a shell to export). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  dataDir: string | undefined;
  identity: IdentityConfig;
  directory: IdentityDirectory;
  storage: LocalStorage;
  service: SecretsManagerService;
  events: LocalEventBus;
  simulators: LocalSimulator[];
  runner: RotationRunner;
  /** Scheduler, rotation events, audit records and their control routes. */
  orchestration: LocalOrchestration;
  /** Names of the demo secrets (created on first start, re-pointed at the fresh simulators after). */
  demoSecrets: string[];
  /** Stops everything and closes the database (WAL checkpointed). */
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

/**
 * Rotor's own routes: health here; rotations, events, audit records and schedules from the
 * orchestration (whose event bus also receives what `PutEvents` stores).
 */
async function controlRoute(
  orchestration: LocalOrchestration,
  simulatorUrls: Readonly<Record<string, string>>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local');
  if (request.method === 'GET' && url.pathname === `${CONTROL_PREFIX}health`) {
    sendJson(response, 200, { ok: true });
    return;
  }
  if (request.method === 'GET' && url.pathname === `${CONTROL_PREFIX}simulators`) {
    // Partner type → simulator base URL: what a CLI needs to run the engine against this stack.
    sendJson(response, 200, { simulators: simulatorUrls });
    return;
  }
  if (await orchestration.routes(request, response)) return;
  sendJson(response, 404, { message: `No such route ${url.pathname}` });
}

async function listen(
  host: string,
  port: number,
  listener: (request: IncomingMessage, response: ServerResponse) => void,
) {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Creates the demo secret, or re-points an existing one at the freshly started simulator. */
async function ensureDemoSecret(
  service: SecretsManagerService,
  client: SecretsManagerClient,
  ctx: { region: string; accountId: string },
  name: string,
  type: string,
  demo: { value: unknown; metadata: Record<string, string> },
  baseUrl: string,
): Promise<void> {
  const value = JSON.stringify(demo.value);
  try {
    const current = (await service.handle('GetSecretValue', { SecretId: name }, ctx)) as {
      SecretString?: string;
    };
    if (current.SecretString !== value)
      await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    return;
  } catch (error) {
    if ((error as { type?: string }).type !== 'ResourceNotFoundException') throw error;
  }
  await service.handle(
    'CreateSecret',
    {
      Name: name,
      Description: `Demo ${type} secret against the local simulator at ${baseUrl}`,
      SecretString: value,
      Type: type,
      Tags: Object.entries(demo.metadata).map(([key, tagValue]) => ({
        Key: `rotor:meta:${key}`,
        Value: tagValue,
      })),
    },
    ctx,
  );
}

/**
 * Starts the local stack.
 *
 * @example
 * ```ts
 * const stack = await startLocalStack({ port: 0, simulatorPort: 0, dataDir: '.rotor' });
 * const client = new SecretsManagerClient({ endpoint: stack.endpoint, region: stack.region, credentials: stack.credentials });
 * ```
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_PORT;
  const region = options.region ?? DEFAULT_REGION;
  const catalog = options.catalog ?? new PartnerCatalog();
  const closers: (() => Promise<void>)[] = [];

  const storage = LocalStorage.open({ dataDir: options.dataDir });
  closers.push(async () => storage.close());
  try {
    const manifests = await catalog.loadAll();
    const identity = loadIdentityConfig(
      options.dataDir,
      manifests.map((manifest) => manifest.type),
    );
    const directory = new IdentityDirectory(identity, {
      now: options.now,
      sessions: storage.collection<SessionRecord>(SESSIONS_COLLECTION, { encrypted: true }),
    });
    const accountId =
      options.accountId ??
      identity.accounts.find((account) => account.accountId !== identity.rotor.accountId)?.accountId ??
      DEFAULT_ACCOUNT_ID;

    const simulators: LocalSimulator[] = [];
    const firstSimulatorPort = options.simulatorPort ?? (port === 0 ? 0 : port + 1);
    for (const [index, manifest] of manifests.entries()) {
      const simulator = await manifest.startSimulator({
        port: firstSimulatorPort === 0 ? 0 : firstSimulatorPort + index,
      });
      closers.unshift(() => simulator.close());
      simulators.push({ type: manifest.type, title: manifest.title, simulator });
    }

    const simulatorUrls = Object.fromEntries(simulators.map((s) => [s.type, s.simulator.baseUrl]));
    let orchestration: LocalOrchestration | undefined;
    const service = new SecretsManagerService(
      {
        accountId,
        defaultRegion: region,
        now: options.now,
        onRotationRequested: (request) => orchestration?.orchestrator.onRotationRequested(request),
        ...(options.writeQuota === undefined ? {} : { writeQuota: options.writeQuota }),
      },
      {
        persistence: {
          collection: storage.collection<StoredSecret>(SECRETS_COLLECTION, { encrypted: true }),
          transaction: (work) => storage.transaction(work),
        },
      },
    );
    const events = new LocalEventBus(storage.collection<BusEvent>(EVENTS_COLLECTION), { now: options.now });
    const gateway = createGatewayListener({
      secretsManager: service,
      sts: new StsService(directory),
      events,
      directory,
    });
    const server = await listen(host, port, (request, response) => {
      if (!request.url?.startsWith(CONTROL_PREFIX)) return gateway(request, response);
      void controlRoute(orchestration as LocalOrchestration, simulatorUrls, request, response);
    });
    closers.unshift(server.close);

    // The stack's rotation handler is the Rotor service: it signs as the Rotor user and reaches the
    // customer's secrets only through the customer's rotation role (ExternalId), via the local STS.
    const rotorKey = directory.accessKeyOf(identity.rotor.accountId, identity.rotor.userName);
    const endpoint = server.url;
    const clock: Clock = { now: () => options.now?.() ?? new Date() };
    // Rotation, label and Rotor events, plus whatever callers PutEvents, on one durable feed: the
    // orchestrator's bus writes the EventBridge collection itself, and only hears of PutEvents
    // entries (stored once, by the EventBridge endpoint) for its subscribers.
    const bus = new DurableEventBus(storage.collection<OrchestratorEvent>(EVENTS_COLLECTION));
    const unsubscribe = events.subscribe((record) => bus.announce(record));
    closers.unshift(async () => unsubscribe());
    // With a write quota, the handler's clients — its own and one per assumed customer role — share
    // one budget paced to it on the quota's clock, so rotations wait for the quota rather than
    // back off from it.
    const writeBudget =
      options.writeQuota &&
      new WriteBudget({ ...options.writeQuota, now: () => (options.now?.() ?? new Date()).getTime() });
    const rotate = createRotationHandler({
      secretsManager: applyWriteBudget(
        new SecretsManagerClient({ endpoint, region, credentials: rotorKey }),
        writeBudget,
      ),
      sts: new STSClient({ endpoint, region, credentials: rotorKey }),
      createSecretsManagerClient: (config) =>
        applyWriteBudget(new SecretsManagerClient({ ...config, endpoint }), writeBudget),
      env: {
        ROTOR_CUSTOMER_ROLE_NAME: identity.rotor.customerRoleName,
        ROTOR_EXTERNAL_ID: identity.rotor.externalId,
        ROTOR_SIMULATOR_MODE: 'true',
        ROTOR_SIMULATOR_URLS: JSON.stringify(simulatorUrls),
      },
      events: rotorEventSink(bus, clock),
      logger: options.logger ?? silentLogger,
      // The stack's clock, so assumed-role credentials are refreshed on the same clock that expires them.
      now: options.now,
    });
    orchestration = createLocalOrchestration({
      service,
      handler: rotate,
      functionArn: `arn:aws:lambda:${region}:${identity.rotor.accountId}:function:rotor-rotation`,
      clock,
      bus,
      audit: new DurableAuditLog(storage.collection<AuditRecord>(AUDIT_COLLECTION)),
      schedules: new DurableScheduleStore(storage.collection<ScheduleEntry>(SCHEDULES_COLLECTION)),
      catalog,
      simulatorUrls,
    });
    const active = orchestration;
    closers.unshift(() => active.close());

    const demoSecrets: string[] = [];
    if (options.demoSecrets ?? true) {
      const demoKey = identity.accounts
        .find((account) => account.accountId === accountId)
        ?.users.find((user) => user.accessKeys.length > 0)?.accessKeys[0];
      const demoClient = new SecretsManagerClient({
        endpoint,
        region,
        credentials: demoKey ?? LOCAL_CREDENTIALS,
      });
      for (const { type, simulator } of simulators) {
        const demo = (await catalog.resolve(type)).demoSecret?.(simulator.seed);
        if (!demo) continue;
        const name = `demo/${type}`;
        await ensureDemoSecret(
          service,
          demoClient,
          { region, accountId },
          name,
          type,
          demo,
          simulator.baseUrl,
        );
        demoSecrets.push(name);
      }
      demoClient.destroy();
    }

    const credentials =
      identity.accounts.find((account) => account.accountId === accountId)?.users[0]?.accessKeys[0] ??
      LOCAL_CREDENTIALS;
    return {
      endpoint,
      region,
      accountId,
      credentials: { ...credentials },
      dataDir: options.dataDir,
      identity,
      directory,
      storage,
      service,
      events,
      simulators,
      runner: active.runner,
      orchestration: active,
      demoSecrets,
      close: async () => {
        for (const close of closers.splice(0)) await close();
      },
    };
  } catch (error) {
    for (const close of closers.splice(0)) await close().catch(() => {});
    throw error;
  }
}
