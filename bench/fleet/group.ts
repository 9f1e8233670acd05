/**
 * One process of figure 4: a group of the fleet's accounts, each with its own local Secrets
 * Manager service (write quota on) behind its own HTTP endpoint, its own Salesforce org (a
 * simulator with the org's rate limit), its own local orchestration (scheduler, runner, events)
 * and the real rotation handler talking to the endpoint over HTTP with the real SDK. The handlers'
 * writes share one write budget paced to the quota; each account is its own scope in it, as each
 * is its own bucket of the quota. Driven over IPC by fleet.ts: set up, report ready, rotate every
 * secret at once on `go`, report, close.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { applyWriteBudget, WriteBudget } from '../../src/aws/write-budget.ts';
import { createRotationHandler } from '../../src/handlers/rotation.ts';
import { LOCAL_CREDENTIALS } from '../../src/local/credentials.ts';
import { createLocalOrchestration, type LocalOrchestration } from '../../src/local/orchestrator/index.ts';
import {
  QUOTA_WRITES,
  SecretsManagerService,
  startSecretsManagerServer,
} from '../../src/local/secrets-manager/index.ts';
import { PartnerCatalog } from '../../src/runtime/catalog.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import type { RunningSimulator, SimulatorStartOptions } from '../../src/runtime/partner.ts';

export const REGION = 'us-east-1';
export const PARTNER = 'SalesforceClientSecret';

/** What the parent asks a group to set up. */
export interface GroupSetup {
  op: 'setup';
  /** The group's accounts and how many secrets each holds. */
  accounts: { accountId: string; secrets: number }[];
  writesPerSecond: number;
  retryMode: 'standard' | 'adaptive';
  maxAttempts: number;
  partnerRateLimit: NonNullable<SimulatorStartOptions['rateLimit']>;
  /** Rotations of one account that invoke the handler at once (its Lambda concurrency). */
  concurrencyPerAccount: number;
}
export type GroupRequest = GroupSetup | { op: 'go' } | { op: 'close' };

/** What a group measured; times are milliseconds since the epoch, so groups can be compared. */
export interface GroupFigures {
  startedAt: number;
  finishedAt: number;
  /** First step start to last step end of each succeeded attempt. */
  durations: number[];
  succeeded: number;
  /** Failed attempts by `category/ErrorName at step`. */
  failures: Record<string, number>;
  /** Quota-counted writes that succeeded, and requests answered ThrottlingException. */
  writes: number;
  throttled: number;
  /** Calls to the partner simulators, and those refused by their rate limit. */
  partnerRequests: number;
  partnerRateLimited: number;
  eventLoopUtilization: number;
  /** This process's CPU (user + system) during the rotations, in microseconds. */
  cpuMicros: number;
}
export type GroupReply =
  | { kind: 'ready' }
  | { kind: 'done'; figures: GroupFigures }
  | { kind: 'closed' }
  | { kind: 'error'; message: string };

interface Account {
  accountId: string;
  simulator: RunningSimulator & { requests?: () => { status: number }[] };
  service: SecretsManagerService;
  orchestration: LocalOrchestration;
  pending: Fresh[];
  /** Attempts and partner requests from before the timed run (the warm-up), not counted. */
  attemptsBefore: number;
  partnerRequestsBefore: number;
  close: () => Promise<void>;
}

interface Fresh {
  arn: string;
  metadata: Record<string, string>;
}

const group: Account[] = [];
let writes = 0;
let throttled = 0;
let budget: WriteBudget | undefined;

async function setUp(setup: GroupSetup): Promise<void> {
  const manifest = await new PartnerCatalog().resolve(PARTNER);
  budget = new WriteBudget({ writesPerSecond: setup.writesPerSecond });
  for (const { accountId, secrets } of setup.accounts) {
    const simulator = await manifest.startSimulator({ port: 0, rateLimit: setup.partnerRateLimit });
    const simulatorUrls = { [PARTNER]: simulator.baseUrl };
    let orchestration: LocalOrchestration | undefined;
    const service = new SecretsManagerService({
      accountId,
      defaultRegion: REGION,
      writeQuota: { writesPerSecond: setup.writesPerSecond },
      onRotationRequested: (request) => orchestration?.orchestrator.onRotationRequested(request),
    });
    const server = await startSecretsManagerServer({ service, port: 0 });
    // Writes are paced by the budget; the SDK's retry is left for a residual ThrottlingException.
    const sm = applyWriteBudget(
      new SecretsManagerClient({
        endpoint: server.url,
        region: REGION,
        credentials: LOCAL_CREDENTIALS,
        retryMode: setup.retryMode,
        maxAttempts: setup.maxAttempts,
        // The SDK resolves a command's middleware stack on every send unless told it will not
        // change; nothing is added to this client after its first send. Measured: ~0.05–0.1 ms
        // less CPU per call.
        cacheMiddleware: true,
      }),
      budget,
    );
    // Inside the retry middleware (finalizeRequest, low priority): sees every attempt.
    sm.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          const output = await next(args);
          if (QUOTA_WRITES.has(String(context.commandName).replace(/Command$/, ''))) writes += 1;
          return output;
        } catch (error) {
          if ((error as { name?: string }).name === 'ThrottlingException') throttled += 1;
          throw error;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'benchCountWrites' },
    );
    const handler = createRotationHandler({
      secretsManager: sm,
      env: { ROTOR_SIMULATOR_MODE: 'true', ROTOR_SIMULATOR_URLS: JSON.stringify(simulatorUrls) },
      logger: silentLogger,
    });
    orchestration = createLocalOrchestration({
      service,
      handler,
      functionArn: `arn:aws:lambda:${REGION}:${accountId}:function:rotor-rotation`,
      simulatorUrls,
      maxConcurrentRotations: setup.concurrencyPerAccount,
    });
    const active = orchestration;
    const account: Account = {
      accountId,
      simulator,
      service,
      orchestration: active,
      pending: [],
      attemptsBefore: 0,
      partnerRequestsBefore: 0,
      close: async () => {
        await active.close();
        sm.destroy();
        await server.close();
        await simulator.close();
      },
    };
    group.push(account);

    // Not timed: one partner app and one secret per fleet member.
    for (let i = 0; i < secrets; i++) account.pending.push(await freshSecret(account, `fleet/${i}`));
  }
  await warmUp();
}

async function freshSecret(account: Account, name: string): Promise<Fresh> {
  const { value, metadata } = await account.simulator.probe.freshSecret();
  const created = (await account.service.handle(
    'CreateSecret',
    { Name: name, SecretString: JSON.stringify(value), Type: PARTNER },
    { region: REGION },
  )) as { ARN: string };
  return { arn: created.ARN, metadata: metadata as Record<string, string> };
}

function rotateSecret(account: Account, { arn, metadata }: Fresh): Promise<unknown> {
  return account.service.handle(
    'RotateSecret',
    {
      SecretId: arn,
      ExternalSecretRotationRoleArn: `arn:aws:iam::${account.accountId}:role/rotor-rotation`,
      ExternalSecretRotationMetadata: Object.entries(metadata).map(([Key, Value]) => ({ Key, Value })),
      RotationRules: { AutomaticallyAfterDays: 30 },
    },
    { region: REGION },
  );
}

/** Untimed rotations per account before the timed run (see {@link warmUp}). */
const WARM_UP_ROTATIONS_PER_ACCOUNT = 20;

/**
 * Not timed, as figure 2 leaves out its warm-up rotations: a few rotations per account of secrets
 * outside the fleet, all at once as the fleet's will be, which load the partner plugin and its
 * client and let the JIT compile the hot paths. A stack that has been up for a while is in that
 * state; a fleet of 1,000 would otherwise spend a good part of its few seconds getting there.
 */
async function warmUp(): Promise<void> {
  const warmUps = await Promise.all(
    group.map(async (account) => {
      const secrets: Fresh[] = [];
      for (let i = 0; i < WARM_UP_ROTATIONS_PER_ACCOUNT; i++)
        secrets.push(await freshSecret(account, `warm-up/${i}`));
      return { account, secrets };
    }),
  );
  await Promise.all(
    warmUps.flatMap(({ account, secrets }) => secrets.map((secret) => rotateSecret(account, secret))),
  );
  for (const account of group) {
    await account.orchestration.orchestrator.idle();
    const attempts = account.orchestration.runner.attempts();
    const failed = attempts.filter((attempt) => attempt.result !== 'succeeded').length;
    if (failed > 0)
      throw new Error(`${failed} warm-up rotations of account ${account.accountId} did not succeed`);
    account.attemptsBefore = attempts.length;
    account.partnerRequestsBefore = account.simulator.requests?.().length ?? 0;
  }
  writes = 0;
  throttled = 0;
  // The timed run starts with the quota as an idle account has it: the warm-up's writes given back
  // (the quota refills in a second; the budget's slots, at most two intervals on).
  await delay(Math.max(1000, 2 * (budget?.intervalMs ?? 0)));
}

/**
 * `ROTOR_BENCH_FLEET_PROFILE=<dir>`: a V8 CPU profile of the rotations only (not of the setup),
 * one file per group, for `node --cpu-prof`-style analysis.
 */
async function profiled<T>(work: () => Promise<T>): Promise<T> {
  const dir = process.env.ROTOR_BENCH_FLEET_PROFILE;
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `fleet-group-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** Every secret's RotateSecret at once; the orchestrators run the rotations. */
async function rotateAll(): Promise<GroupFigures> {
  const startedAt = performance.timeOrigin + performance.now();
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  await Promise.all(group.flatMap((account) => account.pending.map((fresh) => rotateSecret(account, fresh))));
  await Promise.all(group.map((account) => account.orchestration.orchestrator.idle()));
  const finishedAt = performance.timeOrigin + performance.now();
  const busy = performance.eventLoopUtilization(elu).utilization;
  const used = process.cpuUsage(cpu);

  const attempts = group.flatMap((account) =>
    account.orchestration.runner.attempts().slice(account.attemptsBefore),
  );
  const succeeded = attempts.filter((attempt) => attempt.result === 'succeeded');
  const failures: Record<string, number> = {};
  for (const attempt of attempts) {
    if (attempt.result === 'succeeded' || !attempt.failure) continue;
    const key = `${attempt.failure.category}/${attempt.failure.name} at ${attempt.failure.step}`;
    failures[key] = (failures[key] ?? 0) + 1;
  }
  const partner = group.flatMap((account) =>
    (account.simulator.requests?.() ?? []).slice(account.partnerRequestsBefore),
  );
  return {
    startedAt,
    finishedAt,
    durations: succeeded.map(
      (attempt) => Date.parse(attempt.finishedAt ?? attempt.startedAt) - Date.parse(attempt.startedAt),
    ),
    succeeded: succeeded.length,
    failures,
    writes,
    throttled,
    partnerRequests: partner.length,
    // Salesforce answers its limits with 403 (REST) and 400 (token); a healthy fleet gets no other.
    partnerRateLimited: partner.filter((request) => request.status === 403 || request.status === 400).length,
    eventLoopUtilization: busy,
    cpuMicros: used.user + used.system,
  };
}

function reply(message: GroupReply): void {
  process.send?.(message);
}

process.on('message', (request: GroupRequest) => {
  const work =
    request.op === 'setup'
      ? setUp(request).then(() => reply({ kind: 'ready' }))
      : request.op === 'go'
        ? profiled(rotateAll).then((figures) => reply({ kind: 'done', figures }))
        : (async () => {
            for (const account of group.splice(0)) await account.close();
            // Exit once the reply is out (a keep-alive socket must not hold the process open).
            process.send?.({ kind: 'closed' } satisfies GroupReply, () => process.exit(0));
          })();
  work.catch((error: unknown) => reply({ kind: 'error', message: (error as Error).stack ?? String(error) }));
});
