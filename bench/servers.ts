/**
 * The far side of the benchmarks, in its own process so its CPU is not counted as Rotor's: the
 * local Secrets Manager endpoint and every catalog partner's simulator. Driven over IPC.
 */
import { SecretsManagerService, startSecretsManagerServer } from '../src/local/secrets-manager/index.ts';
import { PartnerCatalog } from '../src/runtime/catalog.ts';
import type { RunningSimulator } from '../src/runtime/partner.ts';

export interface ServersReady {
  kind: 'ready';
  endpoint: string;
  simulators: Record<string, string>;
}
export type ServersRequest = { id: number; op: 'freshSecret'; type: string } | { id: number; op: 'close' };
export interface ServersReply {
  kind: 'reply';
  id: number;
  result?: unknown;
  error?: string;
}

const service = new SecretsManagerService({ accountId: '000000000000' });
const server = await startSecretsManagerServer({ service, port: 0 });
const simulators = new Map<string, RunningSimulator>();
for (const manifest of await new PartnerCatalog().loadAll()) {
  simulators.set(manifest.type, await manifest.startSimulator({ port: 0 }));
}

process.on('message', async (request: ServersRequest) => {
  const reply: ServersReply = { kind: 'reply', id: request.id };
  try {
    if (request.op === 'freshSecret') {
      const simulator = simulators.get(request.type);
      if (!simulator) throw new Error(`no simulator for ${request.type}`);
      reply.result = await simulator.probe.freshSecret();
    } else {
      for (const simulator of simulators.values()) await simulator.close();
      await server.close();
      process.send?.(reply);
      process.exit(0);
    }
  } catch (error) {
    reply.error = error instanceof Error ? error.message : String(error);
  }
  process.send?.(reply);
});

process.send?.({
  kind: 'ready',
  endpoint: server.url,
  simulators: Object.fromEntries([...simulators].map(([type, s]) => [type, s.baseUrl])),
} satisfies ServersReady);
