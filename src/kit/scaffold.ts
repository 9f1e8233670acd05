/**
 * `rotor partner new`: writes a plugin folder from the templates in `templates/` — manifest,
 * types, API client, rotator, simulator with a conformance probe, README and tests — plus its two
 * schemas. The result lints and its tests and the conformance suite pass as generated.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import manifestSchema from '../../schemas/partner-manifest.schema.json' with { type: 'json' };
import { PluginManifestError } from '../runtime/errors.ts';
import { REPO_ROOT } from '../runtime/plugin-files.ts';

const TEMPLATES = fileURLToPath(new URL('./templates/', import.meta.url));
const TYPE_PATTERN = new RegExp(manifestSchema.properties.type.pattern);

export interface ScaffoldOptions {
  /** The new partner `Type`, PascalCase, e.g. `AcmeApiKey`. */
  type: string;
  /** Plugin folder; default `partners/<kebab-case type>`. Relative to `rootDir`. */
  dir?: string;
  /** Where the two schemas go; default `<rootDir>/schemas`. */
  schemasDir?: string;
  /** Repository root; default this checkout. */
  rootDir?: string;
}

export interface ScaffoldResult {
  /** Absolute plugin folder. */
  dir: string;
  /** Absolute paths of every file written. */
  files: string[];
}

/** `AcmeApiKey` → `acme-api-key`. */
export function kebabCase(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** `AcmeApiKey` → `Acme Api Key`. */
function titleOf(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
}

function posixRelative(from: string, to: string): string {
  const path = relative(from, to).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

function templateFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? templateFiles(dir, path) : [path];
  });
}

/**
 * Scaffolds a plugin.
 *
 * @throws {PluginManifestError} for a bad `Type` or a folder or schema that already exists.
 * @example
 * ```ts
 * const { dir } = scaffoldPartner({ type: 'AcmeApiKey' }); // partners/acme-api-key
 * ```
 */
export function scaffoldPartner(options: ScaffoldOptions): ScaffoldResult {
  const { type } = options;
  if (!TYPE_PATTERN.test(type)) {
    throw new PluginManifestError(
      `Invalid partner Type "${type}": use PascalCase letters and digits, 3 to 64 characters, e.g. AcmeApiKey.`,
      { field: 'type' },
    );
  }
  const rootDir = options.rootDir ?? REPO_ROOT;
  const resolveDir = (path: string) => (isAbsolute(path) ? path : join(rootDir, path));
  const dir = resolveDir(options.dir ?? `partners/${kebabCase(type)}`);
  const schemasDir = resolveDir(options.schemasDir ?? 'schemas');
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new PluginManifestError(`The folder ${dir} is not empty; choose another with --dir.`, {
      field: 'dir',
    });
  }
  const replacements: Record<string, string> = {
    __TYPE__: type,
    __TITLE__: titleOf(type),
    __SRC__: posixRelative(dir, join(rootDir, 'src')),
    __SCHEMAS__: posixRelative(dir, schemasDir),
    __DIR__: posixRelative(rootDir, dir).replace(/^\.\//, ''),
  };
  const render = (text: string) => text.replace(/__[A-Z]+__/g, (token) => replacements[token] ?? token);
  const outputs = [
    ...templateFiles(join(TEMPLATES, 'plugin')).map((file) => ({
      from: join(TEMPLATES, 'plugin', file),
      to: join(dir, file.replace(/\.tpl$/, '')),
    })),
    ...templateFiles(join(TEMPLATES, 'schemas')).map((file) => ({
      from: join(TEMPLATES, 'schemas', file),
      to: join(schemasDir, `${type}.${file.replace(/\.tpl$/, '')}`),
    })),
  ];
  for (const { to } of outputs) {
    if (existsSync(to)) {
      throw new PluginManifestError(`${to} already exists; pick another Type or remove it.`, {
        field: 'type',
      });
    }
  }
  for (const { from, to } of outputs) {
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, render(readFileSync(from, 'utf8')));
  }
  const files = outputs.map((o) => o.to);
  formatWithBiome(rootDir, files);
  return { dir, files };
}

/**
 * Formats the generated files with the repository's Biome settings: line breaks and import order
 * depend on the Type's length and the folder's depth, which templates cannot know.
 */
function formatWithBiome(rootDir: string, files: readonly string[]): void {
  const biome = join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  if (!existsSync(biome)) return;
  const result = spawnSync(process.execPath, [biome, 'check', '--write', ...files], {
    cwd: rootDir,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new PluginManifestError(
      `The scaffolded files do not pass Biome: ${result.stdout}${result.stderr}`.slice(0, 2000),
      { field: 'templates' },
    );
  }
}
