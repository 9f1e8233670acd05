/**
 * Makes sure a built wizard exists before the console serves it, so `npm start` works on a fresh
 * clone with no build step: when `dist/wizard/` is missing or older than any file in
 * `src/wizard/`, Vite builds it (a few seconds) into a temporary folder that then replaces the old
 * one, so a concurrent reader never sees half a bundle.
 */
import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WizardBuildError } from './errors.ts';

export const WIZARD_SOURCE_DIR = fileURLToPath(new URL('../wizard/', import.meta.url));
export const WIZARD_DIST_DIR = fileURLToPath(new URL('../../dist/wizard/', import.meta.url));

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/** True when `outDir` holds a bundle at least as new as every wizard source file. */
export async function isWizardBuildFresh(outDir = WIZARD_DIST_DIR): Promise<boolean> {
  try {
    const built = (await stat(join(outDir, 'index.html'))).mtimeMs;
    return built >= (await newestMtime(WIZARD_SOURCE_DIR));
  } catch {
    return false;
  }
}

const LOCK_STALE_MS = 120_000;
const LOCK_WAIT_MS = 120_000;
const LOCK_POLL_MS = 100;

/**
 * Runs `action` holding a lock directory beside the bundle, so two processes starting at once
 * (`npm start` and a test run) do not replace each other's bundle mid-serve. `mkdir` is atomic,
 * which is all a lock needs; no lock package is installed.
 */
async function withBuildLock<T>(lockDir: string, action: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lockDir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > LOCK_STALE_MS) await rm(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new WizardBuildError(`Timed out waiting for the build lock ${lockDir}.`);
      else await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  try {
    return await action();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

/**
 * Builds the wizard when needed and returns the folder to serve.
 *
 * @throws {WizardBuildError} when Vite fails (the cause says why).
 * @example
 * ```ts
 * const assetsDir = await ensureWizardBuilt({ log: (line) => process.stdout.write(`${line}\n`) });
 * ```
 */
export async function ensureWizardBuilt(
  options: { outDir?: string; force?: boolean; log?: (line: string) => void } = {},
): Promise<string> {
  const outDir = options.outDir ?? WIZARD_DIST_DIR;
  if (!options.force && (await isWizardBuildFresh(outDir))) return outDir;
  const parent = dirname(outDir.replace(/\/$/, ''));
  await mkdir(parent, { recursive: true });
  return withBuildLock(`${outDir.replace(/\/$/, '')}.lock`, async () => {
    // Another process may have built it while this one waited for the lock.
    if (!options.force && (await isWizardBuildFresh(outDir))) return outDir;
    options.log?.('Building the console (first start, or src/wizard changed)…');
    await buildInto(outDir, parent);
    return outDir;
  });
}

async function buildInto(outDir: string, parent: string): Promise<void> {
  const staging = await mkdtemp(join(parent, '.wizard-build-'));
  try {
    // Imported here: Vite is a build tool, loaded only when a build is needed.
    const { build } = await import('vite');
    await build({
      configFile: join(WIZARD_SOURCE_DIR, 'vite.config.ts'),
      build: { outDir: staging, emptyOutDir: true },
    });
    await chmod(staging, 0o755); // mkdtemp makes it private; the bundle is not secret.
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new WizardBuildError(`Could not build the console from ${WIZARD_SOURCE_DIR}.`, { cause: error });
  }
}
