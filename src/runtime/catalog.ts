/**
 * The catalog of partner plugins, derived from their manifests. Only manifests are imported here
 * (schemas and a few lines each); rotators and simulators load lazily on first use.
 */
import salesforce from '../../partners/salesforce/manifest.ts';
import snowflake from '../../partners/snowflake/manifest.ts';
import { InvalidConfigurationError } from '../engine/errors.ts';
import type { PartnerManifest } from './partner.ts';

// biome-ignore lint/suspicious/noExplicitAny: the catalog holds manifests of different value types.
export type AnyPartnerManifest = PartnerManifest<any, any>;

/** Every partner Rotor ships, one manifest each. */
export const partnerManifests: readonly AnyPartnerManifest[] = [salesforce, snowflake];

/** A catalog: partner manifests by `Type`, with duplicate types refused. */
export class PartnerCatalog {
  readonly #byType = new Map<string, AnyPartnerManifest>();

  constructor(manifests: readonly AnyPartnerManifest[] = partnerManifests) {
    for (const manifest of manifests) {
      if (this.#byType.has(manifest.type)) {
        throw new InvalidConfigurationError(
          `Duplicate partner type ${manifest.type} in the catalog; give each plugin its own Type.`,
          {
            field: 'type',
          },
        );
      }
      this.#byType.set(manifest.type, manifest);
    }
  }

  /** All manifests, in catalog order. */
  list(): AnyPartnerManifest[] {
    return [...this.#byType.values()];
  }

  /**
   * The manifest for a partner type.
   *
   * @throws {InvalidConfigurationError} when no plugin handles the type.
   */
  get(type: string): AnyPartnerManifest {
    const manifest = this.#byType.get(type);
    if (!manifest) {
      throw new InvalidConfigurationError(
        `Unknown partner type "${type}"; supported types: ${[...this.#byType.keys()].join(', ')}. Set the secret's Type (or tag rotor:type) to one of them.`,
        { field: 'Type' },
      );
    }
    return manifest;
  }
}
