/**
 * The vetted catalog file, `partners/catalog.json`: one entry per vetted plugin pinning its
 * `Type`, version, folder and the sha256 of each of its files (see `plugin-files.ts`), signed with
 * ed25519 over the canonical JSON of `{ formatVersion, partners }`.
 */

import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signCanonical, verifyCanonical } from './catalog-signature.ts';
import { CatalogSignatureError, PluginManifestError } from './errors.ts';
import type { JsonSchema } from './partner.ts';
import { hashFiles, pluginDigest, pluginFiles } from './plugin-files.ts';
import { assertValid } from './validation.ts';

/** Repository-relative path of the catalog. */
export const CATALOG_FILE = 'partners/catalog.json';

/** One vetted plugin. */
export interface CatalogEntry {
  type: string;
  version: string;
  title: string;
  /** Repository-relative plugin folder, e.g. `partners/salesforce`. */
  path: string;
  /** `sha256:` over the file hashes, see {@link pluginDigest}. */
  digest: string;
  /** sha256 (hex) per repository-relative file, so a mismatch names the file. */
  files: Record<string, string>;
}

export interface CatalogDocument {
  formatVersion: 1;
  partners: CatalogEntry[];
  signature: { algorithm: 'ed25519'; value: string };
}

export const CATALOG_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['formatVersion', 'partners', 'signature'],
  properties: {
    formatVersion: { const: 1, description: 'Catalog format 1.' },
    partners: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'version', 'title', 'path', 'digest', 'files'],
        properties: {
          type: { type: 'string' },
          version: { type: 'string' },
          title: { type: 'string' },
          path: { type: 'string', pattern: '^[A-Za-z0-9_./-]+$' },
          digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
          files: { type: 'object', additionalProperties: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
        },
      },
    },
    signature: {
      type: 'object',
      additionalProperties: false,
      required: ['algorithm', 'value'],
      properties: { algorithm: { const: 'ed25519' }, value: { type: 'string' } },
      description: 'Regenerate with `npx rotor partner vet <dir>`.',
    },
  },
};

function signedBody(document: Pick<CatalogDocument, 'formatVersion' | 'partners'>) {
  return { formatVersion: document.formatVersion, partners: document.partners };
}

/**
 * Reads and verifies the catalog. Returns its entries.
 *
 * @throws {CatalogSignatureError} when the file is missing, malformed or not signed by `publicKey`.
 */
export function readCatalog(catalogPath: string, publicKey: string): CatalogEntry[] {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(catalogPath, 'utf8'));
  } catch (error) {
    throw new CatalogSignatureError(
      `Cannot read the partner catalog ${catalogPath} (${(error as Error).message}); regenerate it with \`npx rotor partner vet <dir>\`.`,
      { field: 'catalog', cause: error },
    );
  }
  return verifyCatalog(document, catalogPath, publicKey);
}

/**
 * Checks a parsed catalog document: its shape, then its signature.
 *
 * @param source - names the document in errors (a path, or "the bundled catalog").
 * @throws {CatalogSignatureError} when it is malformed or not signed by `publicKey`.
 */
export function verifyCatalog(document: unknown, source: string, publicKey: string): CatalogEntry[] {
  try {
    assertValid(CATALOG_SCHEMA, document, `partner catalog ${source}`);
  } catch (error) {
    throw new CatalogSignatureError(
      `Cannot read the partner catalog ${source} (${(error as Error).message}); regenerate it with \`npx rotor partner vet <dir>\`.`,
      { field: 'catalog', cause: error },
    );
  }
  const catalog = document as CatalogDocument;
  if (!verifyCanonical(signedBody(catalog), catalog.signature.value, publicKey)) {
    throw new CatalogSignatureError(
      `The partner catalog ${source} has an invalid signature for the trusted key; re-sign it with \`npx rotor partner vet <dir>\` (development key) or set ROTOR_CATALOG_PUBLIC_KEY to the key that signed it.`,
      { field: 'signature' },
    );
  }
  return catalog.partners;
}

/** The catalog entry that pins the plugin in `pluginDir` as it is on disk now. */
export function catalogEntryFor(
  rootDir: string,
  pluginDir: string,
  manifest: { type: string; version: string; title: string },
): CatalogEntry {
  const files = hashFiles(rootDir, pluginFiles(rootDir, pluginDir, manifest.type));
  return {
    type: manifest.type,
    version: manifest.version,
    title: manifest.title,
    path: pluginDir,
    digest: pluginDigest(files),
    files,
  };
}

/**
 * Adds or replaces `entry` (by `Type`) and re-signs the catalog with `privateKeyPem`. The existing
 * catalog must verify under the same key first, so re-signing never launders a tampered file.
 *
 * @throws {CatalogSignatureError} when the existing catalog was not signed with this key.
 */
export function upsertCatalogEntry(
  rootDir: string,
  entry: CatalogEntry,
  privateKeyPem: string,
): CatalogEntry[] {
  const catalogPath = join(rootDir, CATALOG_FILE);
  const publicKey = createPublicKey(createPrivateKey(privateKeyPem))
    .export({ type: 'spki', format: 'der' })
    .toString('base64');
  const existing = existsSync(catalogPath) ? readCatalog(catalogPath, publicKey) : [];
  const sameType = existing.find((e) => e.type === entry.type && e.path !== entry.path);
  if (sameType) {
    throw new PluginManifestError(
      `Partner plugin ${entry.type} in ${entry.path}: field "type" is already vetted for ${sameType.path}; give each plugin its own Type.`,
      { field: 'type' },
    );
  }
  const partners = [...existing.filter((e) => e.type !== entry.type && e.path !== entry.path), entry].sort(
    (a, b) => a.type.localeCompare(b.type),
  );
  const body = { formatVersion: 1 as const, partners };
  const document: CatalogDocument = {
    ...body,
    signature: { algorithm: 'ed25519', value: signCanonical(body, privateKeyPem) },
  };
  writeFileSync(catalogPath, `${JSON.stringify(document, null, 2)}\n`);
  return partners;
}
