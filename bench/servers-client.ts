/** Starts bench/servers.ts in a child process and talks to it over IPC. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServersReady, ServersReply, ServersRequest } from './servers.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface BenchServers {
  child: ChildProcess;
  ready: ServersReady;
  call: (request: DistributiveOmit<ServersRequest, 'id'>) => Promise<unknown>;
  close: () => Promise<void>;
}

export async function startServers(): Promise<BenchServers> {
  const child = fork(fileURLToPath(new URL('./servers.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--no-warnings'],
  });
  const ready = await new Promise<ServersReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ServersReady));
    child.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
  });
  let next = 0;
  const call = (request: DistributiveOmit<ServersRequest, 'id'>) =>
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
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await call({ op: 'close' }).catch(() => {});
    child.kill();
  };
  return { child, ready, call, close };
}
