/** `rotor local` as its own process, the way a user runs it, with a data directory of the test's. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface RotorLocal {
  child: ChildProcessWithoutNullStreams;
  endpoint: string;
  output(): string;
  /** The `export NAME=value` lines of the banner. */
  exports(): Record<string, string>;
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** `kill -9`; resolves once the process is gone. */
  kill9(): Promise<void>;
}

export async function startRotorLocal(dataDir: string): Promise<RotorLocal> {
  const child = spawn(
    process.execPath,
    ['bin/rotor.mjs', 'local', '--port', '0', '--simulator-port', '0', '--data-dir', dataDir],
    { env: { ...process.env, AWS_ACCESS_KEY_ID: '' } },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/Press Ctrl-C to stop/.test(output)) resolve();
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`rotor local exited with ${code}: ${output}`)));
  });
  const endpoint = /Secrets Manager endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
  const exited = once(child, 'exit');
  return {
    child,
    endpoint,
    output: () => output,
    exports: () =>
      Object.fromEntries([...output.matchAll(/^\s*export (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!])),
    async stop() {
      child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      return code;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
