/**
 * `npm run bench`: Rotor's cost per rotation, measured, never typed in. Prints a table and writes
 * bench/results.json. See bench/README.md for what each figure means and its target.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CreateSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { SecretsManagerClients } from '../src/aws/roles.ts';
import { RotationEngine } from '../src/engine/engine.ts';
import { ROTATION_STEPS } from '../src/engine/event.ts';
import { LOCAL_CREDENTIALS } from '../src/local/stack.ts';
import { PartnerCatalog } from '../src/runtime/catalog.ts';
import type { ServersReady, ServersReply, ServersRequest } from './servers.ts';

/** AWS's single-user rotation template: a DescribeSecret per step, Get current, Get pending, Put, Describe, Update. */
const TEMPLATE_CALLS = {
  DescribeSecret: 5,
  GetSecretValue: 2,
  PutSecretValue: 1,
  UpdateSecretVersionStage: 1,
};
const TEMPLATE_TOTAL = Object.values(TEMPLATE_CALLS).reduce((a, b) => a + b, 0);
const ROTATIONS = Number(process.env.ROTOR_BENCH_ROTATIONS ?? 30);
const ENGINE_OVERHEAD_TARGET_MS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function startServers(): Promise<{
  child: ChildProcess;
  ready: ServersReady;
  call: (r: Omit<ServersRequest, 'id'>) => Promise<unknown>;
}> {
  const child = fork(fileURLToPath(new URL('./servers.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--no-warnings'],
  });
  const ready = await new Promise<ServersReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ServersReady));
    child.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
  });
  let next = 0;
  const call = (request: Omit<ServersRequest, 'id'>) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      const onMessage = (message: ServersReply) => {
        if (message.kind !== 'reply' || message.id !== id) return;
        child.off('message', onMessage);
        if (message.error) reject(new Error(message.error));
        else resolve(message.result);
      };
      child.on('message', onMessage);
      child.send({ ...request, id } as ServersRequest);
    });
  return { child, ready, call };
}

interface PartnerFigures {
  type: string;
  callsPerRotation: Record<string, number>;
  totalCalls: number;
  ratioToTemplate: number;
  engineCpuMsMedian: number;
  engineCpuMsP90: number;
  rotations: number;
}

async function benchPartner(
  type: string,
  servers: Awaited<ReturnType<typeof startServers>>,
): Promise<PartnerFigures> {
  const counts = new Map<string, number>();
  const sm = new SecretsManagerClient({
    endpoint: servers.ready.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  sm.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const engine = new RotationEngine({
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

  const cpu: number[] = [];
  let engineCalls = new Map<string, number>();
  for (let i = 0; i < ROTATIONS + 1; i++) {
    const { VersionId: token } = await sm.send(
      new RotateSecretCommand({ SecretId: arn, ExternalSecretRotationMetadata: rotationMetadata }),
    );
    counts.clear();
    const start = process.cpuUsage();
    for (const step of ROTATION_STEPS) {
      await engine.run({ Step: step, SecretId: arn, ClientRequestToken: token });
    }
    const used = process.cpuUsage(start);
    engineCalls = new Map(counts);
    // The first rotation warms caches and JIT; it is not counted.
    if (i > 0) cpu.push((used.user + used.system) / 1000);
  }
  const callsPerRotation = Object.fromEntries([...engineCalls].sort());
  const totalCalls = [...engineCalls.values()].reduce((a, b) => a + b, 0);
  const sorted = [...cpu].sort((a, b) => a - b);
  return {
    type,
    callsPerRotation,
    totalCalls,
    ratioToTemplate: totalCalls / TEMPLATE_TOTAL,
    engineCpuMsMedian: median(cpu),
    engineCpuMsP90: sorted[Math.floor(sorted.length * 0.9)] ?? Number.NaN,
    rotations: cpu.length,
  };
}

const servers = await startServers();
try {
  const partners: PartnerFigures[] = [];
  for (const manifest of new PartnerCatalog().list())
    partners.push(await benchPartner(manifest.type, servers));

  const rows = partners.map((p) => ({
    partner: p.type,
    'SM calls / rotation': `${p.totalCalls} (template ${TEMPLATE_TOTAL}, ratio ${p.ratioToTemplate.toFixed(2)}, target ≤ 1.00)`,
    'by operation': Object.entries(p.callsPerRotation)
      .map(([op, n]) => `${op} ${n}`)
      .join(', '),
    'engine CPU / rotation': `median ${p.engineCpuMsMedian.toFixed(2)} ms, p90 ${p.engineCpuMsP90.toFixed(2)} ms (target ≤ ${ENGINE_OVERHEAD_TARGET_MS} ms, n=${p.rotations})`,
  }));
  console.table(rows);
  const results = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    template: { calls: TEMPLATE_CALLS, total: TEMPLATE_TOTAL },
    targets: { callRatio: 1, engineCpuMs: ENGINE_OVERHEAD_TARGET_MS },
    partners,
    notMeasuredYet: ['cold start of the bundled handler', 'fleet throughput under the write quota'],
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('Wrote bench/results.json');
} finally {
  await servers.call({ op: 'close' }).catch(() => {});
  servers.child.kill();
}
