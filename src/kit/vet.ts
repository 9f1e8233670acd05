/**
 * `rotor partner vet`: the checks a plugin passes before the catalog pins it — the manifest and
 * hooks, static vetting of the rotator's imports, the conformance suite — then its signed entry.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { type AnyPartnerManifest, importManifest } from '../runtime/catalog.ts';
import { type CatalogEntry, catalogEntryFor, upsertCatalogEntry } from '../runtime/catalog-file.ts';
import { DEV_SIGNING_KEY_PATH } from '../runtime/catalog-signature.ts';
import { PluginManifestError, StaticVettingError } from '../runtime/errors.ts';
import { checkRotatorHooks } from '../runtime/manifest-check.ts';
import { REPO_ROOT } from '../runtime/plugin-files.ts';
import { vetPluginSource } from './static-vet.ts';

export interface VetOptions {
  /** The plugin folder, relative to `rootDir` or absolute (it must be inside `rootDir`). */
  dir: string;
  rootDir?: string;
  /** PEM of the ed25519 signing key; default the development key (see `catalog-signature.ts`). */
  signingKeyPem?: string;
  /** Runs the conformance suite against the absolute plugin folder; resolves to an exit code. */
  runConformance: (pluginDir: string) => Promise<number>;
}

export interface VetResult {
  entry: CatalogEntry;
  manifest: AnyPartnerManifest;
  /** True when the development key signed the catalog. */
  devKey: boolean;
}

/** The plugin folder as a repository-relative path; refuses one outside the repository. */
export function repoRelativeDir(rootDir: string, dir: string): string {
  const path = relative(rootDir, isAbsolute(dir) ? dir : join(rootDir, dir))
    .split(sep)
    .join('/');
  if (path.startsWith('..') || path === '' || isAbsolute(path)) {
    throw new PluginManifestError(
      `The plugin folder ${dir} is outside the repository; the catalog pins folders inside it (e.g. partners/<name>).`,
      { field: 'dir' },
    );
  }
  return path;
}

/**
 * Vets a plugin and writes its signed catalog entry.
 *
 * @throws {PluginManifestError} bad manifest or missing hook.
 * @throws {StaticVettingError} a forbidden import, or the conformance suite failed.
 * @example
 * ```ts
 * await vetPlugin({ dir: 'partners/acme', runConformance: (dir) => runConformance(REPO_ROOT, dir) });
 * ```
 */
export async function vetPlugin(options: VetOptions): Promise<VetResult> {
  const rootDir = options.rootDir ?? REPO_ROOT;
  const dir = repoRelativeDir(rootDir, options.dir);
  const manifest = await importManifest(rootDir, dir);
  checkRotatorHooks(manifest.type, await manifest.loadRotator());
  vetPluginSource(rootDir, dir, manifest);
  const code = await options.runConformance(join(rootDir, dir));
  if (code !== 0) {
    throw new StaticVettingError(
      `Partner plugin ${manifest.type} failed the conformance suite (exit ${code}); fix it (\`npx rotor partner test ${dir}\`) and vet again.`,
      { field: 'conformance' },
    );
  }
  const devKeyFile = join(rootDir, DEV_SIGNING_KEY_PATH);
  const devKey = options.signingKeyPem === undefined;
  if (devKey && !existsSync(devKeyFile)) {
    throw new PluginManifestError(
      `No signing key: pass --signing-key <pem file> or restore ${DEV_SIGNING_KEY_PATH}.`,
      {
        field: 'signingKey',
      },
    );
  }
  const signingKeyPem = options.signingKeyPem ?? readFileSync(devKeyFile, 'utf8');
  const entry = catalogEntryFor(rootDir, dir, manifest);
  upsertCatalogEntry(rootDir, entry, signingKeyPem);
  return { entry, manifest, devKey };
}
