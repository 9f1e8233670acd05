/**
 * The local stack's rotation path with orchestration wired in, the way `src/local/stack.ts` is to
 * wire it: the Secrets Manager service on loopback (AWS routes plus the orchestrator's control
 * routes), the Salesforce simulator, the real rotation handler talking to the endpoint over HTTP,
 * and the orchestrator — all on one virtual clock.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SalesforceSimulator } from '../../partners/salesforce/simulator/index.ts';
import { createRotationHandler } from '../../src/handlers/rotation.ts';
import {
  createLocalOrchestration,
  InMemoryEventBus,
  type LocalOrchestration,
  type LocalOrchestrationOptions,
  rotorEventSink,
  VirtualClock,
} from '../../src/local/orchestrator/index.ts';
import {
  createSecretsManagerListener,
  SecretsManagerService,
} from '../../src/local/secrets-manager/index.ts';
import { LOCAL_CREDENTIALS } from '../../src/local/stack.ts';

export const ACCOUNT_ID = '000000000000';
export const REGION = 'us-east-1';
export const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:rotor-rotation`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/rotor-mes-rotation`;
export const START = new Date('2026-03-01T10:30:00.000Z');

export interface OrchestratedStack {
  endpoint: string;
  sm: SecretsManagerClient;
  sim: SalesforceSimulator;
  clock: VirtualClock;
  service: SecretsManagerService;
  orchestration: LocalOrchestration;
  /** Moves the shared clock (and the simulator's) and waits for what the scheduler started. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface OrchestratedStackOptions
  extends Pick<LocalOrchestrationOptions, 'retry' | 'testRotation' | 'catchUpMissedWindows'> {
  /** Awaited before each step reaches the handler: lets a test act between two steps. */
  beforeStep?: (step: string) => Promise<void>;
}

export async function startOrchestratedStack(
  options: OrchestratedStackOptions = {},
): Promise<OrchestratedStack> {
  const { beforeStep, ...orchestrationOptions } = options;
  const clock = new VirtualClock(START);
  const sim = await SalesforceSimulator.start();
  let orchestration: LocalOrchestration | undefined;
  const service = new SecretsManagerService({
    accountId: ACCOUNT_ID,
    defaultRegion: REGION,
    now: () => clock.now(),
    onRotationRequested: (request) => orchestration?.orchestrator.onRotationRequested(request),
  });
  const awsListener = createSecretsManagerListener(service);
  const server = createServer((request, response) => {
    if (!request.url?.startsWith('/_rotor/')) return awsListener(request, response);
    // The stack's own control route, as src/local/stack.ts answers it.
    if (request.url === '/_rotor/health') return response.writeHead(200).end('{"ok":true}');
    void orchestration?.routes(request, response).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sm = new SecretsManagerClient({
    endpoint,
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const simulatorUrls = { SalesforceClientSecret: sim.baseUrl };
  const bus = new InMemoryEventBus();
  const handler = createRotationHandler({
    secretsManager: sm,
    events: rotorEventSink(bus, clock),
    now: () => clock.now(),
    env: { ROTOR_SIMULATOR_MODE: 'true', ROTOR_SIMULATOR_URLS: JSON.stringify(simulatorUrls) },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  orchestration = createLocalOrchestration({
    service,
    handler: async (event, context) => {
      await beforeStep?.((event as { Step: string }).Step);
      await handler(event, context);
    },
    functionArn: FUNCTION_ARN,
    clock,
    bus,
    simulatorUrls,
    ...orchestrationOptions,
  });
  const active = orchestration;
  return {
    endpoint,
    sm,
    sim,
    clock,
    service,
    orchestration: active,
    async advance(ms) {
      sim.advanceTime(ms);
      clock.advance(ms);
      await active.orchestrator.idle();
    },
    async close() {
      await active.close();
      sm.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
    },
  };
}
