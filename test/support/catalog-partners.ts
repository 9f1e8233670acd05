/**
 * Every vetted catalog partner, loaded (digests verified), for suites that run once per partner.
 * Fails loudly when fewer partners load than the catalog pins, so such a suite can never pass by
 * covering nothing.
 */
import { type AnyPartnerManifest, PartnerCatalog } from '../../src/runtime/catalog.ts';

export async function vettedPartners(): Promise<AnyPartnerManifest[]> {
  const catalog = new PartnerCatalog({ allowUnvetted: false });
  const pinned = catalog.entries().map((entry) => entry.type);
  const loaded = await catalog.loadAll();
  if (pinned.length === 0 || loaded.length !== pinned.length) {
    throw new Error(
      `Expected every vetted partner (${pinned.join(', ') || 'none pinned'}) to load; got ${loaded.map((m) => m.type).join(', ') || 'none'}.`,
    );
  }
  return loaded;
}
