/**
 * Figure 4, fleet: N secrets across several accounts rotated at once through the local
 * orchestration (scheduler → runner → the real rotation handler over HTTP), with Secrets Manager's
 * write quota enforced per account and each account's Salesforce org rate-limited. The accounts
 * are split into groups, one process per core (`group.ts`), so the fleet is driven by every core
 * of the machine; this process starts them together and adds up what they measured.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median, percentile } from '../stats.ts';
import type { GroupFigures, GroupReply, GroupRequest } from './group.ts';

const PARTNER = 'SalesforceClientSecret';
/** AWS's write quota per account and Region. */
export const WRITES_PER_SECOND = 50;
export const FLEET_TARGET_SHARE_OF_BOUND = 0.9;
/**
 * Each org's request rate limit in the Salesforce simulator. Salesforce documents no per-second
 * limit for these calls — its documented limits are the 24-hour API allocation (the simulator's
 * `dailyApiRequestLimit`) and concurrent long-running requests — so this is an assumed value: twice
 * what one account's org needs at the quota bound (25 rotations/s × 8 calls), so it shapes bursts
 * without binding.
 */
export const PARTNER_RATE_LIMIT = { requestsPerSecond: 400, burst: 400 };
/**
 * The SDK retry behind the write budget, for a residual ThrottlingException. Standard: measured
 * against adaptive on figure 4b, both gave the same share of the bound with the budget on (no
 * request throttled), and adaptive's own rate limiter only adds CPU and second-guesses the budget.
 * `ROTOR_BENCH_RETRY_MODE=adaptive` runs the comparison again.
 */
const RETRY_MODE = process.env.ROTOR_BENCH_RETRY_MODE === 'adaptive' ? 'adaptive' : 'standard';
const MAX_ATTEMPTS = 10;
const SEMI_SPACE_MIB = 64;
/**
 * Rotations of one account that invoke the handler at once, as the rotation function's concurrency
 * bounds its invocations (100 for the fleet); the other RotateSecrets wait their turn in the
 * orchestrator. Enough to keep an account at its quota (25 rotations/s at ~0.1–0.5 s each); without
 * a bound, thousands of rotations share the CPU at once, each slower than a partner call's timeout
 * (measured: 10,000 secrets, 6,028 rotations failed partner-unavailable), and the sockets and
 * objects they hold cost CPU of their own (1,000 secrets: ~16.6 ms per rotation unbounded, ~13.9 ms).
 */
const CONCURRENCY_PER_ACCOUNT = 10;

export interface FleetFigures {
  secrets: number;
  accounts: number;
  partner: string;
  /** Processes the accounts were split across (one per core, at most one per account). */
  workers: number;
  writesPerSecondPerAccount: number;
  /** Quota-counted writes the engine made per successful rotation (measured). */
  writesPerRotation: number;
  /** accounts × quota / writes per rotation: the most the write quota allows. */
  boundRotationsPerSecond: number;
  rotationsPerSecond: number;
  shareOfBound: number;
  /**
   * Rotations done ÷ the most the quota admitted in this run's time: a second's burst per account
   * (the local quota's default bucket) plus the rate for the wall time. Unlike `shareOfBound` it
   * cannot pass 100 % on a short run that starts with full buckets.
   */
  shareOfRunAllowance: number;
  rotationMsP50: number;
  rotationMsP99: number;
  failedRotations: number;
  /** Failed attempts by `category/ErrorName` (never messages: they stay out of results). */
  failures: Record<string, number>;
  throttledRequests: number;
  /** Requests to the partner simulators, and how many their rate limit refused (retried by the client). */
  partnerRequests: number;
  partnerRateLimitedRequests: number;
  wallSeconds: number;
  /** Share of the run each group's event loop was busy (mean of the groups): near 1 means CPU was the limit. */
  eventLoopUtilization: number;
  /** CPU (user + system) of all groups per rotation: engine, SDK, local service, simulator, orchestrator. */
  processCpuMsPerRotation: number;
  /** The machine's 1-minute load average at the end (other processes compete for the cores). */
  loadAverage: number;
}

interface Group {
  child: ChildProcess;
  /** Sends a request and resolves with the group's next reply. */
  ask(request: GroupRequest): Promise<GroupReply>;
}

function startGroup(): Group {
  const child = fork(fileURLToPath(new URL('./group.ts', import.meta.url)), [], {
    execArgv: [
      '--import',
      'tsx',
      '--no-warnings',
      // A larger young generation: the fleet allocates fast (SDK, HTTP, JSON), and with Node's
      // default the scavenger ran often enough to cost ~15 % of each group's CPU (measured: 64 MiB
      // took CPU per rotation from ~20 to ~17.7 ms; 128 MiB gained nothing more).
      `--max-semi-space-size=${SEMI_SPACE_MIB}`,
    ],
  });
  const ask = (request: GroupRequest) =>
    new Promise<GroupReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`a fleet group exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (message: GroupReply) => {
        child.off('exit', onExit);
        if (message.kind === 'error') reject(new Error(`a fleet group failed: ${message.message}`));
        else resolve(message);
      });
      child.send(request);
    });
  return { child, ask };
}

/**
 * Runs the fleet and reports what the quota allowed and what was achieved.
 *
 * @example
 * ```ts
 * const figures = await benchFleet({ secrets: 1000 });
 * console.log(figures.rotationsPerSecond, figures.boundRotationsPerSecond);
 * ```
 */
export async function benchFleet({
  secrets = 1000,
  accounts = 10,
  writesPerSecond = WRITES_PER_SECOND,
  workers = Math.min(availableParallelism(), accounts),
} = {}): Promise<FleetFigures> {
  // Account a holds secrets a, a + accounts, …; group g hosts accounts g, g + workers, ….
  const plans = Array.from({ length: workers }, () => [] as { accountId: string; secrets: number }[]);
  for (let a = 0; a < accounts; a++) {
    const held = Math.floor(secrets / accounts) + (a < secrets % accounts ? 1 : 0);
    plans[a % workers]?.push({ accountId: String(100000000000 + a), secrets: held });
  }
  const groups = plans.map(() => startGroup());
  try {
    // Setup, not timed: the groups build their accounts and secrets side by side.
    await Promise.all(
      groups.map((group, g) =>
        group.ask({
          op: 'setup',
          accounts: plans[g] ?? [],
          writesPerSecond,
          retryMode: RETRY_MODE,
          maxAttempts: MAX_ATTEMPTS,
          partnerRateLimit: PARTNER_RATE_LIMIT,
          concurrencyPerAccount: CONCURRENCY_PER_ACCOUNT,
        }),
      ),
    );
    const done = await Promise.all(groups.map((group) => group.ask({ op: 'go' })));
    const figures = done.map((reply) => (reply as { figures: GroupFigures }).figures);

    const wallMs =
      Math.max(...figures.map((f) => f.finishedAt)) - Math.min(...figures.map((f) => f.startedAt));
    const durations = figures.flatMap((f) => f.durations);
    const succeeded = durations.length;
    const failures: Record<string, number> = {};
    for (const f of figures)
      for (const [key, count] of Object.entries(f.failures)) failures[key] = (failures[key] ?? 0) + count;
    const sum = (pick: (f: GroupFigures) => number) => figures.reduce((total, f) => total + pick(f), 0);
    const writesPerRotation = succeeded ? sum((f) => f.writes) / succeeded : Number.NaN;
    const bound = (accounts * writesPerSecond) / writesPerRotation;
    const rotationsPerSecond = succeeded / (wallMs / 1000);
    return {
      secrets,
      accounts,
      partner: PARTNER,
      workers,
      writesPerSecondPerAccount: writesPerSecond,
      writesPerRotation,
      boundRotationsPerSecond: bound,
      rotationsPerSecond,
      shareOfBound: rotationsPerSecond / bound,
      shareOfRunAllowance:
        succeeded /
        ((accounts * (Math.max(1, writesPerSecond) + (writesPerSecond * wallMs) / 1000)) / writesPerRotation),
      rotationMsP50: median(durations),
      rotationMsP99: percentile(durations, 99),
      failedRotations: secrets - succeeded,
      failures,
      throttledRequests: sum((f) => f.throttled),
      partnerRequests: sum((f) => f.partnerRequests),
      partnerRateLimitedRequests: sum((f) => f.partnerRateLimited),
      wallSeconds: wallMs / 1000,
      eventLoopUtilization: sum((f) => f.eventLoopUtilization) / figures.length,
      processCpuMsPerRotation: sum((f) => f.cpuMicros) / 1000 / secrets,
      loadAverage: loadavg()[0] ?? Number.NaN,
    };
  } finally {
    await Promise.all(
      groups.map(async (group) => {
        const exited = new Promise((resolve) => group.child.once('exit', resolve));
        if (group.child.connected && group.child.exitCode === null) {
          await group.ask({ op: 'close' }).catch(() => undefined);
          await exited;
        } else group.child.kill();
      }),
    );
  }
}
