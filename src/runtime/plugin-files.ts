/**
 * Which files make up a plugin, and their digests. A plugin is the source files of its folder
 * (everything except tests — `test/` folders and `*.test.ts` — and Markdown docs, which never
 * run) plus its schemas in `schemas/` (`schemas/<Type>.*.json`). Paths are repository-relative
 * with `/` separators, so digests are the same on every machine.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The env var naming the one plugin folder the conformance suite runs against (`rotor partner test`). */
export const PLUGIN_DIR_ENV = 'ROTOR_CONFORMANCE_PLUGIN_DIR';

/** Repository root: two levels above this file (`src/runtime/`). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function isIncluded(name: string, isDirectory: boolean): boolean {
  if (isDirectory) return name !== 'test' && name !== 'node_modules' && !name.startsWith('.');
  return !name.endsWith('.test.ts') && !name.endsWith('.md') && !name.startsWith('.');
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!isIncluded(entry.name, entry.isDirectory())) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
}

function toRepoPath(rootDir: string, path: string): string {
  return relative(rootDir, path).split(sep).join('/');
}

/**
 * The files of the plugin in `pluginDir` whose type is `type`, sorted, repository-relative.
 *
 * @example
 * ```ts
 * pluginFiles(REPO_ROOT, 'partners/salesforce', 'SalesforceClientSecret');
 * // ['partners/salesforce/api.ts', …, 'schemas/SalesforceClientSecret.secret.schema.json']
 * ```
 */
export function pluginFiles(rootDir: string, pluginDir: string, type: string): string[] {
  const files: string[] = [];
  walk(join(rootDir, pluginDir), files);
  const schemasDir = join(rootDir, 'schemas');
  for (const name of readdirSync(schemasDir)) {
    if (name.startsWith(`${type}.`) && name.endsWith('.json')) files.push(join(schemasDir, name));
  }
  return files.map((file) => toRepoPath(rootDir, file)).sort();
}

/** sha256 (hex) of each file's bytes, by repository-relative path. */
export function hashFiles(rootDir: string, files: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    files.map((file) => [
      file,
      createHash('sha256')
        .update(readFileSync(join(rootDir, file)))
        .digest('hex'),
    ]),
  );
}

/** The plugin digest: sha256 over `path<TAB>sha256<LF>` lines, sorted by path. */
export function pluginDigest(fileHashes: Readonly<Record<string, string>>): string {
  const lines = Object.keys(fileHashes)
    .sort()
    .map((file) => `${file}\t${fileHashes[file]}\n`)
    .join('');
  return `sha256:${createHash('sha256').update(lines).digest('hex')}`;
}

/**
 * The first difference between the vetted file hashes and the files on disk, or undefined when
 * they match: a changed, added or removed file.
 */
export function firstDifference(
  vetted: Readonly<Record<string, string>>,
  actual: Readonly<Record<string, string>>,
): { file: string; change: 'changed' | 'added' | 'removed' } | undefined {
  for (const file of Object.keys(actual).sort()) {
    if (!(file in vetted)) return { file, change: 'added' };
    if (vetted[file] !== actual[file]) return { file, change: 'changed' };
  }
  for (const file of Object.keys(vetted).sort()) {
    if (!(file in actual)) return { file, change: 'removed' };
  }
  return undefined;
}

/** The plugin folders under `partners/` (those with a `manifest.ts`), repository-relative and sorted. */
export function localPluginDirs(rootDir: string): string[] {
  const partnersDir = join(rootDir, 'partners');
  return readdirSync(partnersDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(partnersDir, d.name, 'manifest.ts')))
    .map((d) => `partners/${d.name}`)
    .sort();
}
