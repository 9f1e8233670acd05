/**
 * The catalog of partner plugins. By default it is the signed, vetted catalog file
 * (`partners/catalog.json`): its signature is checked on first use, and a plugin's files are hashed
 * and its manifest imported only when that plugin is asked for, so start-up stays cheap and a
 * rotation loads only its own partner's code. Unvetted plugins (no entry, or files that no longer
 * match it) load only when the operator allows them (`ROTOR_ALLOW_UNVETTED=1` / `--allow-unvetted`),
 * with a loud warning.
 */
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InternalError, InvalidConfigurationError } from '../engine/errors.ts';
import { bundledCatalog } from './bundled-catalog.ts';
import { CATALOG_FILE, type CatalogEntry, readCatalog, verifyCatalog } from './catalog-file.ts';
import { trustedPublicKey } from './catalog-signature.ts';
import { PluginManifestError, PluginTamperedError } from './errors.ts';
import { checkManifest, checkRotatorHooks } from './manifest-check.ts';
import type { PartnerManifest, PartnerRotatorV1 } from './partner.ts';
import { firstDifference, hashFiles, localPluginDirs, pluginFiles, REPO_ROOT } from './plugin-files.ts';

// biome-ignore lint/suspicious/noExplicitAny: the catalog holds manifests of different value types.
export type AnyPartnerManifest = PartnerManifest<any, any>;

/** How the default catalog finds, trusts and admits plugins. */
export interface CatalogOptions {
  /** Repository root that catalog paths are relative to. Default: this checkout. */
  rootDir?: string;
  /** Default `<rootDir>/partners/catalog.json`. */
  catalogPath?: string;
  /** Trusted ed25519 key (base64 SPKI DER or PEM). Default `ROTOR_CATALOG_PUBLIC_KEY`, else the pinned key. */
  publicKey?: string;
  /** Load unvetted plugins too. Default: `ROTOR_ALLOW_UNVETTED` is `1` or `true`. */
  allowUnvetted?: boolean;
  /** Extra plugin folders (unvetted unless in the catalog). Default: `ROTOR_PLUGIN_DIRS`, path-delimited. */
  pluginDirs?: readonly string[];
  /** Told about every unvetted plugin that loads. Default: a process warning (printed by the CLI). */
  onUnvetted?: (message: string) => void;
}

/** One row of {@link PartnerCatalog.entries}. */
export interface CatalogListing {
  type: string;
  version: string;
  title: string;
  path: string;
  vetted: boolean;
  digest: string | undefined;
}

/** The digest status of a vetted plugin on disk. */
export type DigestStatus =
  | { ok: true }
  | { ok: false; file: string; change: 'changed' | 'added' | 'removed' };

function envFlag(value: string | undefined): boolean {
  return value === '1' || value?.toLowerCase() === 'true';
}

function warnUnvetted(message: string): void {
  process.emitWarning(message, { code: 'ROTOR_UNVETTED_PLUGIN' });
}

/** Imports and checks the manifest in `pluginDir` (repository-relative or absolute). */
export async function importManifest(rootDir: string, pluginDir: string): Promise<AnyPartnerManifest> {
  const file = join(isAbsolute(pluginDir) ? pluginDir : join(rootDir, pluginDir), 'manifest.ts');
  if (!existsSync(file)) {
    throw new PluginManifestError(
      `No partner plugin in ${pluginDir}: manifest.ts is missing; scaffold one with \`npx rotor partner new <Type>\`.`,
      {
        field: 'manifest.ts',
      },
    );
  }
  const module = (await import(pathToFileURL(file).href)) as { default?: AnyPartnerManifest };
  return checkManifest(module.default as AnyPartnerManifest);
}

/** Wraps `loadRotator` so it loads once and the hooks are checked. */
function withCheckedRotator(manifest: AnyPartnerManifest): AnyPartnerManifest {
  let loading: Promise<PartnerRotatorV1> | undefined;
  const loadRotator = () => {
    loading ??= manifest.loadRotator().then((rotator) => checkRotatorHooks(manifest.type, rotator));
    loading.catch(() => {
      loading = undefined;
    });
    // biome-ignore lint/suspicious/noExplicitAny: the rotator's value types are the manifest's.
    return loading as Promise<PartnerRotatorV1<any, any>>;
  };
  return { ...manifest, loadRotator };
}

/**
 * A catalog: partner manifests by `Type`, with duplicate types refused.
 *
 * @example
 * ```ts
 * const catalog = new PartnerCatalog(); // the signed partners/catalog.json
 * const manifest = await catalog.resolve('SalesforceClientSecret');
 * const rotator = await manifest.loadRotator();
 * ```
 */
export class PartnerCatalog {
  readonly #byType = new Map<string, AnyPartnerManifest>();
  readonly #options: (Required<Omit<CatalogOptions, 'publicKey'>> & { publicKey: string }) | undefined;
  #vetted: Map<string, CatalogEntry> | undefined;
  #unvetted: Promise<Map<string, { manifest: AnyPartnerManifest; path: string }>> | undefined;
  readonly #resolving = new Map<string, Promise<AnyPartnerManifest>>();

  /**
   * @param source - manifests to hold as they are (tests, embedders), or options for the signed
   *   catalog file (the default).
   */
  constructor(source: readonly AnyPartnerManifest[] | CatalogOptions = {}) {
    if (Array.isArray(source)) {
      for (const manifest of source as readonly AnyPartnerManifest[])
        this.#add(withCheckedRotator(checkManifest(manifest)));
      this.#options = undefined;
      return;
    }
    const options = source as CatalogOptions;
    const rootDir = options.rootDir ?? REPO_ROOT;
    this.#options = {
      rootDir,
      catalogPath: options.catalogPath ?? join(rootDir, CATALOG_FILE),
      publicKey: options.publicKey ?? trustedPublicKey(),
      allowUnvetted: options.allowUnvetted ?? envFlag(process.env.ROTOR_ALLOW_UNVETTED),
      pluginDirs: options.pluginDirs ?? process.env.ROTOR_PLUGIN_DIRS?.split(delimiter).filter(Boolean) ?? [],
      onUnvetted: options.onUnvetted ?? warnUnvetted,
    };
  }

  #add(manifest: AnyPartnerManifest): void {
    if (this.#byType.has(manifest.type)) {
      throw new InvalidConfigurationError(
        `Duplicate partner type ${manifest.type} in the catalog; give each plugin its own Type.`,
        { field: 'type' },
      );
    }
    this.#byType.set(manifest.type, manifest);
  }

  /** The vetted entries, read and signature-checked once. */
  #vettedEntries(): Map<string, CatalogEntry> {
    if (!this.#options) return new Map();
    const { catalogPath, publicKey } = this.#options;
    const bundled = bundledCatalog;
    this.#vetted ??= new Map(
      (bundled
        ? verifyCatalog(bundled.document, 'bundled with this handler', publicKey)
        : readCatalog(catalogPath, publicKey)
      ).map((entry) => [entry.type, entry]),
    );
    return this.#vetted;
  }

  /** Plugin folders with a manifest that no catalog entry pins (only looked at when allowed). */
  #unvettedDirs(): string[] {
    const options = this.#options;
    // A bundle holds vetted plugins only: there are no plugin folders next to it.
    if (!options || bundledCatalog) return [];
    const vettedPaths = new Set([...this.#vettedEntries().values()].map((e) => e.path));
    return [...localPluginDirs(options.rootDir), ...options.pluginDirs]
      .map((dir) => (isAbsolute(dir) ? relative(options.rootDir, dir).split(sep).join('/') : dir))
      .filter((dir) => !vettedPaths.has(dir));
  }

  #unvettedManifests(): Promise<Map<string, { manifest: AnyPartnerManifest; path: string }>> {
    this.#unvetted ??= (async () => {
      const found = new Map<string, { manifest: AnyPartnerManifest; path: string }>();
      for (const path of this.#unvettedDirs()) {
        const manifest = await importManifest(this.#options!.rootDir, path);
        const clash =
          found.get(manifest.type)?.path ??
          (this.#vettedEntries().has(manifest.type) ? 'the catalog' : undefined);
        if (clash) {
          throw new PluginManifestError(
            `Partner plugin ${manifest.type} in ${path}: field "type" is already used by ${clash}; give each plugin its own Type.`,
            { field: 'type' },
          );
        }
        found.set(manifest.type, { manifest, path });
      }
      return found;
    })();
    return this.#unvetted;
  }

  /**
   * Whether a vetted plugin's files still match its entry. Hashes only that plugin's files.
   *
   * @throws {InvalidConfigurationError} when the type has no vetted entry.
   */
  verify(type: string): DigestStatus {
    const entry = this.#vettedEntries().get(type);
    if (!entry || !this.#options) throw this.#unknown(type);
    const rootDir = this.#options.rootDir;
    const actual = hashFiles(rootDir, pluginFiles(rootDir, entry.path, entry.type));
    const difference = firstDifference(entry.files, actual);
    return difference ? { ok: false, ...difference } : { ok: true };
  }

  /** What the catalog holds, vetted entries first; no plugin code is loaded. */
  entries(): CatalogListing[] {
    if (!this.#options) {
      return this.list().map((m) => ({
        type: m.type,
        version: m.version,
        title: m.title,
        path: '(in memory)',
        vetted: false,
        digest: undefined,
      }));
    }
    return [...this.#vettedEntries().values()].map((e) => ({
      type: e.type,
      version: e.version,
      title: e.title,
      path: e.path,
      vetted: true,
      digest: e.digest,
    }));
  }

  /**
   * The manifest for a partner type, loading (and for a vetted plugin, verifying) it on first use.
   *
   * @throws {PluginTamperedError} the plugin's files differ from its vetted entry (names the file).
   * @throws {CatalogSignatureError} the catalog's signature does not verify.
   * @throws {InvalidConfigurationError} no plugin handles the type.
   */
  resolve(type: string): Promise<AnyPartnerManifest> {
    const known = this.#byType.get(type);
    if (known) return Promise.resolve(known);
    if (!this.#options) return Promise.reject(this.#unknown(type));
    let resolving = this.#resolving.get(type);
    if (!resolving) {
      resolving = this.#load(type).then((manifest) => {
        if (!this.#byType.has(manifest.type)) this.#add(manifest);
        return manifest;
      });
      resolving.catch(() => this.#resolving.delete(type));
      this.#resolving.set(type, resolving);
    }
    return resolving;
  }

  async #load(type: string): Promise<AnyPartnerManifest> {
    const options = this.#options!;
    const entry = this.#vettedEntries().get(type);
    const bundledLoader = bundledCatalog?.loaders[type];
    if (entry && bundledLoader) {
      // Digests were verified when the bundle was built; the bundle itself is the pinned artifact.
      return withCheckedRotator(checkManifest((await bundledLoader()).default));
    }
    if (entry) {
      const status = this.verify(type);
      if (!status.ok) {
        const message = `Partner plugin ${type} (${entry.path}) does not match its vetted catalog entry: ${status.file} was ${status.change} after vetting. Restore the file, or re-vet with \`npx rotor partner vet ${entry.path}\`.`;
        if (!options.allowUnvetted) throw new PluginTamperedError(message, status.file);
        options.onUnvetted(`UNVETTED partner plugin loaded because unvetted plugins are allowed: ${message}`);
      }
      const manifest = await importManifest(options.rootDir, entry.path);
      if (manifest.type !== entry.type || manifest.version !== entry.version) {
        throw new PluginTamperedError(
          `Partner plugin in ${entry.path} declares ${manifest.type}@${manifest.version} but the catalog pins ${entry.type}@${entry.version}; re-vet with \`npx rotor partner vet ${entry.path}\`.`,
          `${entry.path}/manifest.ts`,
        );
      }
      return withCheckedRotator(manifest);
    }
    if (!options.allowUnvetted) throw this.#unknown(type);
    const unvetted = (await this.#unvettedManifests()).get(type);
    if (!unvetted) throw this.#unknown(type);
    options.onUnvetted(
      `UNVETTED partner plugin ${type} loaded from ${unvetted.path}: its code was not reviewed or pinned. Vet it with \`npx rotor partner vet ${unvetted.path}\`.`,
    );
    return withCheckedRotator(unvetted.manifest);
  }

  /** Loads every plugin the catalog admits (vetted, plus unvetted ones when allowed). */
  async loadAll(): Promise<AnyPartnerManifest[]> {
    if (!this.#options) return this.list();
    const types = [...this.#vettedEntries().keys()];
    if (this.#options.allowUnvetted) types.push(...(await this.#unvettedManifests()).keys());
    for (const type of types) await this.resolve(type);
    return this.list();
  }

  /** The manifests loaded so far (all of them for a catalog built from manifests), in order. */
  list(): AnyPartnerManifest[] {
    return [...this.#byType.values()];
  }

  /**
   * The manifest for a partner type that is already loaded ({@link resolve} loads it).
   *
   * @throws {InvalidConfigurationError} when no plugin handles the type.
   */
  get(type: string): AnyPartnerManifest {
    const manifest = this.#byType.get(type);
    if (manifest) return manifest;
    if (this.#options && this.#vettedEntries().has(type)) {
      throw new InternalError(
        `Partner plugin ${type} is not loaded yet; await catalog.resolve("${type}") first.`,
      );
    }
    throw this.#unknown(type);
  }

  #unknown(type: string): InvalidConfigurationError {
    const known = this.#options ? [...this.#vettedEntries().keys()] : [...this.#byType.keys()];
    const hint = this.#options?.allowUnvetted
      ? ''
      : ' A local plugin that is not vetted loads only with --allow-unvetted (ROTOR_ALLOW_UNVETTED=1).';
    return new InvalidConfigurationError(
      `Unknown partner type "${type}"; supported types: ${known.join(', ')}. Set the secret's Type (or tag rotor:type) to one of them.${hint}`,
      { field: 'Type' },
    );
  }
}
