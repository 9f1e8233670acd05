/**
 * The vetted catalog as a bundle carries it. From source this module exports `undefined` and the
 * catalog reads `partners/catalog.json` and hashes plugin files on use. `scripts/build.mjs`
 * replaces this module's contents when it bundles a handler: it first verifies the signed
 * catalog and every vetted plugin's digest, then embeds the catalog document and one static
 * `import()` per vetted manifest, so the bundle needs no `partners/` folder and each partner stays
 * a lazily loaded chunk. The signature is still checked at run time.
 */
import type { AnyPartnerManifest } from './catalog.ts';

export interface BundledCatalog {
  /** The signed `partners/catalog.json`, as vetted at build time. */
  readonly document: unknown;
  /** Manifest loaders by partner `Type`. */
  readonly loaders: Readonly<Record<string, () => Promise<{ default: AnyPartnerManifest }>>>;
}

export const bundledCatalog: BundledCatalog | undefined = undefined;
