/**
 * `npm run bench`: Rotor's cost per rotation, measured, never typed in. Prints a table and writes
 * bench/results.json. See bench/README.md for what each figure means and its target.
 */
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  CreateSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { ENGINE_CLIENT_CONFIG, SecretsManagerClients } from '../src/aws/roles.ts';
import { RotationEngine } from '../src/engine/engine.ts';
import { ROTATION_STEPS } from '../src/engine/event.ts';
import { LOCAL_CREDENTIALS } from '../src/local/credentials.ts';
import { PartnerCatalog } from '../src/runtime/catalog.ts';
import { benchColdStart, COLD_START_TARGETS, type ColdStartFigures } from './cold-start/cold-start.ts';
import { benchFleet, FLEET_TARGET_SHARE_OF_BOUND, type FleetFigures } from './fleet/fleet.ts';
import { type BenchServers, startServers } from './servers-client.ts';
import { median, percentile } from './stats.ts';

/** AWS's single-user rotation template: a DescribeSecret per step, Get current, Get pending, Put, Describe, Update. */
const TEMPLATE_CALLS = {
  DescribeSecret: 5,
  GetSecretValue: 2,
  PutSecretValue: 1,
  UpdateSecretVersionStage: 1,
};
const TEMPLATE_TOTAL = Object.values(TEMPLATE_CALLS).reduce((a, b) => a + b, 0);
const ROTATIONS = Number(process.env.ROTOR_BENCH_ROTATIONS ?? 30);
/** Not counted. Each rotation adds a secret version, and a secret holds at most 100. */
const WARM_UP_ROTATIONS = 5;
if (!Number.isInteger(ROTATIONS) || ROTATIONS < 1 || ROTATIONS + WARM_UP_ROTATIONS > 95) {
  throw new TypeError(
    `ROTOR_BENCH_ROTATIONS must be an integer from 1 to 90, got ${process.env.ROTOR_BENCH_ROTATIONS}.`,
  );
}
const COLD_START_PROCESSES = Number(process.env.ROTOR_BENCH_COLD_STARTS ?? 10);
/** Figure 4b: a quota low enough (bound 5 rotations/s) that it, not this process's CPU, is the limit. */
const QUOTA_CHECK = { secrets: 50, writesPerSecond: 1 };
/** `npm run bench -- --secrets 10000` for the large fleet. */
const FIGURES = ['engine', 'cold-start', 'fleet'] as const;
const { values: flags } = parseArgs({
  options: {
    secrets: { type: 'string', default: '1000' },
    /** `--only engine,fleet`: run some figures (figures 1 and 2 are both `engine`). */
    only: { type: 'string', default: FIGURES.join(',') },
  },
});
const only = new Set(flags.only.split(',').map((f) => f.trim()));
for (const figure of only)
  if (!(FIGURES as readonly string[]).includes(figure))
    throw new TypeError(`--only takes a comma-separated list of ${FIGURES.join(', ')}; got ${figure}.`);
const FLEET_SECRETS = Number(flags.secrets);
if (!Number.isInteger(FLEET_SECRETS) || FLEET_SECRETS < 1) {
  throw new TypeError(`--secrets must be a positive integer (e.g. --secrets 10000), got ${flags.secrets}.`);
}
const ENGINE_OVERHEAD_TARGET_MS = 5;

interface PartnerFigures {
  type: string;
  callsPerRotation: Record<string, number>;
  totalCalls: number;
  ratioToTemplate: number;
  /** Everything the rotation costs this process except the partner plugin's hooks (figure 2). */
  engineCpuMsMedian: number;
  engineCpuMsP90: number;
  /** Of which: inside Secrets Manager SDK calls (AWS SDK, Node's HTTP client, the kernel). */
  sdkCpuMsMedian: number;
  /** Of which: Rotor's own code (engine, runtime, validation, event building). */
  ownCpuMsMedian: number;
  /** CPU inside the partner plugin's hooks (its client, crypto and HTTP), not in the figure. */
  partnerCpuMsMedian: number;
  rotations: number;
}

/** Measures CPU across `call` (user + system, µs); valid because the bench runs one thing at a time. */
async function cpuOf<T>(call: () => Promise<T>, add: (microseconds: number) => void): Promise<T> {
  const start = process.cpuUsage();
  try {
    return await call();
  } finally {
    const used = process.cpuUsage(start);
    add(used.user + used.system);
  }
}

async function benchPartner(type: string, servers: BenchServers): Promise<PartnerFigures> {
  const counts = new Map<string, number>();
  let sdkUs = 0;
  let hookUs = 0;
  const sm = new SecretsManagerClient({
    endpoint: servers.ready.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    ...ENGINE_CLIENT_CONFIG,
  });
  sm.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      return cpuOf(
        () => next(args),
        (us) => {
          sdkUs += us;
        },
      );
    },
    { step: 'initialize', priority: 'high', name: 'benchCountCalls' },
  );
  const engine = new RotationEngine({
    hookWrapper: (_hook, _type, call) =>
      cpuOf(call, (us) => {
        hookUs += us;
      }),
    clients: new SecretsManagerClients({
      secretsManager: sm,
      sts: new STSClient({}),
      engineAccountId: '000000000000',
    }),
    simulatorMode: true,
    simulatorUrls: servers.ready.simulators,
  });

  const { value, metadata } = (await servers.call({ op: 'freshSecret', type })) as {
    value: Record<string, unknown>;
    metadata: Record<string, string>;
  };
  const created = await sm.send(
    new CreateSecretCommand({
      Name: `bench/${type}/${Date.now()}`,
      SecretString: JSON.stringify(value),
      Type: type,
    }),
  );
  const arn = created.ARN ?? '';
  // Grace period 0: back-to-back rotations may reclaim the previous slot at once.
  const rotationMetadata = Object.entries({ ...metadata, 'rotor:grace-period': '0' }).map(([Key, Value]) => ({
    Key,
    Value,
  }));

  const engineCpu: number[] = [];
  const sdkCpu: number[] = [];
  const ownCpu: number[] = [];
  const partnerCpu: number[] = [];
  let engineCalls = new Map<string, number>();
  for (let i = 0; i < WARM_UP_ROTATIONS + ROTATIONS; i++) {
    const { VersionId: token } = await sm.send(
      new RotateSecretCommand({ SecretId: arn, ExternalSecretRotationMetadata: rotationMetadata }),
    );
    counts.clear();
    sdkUs = 0;
    hookUs = 0;
    let totalUs = 0;
    await cpuOf(
      async () => {
        for (const step of ROTATION_STEPS) {
          await engine.run({ Step: step, SecretId: arn, ClientRequestToken: token });
        }
      },
      (us) => {
        totalUs = us;
      },
    );
    engineCalls = new Map(counts);
    // Warm-up rotations fill caches and let the JIT compile the hot paths, as in a warm Lambda.
    if (i < WARM_UP_ROTATIONS) continue;
    engineCpu.push((totalUs - hookUs) / 1000);
    sdkCpu.push(sdkUs / 1000);
    ownCpu.push((totalUs - hookUs - sdkUs) / 1000);
    partnerCpu.push(hookUs / 1000);
  }
  const callsPerRotation = Object.fromEntries([...engineCalls].sort());
  const totalCalls = [...engineCalls.values()].reduce((a, b) => a + b, 0);
  return {
    type,
    callsPerRotation,
    totalCalls,
    ratioToTemplate: totalCalls / TEMPLATE_TOTAL,
    engineCpuMsMedian: median(engineCpu),
    engineCpuMsP90: percentile(engineCpu, 90),
    sdkCpuMsMedian: median(sdkCpu),
    ownCpuMsMedian: median(ownCpu),
    partnerCpuMsMedian: median(partnerCpu),
    rotations: engineCpu.length,
  };
}

interface MachineReference {
  /** CPU of one bare `node:http` POST to the bench's endpoint and its answer (keep-alive). */
  httpRoundTripCpuMs: number;
  /** CPU of one Secrets Manager SDK call in the rotations above (their SDK CPU ÷ their calls). */
  sdkCallCpuMs: number;
}

/**
 * What one HTTP round trip costs on this machine, to read figure 2 by: most of an SDK call's CPU
 * is the machine's HTTP and socket cost, which varies a lot between machines.
 */
async function httpRoundTripCpuMs(endpoint: string, samples = 300): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const body = '{}';
      const req = request(
        endpoint,
        { method: 'POST', agent, headers: { 'content-type': 'application/x-amz-json-1.1' } },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  for (let i = 0; i < 50; i++) await post();
  let used = 0;
  await cpuOf(
    async () => {
      for (let i = 0; i < samples; i++) await post();
    },
    (us) => {
      used = us;
    },
  );
  agent.destroy();
  return used / 1000 / samples;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

function printColdStart(c: ColdStartFigures): void {
  const t = COLD_START_TARGETS;
  console.log(
    `\nFigure 3 — cold start (${c.partner}, createSecret, median of ${c.processes} fresh processes)`,
  );
  console.table({
    bundled: {
      'first step done': `${c.bundled.firstStepMsMedian.toFixed(0)} ms (p90 ${c.bundled.firstStepMsP90.toFixed(0)}; target ≤ ${t.bundledMs} ms)`,
      'import done': `${c.bundled.importMsMedian.toFixed(0)} ms`,
      'spawn→exit': `${c.bundled.wallMsMedian.toFixed(0)} ms`,
    },
    'bundled, Tracing Active': {
      'first step done': `${c.bundledWithTracing.firstStepMsMedian.toFixed(0)} ms (p90 ${c.bundledWithTracing.firstStepMsP90.toFixed(0)}; not the default)`,
      'import done': `${c.bundledWithTracing.importMsMedian.toFixed(0)} ms`,
      'spawn→exit': `${c.bundledWithTracing.wallMsMedian.toFixed(0)} ms`,
    },
    'unbundled (tsx)': {
      'first step done': `${c.unbundled.firstStepMsMedian.toFixed(0)} ms (p90 ${c.unbundled.firstStepMsP90.toFixed(0)})`,
      'import done': `${c.unbundled.importMsMedian.toFixed(0)} ms`,
      'spawn→exit': `${c.unbundled.wallMsMedian.toFixed(0)} ms`,
    },
  });
  console.log(`  speedup bundled vs unbundled: ${c.speedup.toFixed(2)}× (target ≥ ${t.speedup}×)`);
  for (const size of c.sizes)
    console.log(
      `  ${size.logicalId}: ${mib(size.bytesAtColdStart)} loaded at cold start (target ≤ ${mib(t.artifactBytes)}), ${mib(size.bytesTotal)} total in ${size.files} files`,
    );
}

function printFleet(title: string, f: FleetFigures): void {
  console.log(
    `\n${title} (${f.secrets} ${f.partner} secrets across ${f.accounts} accounts in ${f.workers} processes, write quota ${f.writesPerSecondPerAccount}/s per account)`,
  );
  console.table({
    'rotations / s': `${f.rotationsPerSecond.toFixed(1)} of a quota bound of ${f.boundRotationsPerSecond.toFixed(0)} (${(f.shareOfBound * 100).toFixed(1)} %; target ≥ ${FLEET_TARGET_SHARE_OF_BOUND * 100} %)`,
    'of the run’s allowance': `${(f.shareOfRunAllowance * 100).toFixed(1)} % of what the quota admitted in ${f.wallSeconds.toFixed(1)} s, counting each account’s initial burst`,
    'rotation time': `p50 ${f.rotationMsP50.toFixed(0)} ms, p99 ${f.rotationMsP99.toFixed(0)} ms`,
    'failed rotations': `${f.failedRotations} (target 0)${
      Object.keys(f.failures).length ? `; failed attempts: ${JSON.stringify(f.failures)}` : ''
    }`,
    'throttled requests': `${f.throttledRequests} (retried by the SDK); partner: ${f.partnerRateLimitedRequests} of ${f.partnerRequests} refused by its rate limit (retried by the client)`,
    'writes / rotation': `${f.writesPerRotation.toFixed(2)}`,
    'limit observed': `event loop busy ${(f.eventLoopUtilization * 100).toFixed(0)} % (mean of processes), ${f.processCpuMsPerRotation.toFixed(1)} ms CPU / rotation, load average ${f.loadAverage.toFixed(2)}, ${f.wallSeconds.toFixed(1)} s`,
  });
}

function printPartners(partners: PartnerFigures[], reference: MachineReference): void {
  const rows = partners.map((p) => ({
    partner: p.type,
    'SM calls / rotation': `${p.totalCalls} (template ${TEMPLATE_TOTAL}, ratio ${p.ratioToTemplate.toFixed(2)}, target ≤ 1.00)`,
    'by operation': Object.entries(p.callsPerRotation)
      .map(([op, n]) => `${op} ${n}`)
      .join(', '),
    "Rotor's code CPU / rotation": `median ${p.ownCpuMsMedian.toFixed(2)} ms (target ≤ ${ENGINE_OVERHEAD_TARGET_MS} ms, n=${p.rotations})`,
    '+ SDK calls = engine process': `${p.sdkCpuMsMedian.toFixed(2)} ms = ${p.engineCpuMsMedian.toFixed(2)} ms (p90 ${p.engineCpuMsP90.toFixed(2)})`,
    'partner plugin (apart)': `${p.partnerCpuMsMedian.toFixed(2)} ms`,
  }));
  console.log('Figures 1 and 2 — Secrets Manager calls and engine CPU per rotation');
  console.table(rows);
  console.log(
    `  machine reference: one bare Node HTTP round trip to the same endpoint costs ${reference.httpRoundTripCpuMs.toFixed(3)} ms CPU; an SDK call costs ${reference.sdkCallCpuMs.toFixed(3)} ms`,
  );
}

/** The default fleet's run goes to results.json; `--secrets N` to results-N-secrets.json beside it. */
const RESULTS_FILE = FLEET_SECRETS === 1000 ? 'results.json' : `results-${FLEET_SECRETS}-secrets.json`;

function writeResults(results: Record<string, unknown>): void {
  writeFileSync(new URL(`./${RESULTS_FILE}`, import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
}

const LOAD_AT_START = loadavg()[0];
const everything = only.size === FIGURES.length;
const results: Record<string, unknown> = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  // Timings depend on the machine and on what else runs on it.
  machine: { cpus: cpus().length, loadAverageAtStart: LOAD_AT_START },
  template: { calls: TEMPLATE_CALLS, total: TEMPLATE_TOTAL },
  targets: {
    callRatio: 1,
    engineCpuMs: ENGINE_OVERHEAD_TARGET_MS,
    coldStartMs: COLD_START_TARGETS.bundledMs,
    coldStartSpeedup: COLD_START_TARGETS.speedup,
    artifactBytesAtColdStart: COLD_START_TARGETS.artifactBytes,
    fleetShareOfBound: FLEET_TARGET_SHARE_OF_BOUND,
    fleetFailedRotations: 0,
  },
};
/** Only a whole run is written, so results.json always holds figures of one run. */
function saveProgress(): void {
  if (everything) writeResults(results);
}

if (only.has('engine') || only.has('cold-start')) {
  const servers = await startServers();
  try {
    if (only.has('engine')) {
      const partners: PartnerFigures[] = [];
      for (const manifest of await new PartnerCatalog().loadAll())
        partners.push(await benchPartner(manifest.type, servers));
      // Figures with no partner behind them would be silently empty: refuse to write them.
      if (partners.length === 0) throw new Error('No partner loaded from the catalog; nothing to measure.');
      const reference: MachineReference = {
        httpRoundTripCpuMs: await httpRoundTripCpuMs(servers.ready.endpoint),
        sdkCallCpuMs:
          partners.reduce((sum, p) => sum + p.sdkCpuMsMedian, 0) /
          partners.reduce((sum, p) => sum + p.totalCalls, 0),
      };
      printPartners(partners, reference);
      results.machineReference = reference;
      results.partners = partners;
      saveProgress();
    }
    if (only.has('cold-start')) {
      const coldStart = await benchColdStart(servers, { processes: COLD_START_PROCESSES });
      printColdStart(coldStart);
      results.coldStart = coldStart;
      saveProgress();
    }
  } finally {
    await servers.close();
  }
}
if (only.has('fleet')) {
  const fleet = await benchFleet({ secrets: FLEET_SECRETS });
  printFleet('Figure 4 — fleet', fleet);
  results.fleet = fleet;
  saveProgress();
  // The same run with the quota lowered below what this process can drive, so the quota binds.
  const fleetQuotaBound = await benchFleet({
    secrets: QUOTA_CHECK.secrets,
    writesPerSecond: QUOTA_CHECK.writesPerSecond,
  });
  printFleet('Figure 4b — fleet with the quota as the limit', fleetQuotaBound);
  results.fleetQuotaBound = fleetQuotaBound;
  saveProgress();
}
console.log(
  everything ? `Wrote bench/${RESULTS_FILE}` : `Partial run (--only): bench/${RESULTS_FILE} left as it was.`,
);
