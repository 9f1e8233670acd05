/**
 * The local stack behind `rotor local` (and `npm start`): a Secrets Manager-compatible endpoint,
 * every catalog partner's simulator, a demo secret per partner, and rotations driven through the
 * real rotation handler, all on loopback.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createRotationHandler } from '../handlers/rotation.ts';
import { PartnerCatalog } from '../runtime/catalog.ts';
import { type RotationLogger, silentLogger } from '../runtime/logger.ts';
import type { RunningSimulator } from '../runtime/partner.ts';
import {
  type Clock,
  createLocalOrchestration,
  InMemoryEventBus,
  type LocalOrchestration,
  rotorEventSink,
  systemClock,
} from './orchestrator/index.ts';
import type { RotationRunner } from './rotation-runner.ts';
import { createSecretsManagerListener, SecretsManagerService } from './secrets-manager/index.ts';

/** Credentials the local stack hands out; any signed request is accepted for now. */
export const LOCAL_CREDENTIALS = {
  accessKeyId: 'ROTORLOCALACCESSKEY',
  secretAccessKey: 'rotor-local-secret-key',
};
export const DEFAULT_PORT = 7566;
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '000000000000';
/** Rotor's own routes on the endpoint, outside the AWS protocol. */
export const CONTROL_PREFIX = '/_rotor/';

export interface LocalStackOptions {
  host?: string;
  /** Endpoint port; 0 picks a free one. Default 7566. */
  port?: number;
  /** First simulator port (one per catalog partner, in catalog order); 0 picks free ones. Default port + 1. */
  simulatorPort?: number;
  region?: string;
  accountId?: string;
  catalog?: PartnerCatalog;
  /** Where the rotation handler logs (default: nowhere). */
  logger?: RotationLogger;
  /** The stack's clock (default: the system clock); tests pass a virtual one. */
  clock?: Clock;
  /** Create one demo secret per partner against its simulator (default true). */
  demoSecrets?: boolean;
}

export interface LocalSimulator {
  type: string;
  title: string;
  simulator: RunningSimulator;
}

export interface LocalStack {
  endpoint: string;
  region: string;
  accountId: string;
  service: SecretsManagerService;
  simulators: LocalSimulator[];
  runner: RotationRunner;
  /** Scheduler, event bus, audit log and their control routes. */
  orchestration: LocalOrchestration;
  /** Names of the demo secrets created at start. */
  demoSecrets: string[];
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

/** Rotor's own routes: health here; rotations, events, audit and schedules from the orchestration. */
async function controlRoute(
  orchestration: LocalOrchestration,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local');
  if (request.method === 'GET' && url.pathname === `${CONTROL_PREFIX}health`) {
    sendJson(response, 200, { ok: true });
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
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts the local stack.
 *
 * @example
 * ```ts
 * const stack = await startLocalStack({ port: 0, simulatorPort: 0 });
 * const client = new SecretsManagerClient({ endpoint: stack.endpoint, region: stack.region, credentials: LOCAL_CREDENTIALS });
 * ```
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_PORT;
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const catalog = options.catalog ?? new PartnerCatalog();
  const closers: (() => Promise<void>)[] = [];

  try {
    const simulators: LocalSimulator[] = [];
    const firstSimulatorPort = options.simulatorPort ?? (port === 0 ? 0 : port + 1);
    for (const [index, manifest] of (await catalog.loadAll()).entries()) {
      const simulator = await manifest.startSimulator({
        port: firstSimulatorPort === 0 ? 0 : firstSimulatorPort + index,
      });
      closers.push(() => simulator.close());
      simulators.push({ type: manifest.type, title: manifest.title, simulator });
    }

    const clock = options.clock ?? systemClock;
    let orchestration: LocalOrchestration | undefined;
    const service = new SecretsManagerService({
      accountId,
      defaultRegion: region,
      now: () => clock.now(),
      onRotationRequested: (request) => orchestration?.orchestrator.onRotationRequested(request),
    });
    const awsListener = createSecretsManagerListener(service);
    const server = await listen(host, port, (request, response) => {
      if (!request.url?.startsWith(CONTROL_PREFIX)) return awsListener(request, response);
      void controlRoute(orchestration as LocalOrchestration, request, response);
    });
    closers.push(server.close);

    const simulatorUrls = Object.fromEntries(simulators.map((s) => [s.type, s.simulator.baseUrl]));
    const bus = new InMemoryEventBus();
    const rotate = createRotationHandler({
      secretsManager: new SecretsManagerClient({
        endpoint: server.url,
        region,
        credentials: LOCAL_CREDENTIALS,
      }),
      env: { ROTOR_SIMULATOR_MODE: 'true', ROTOR_SIMULATOR_URLS: JSON.stringify(simulatorUrls) },
      events: rotorEventSink(bus, clock),
      now: () => clock.now(),
      logger: options.logger ?? silentLogger,
    });
    orchestration = createLocalOrchestration({
      service,
      handler: rotate,
      functionArn: `arn:aws:lambda:${region}:${accountId}:function:rotor-rotation`,
      clock,
      bus,
      catalog,
      simulatorUrls,
    });
    const active = orchestration;
    closers.unshift(() => active.close());

    const demoSecrets: string[] = [];
    if (options.demoSecrets ?? true) {
      for (const { type, simulator } of simulators) {
        const demo = catalog.get(type).demoSecret?.(simulator.seed);
        if (!demo) continue;
        const name = `demo/${type}`;
        await service.handle(
          'CreateSecret',
          {
            Name: name,
            Description: `Demo ${type} secret against the local simulator at ${simulator.baseUrl}`,
            SecretString: JSON.stringify(demo.value),
            Type: type,
            Tags: Object.entries(demo.metadata).map(([key, value]) => ({
              Key: `rotor:meta:${key}`,
              Value: value,
            })),
          },
          { region },
        );
        demoSecrets.push(name);
      }
    }

    return {
      endpoint: server.url,
      region,
      accountId,
      service,
      simulators,
      runner: active.runner,
      orchestration: active,
      demoSecrets,
      close: async () => {
        for (const close of closers.splice(0)) await close();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => {});
    throw error;
  }
}
