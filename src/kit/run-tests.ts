/**
 * Runs vitest for a plugin in a child process: the shared conformance suite (with
 * `ROTOR_CONFORMANCE_PLUGIN_DIR` naming the plugin) and the plugin's own `test/` folder.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_DIR_ENV } from '../runtime/plugin-files.ts';

const VITEST = (rootDir: string) => join(rootDir, 'node_modules', 'vitest', 'vitest.mjs');

function vitest(rootDir: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(
    process.execPath,
    [VITEST(rootDir), 'run', '--config', join(rootDir, 'vitest.config.ts'), ...args],
    { cwd: rootDir, env: { ...process.env, ...env }, stdio: 'inherit' },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** The conformance suite against the plugin in `pluginDir` (absolute). Resolves to the exit code. */
export function runConformance(rootDir: string, pluginDir: string): Promise<number> {
  return vitest(rootDir, ['--root', rootDir, 'test/conformance'], { [PLUGIN_DIR_ENV]: pluginDir });
}

/** The plugin's own tests (its `test/` folder), if it has any. Resolves to the exit code. */
export function runPluginTests(rootDir: string, pluginDir: string): Promise<number> {
  if (!existsSync(join(pluginDir, 'test'))) return Promise.resolve(0);
  return vitest(rootDir, ['--root', pluginDir], {});
}
