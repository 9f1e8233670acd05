/**
 * Which plugins the conformance suite runs over: every vetted catalog partner (loaded through the
 * catalog, so digests are verified), or — for `rotor partner test <dir>` — the one plugin named by
 * `ROTOR_CONFORMANCE_PLUGIN_DIR`, loaded directly (it need not be vetted yet).
 */
import { type AnyPartnerManifest, importManifest, PartnerCatalog } from '../../src/runtime/catalog.ts';
import { PLUGIN_DIR_ENV, REPO_ROOT } from '../../src/runtime/plugin-files.ts';

export interface ConformancePartner {
  /** What the table shows: the type, or the folder when loading failed. */
  name: string;
  /** Loads (and checks) the manifest; rejects with the catalog's or the manifest check's error. */
  load(): Promise<AnyPartnerManifest>;
}

export function conformancePartners(env: NodeJS.ProcessEnv = process.env): ConformancePartner[] {
  const dir = env[PLUGIN_DIR_ENV];
  if (dir) return [{ name: dir, load: () => importManifest(REPO_ROOT, dir) }];
  const catalog = new PartnerCatalog({ allowUnvetted: false });
  return catalog.entries().map((entry) => ({ name: entry.type, load: () => catalog.resolve(entry.type) }));
}
