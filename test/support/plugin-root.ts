/**
 * A throw-away repository root for catalog and vetting tests: Rotor's `src/` and `node_modules`
 * linked in, the Salesforce plugin and its schemas copied, and a catalog signed with a fresh key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importManifest } from '../../src/runtime/catalog.ts';
import { catalogEntryFor, upsertCatalogEntry } from '../../src/runtime/catalog-file.ts';
import { REPO_ROOT } from '../../src/runtime/plugin-files.ts';

export interface PluginRoot {
  rootDir: string;
  /** Base64 SPKI DER of the key that signed the catalog. */
  publicKey: string;
  privateKeyPem: string;
  /** Vets (signs into the catalog) the plugin folder as it is now. */
  vet(pluginDir: string): Promise<void>;
  remove(): void;
}

export function newKeyPair(): { publicKey: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export async function makePluginRoot(options: { vetSalesforce?: boolean } = {}): Promise<PluginRoot> {
  const rootDir = mkdtempSync(join(tmpdir(), 'rotor-plugin-root-'));
  symlinkSync(join(REPO_ROOT, 'src'), join(rootDir, 'src'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(rootDir, 'node_modules'));
  mkdirSync(join(rootDir, 'schemas'));
  for (const name of readdirSync(join(REPO_ROOT, 'schemas')).filter((n) =>
    n.startsWith('SalesforceClientSecret.'),
  )) {
    cpSync(join(REPO_ROOT, 'schemas', name), join(rootDir, 'schemas', name));
  }
  cpSync(join(REPO_ROOT, 'partners', 'salesforce'), join(rootDir, 'partners', 'salesforce'), {
    recursive: true,
  });
  const keys = newKeyPair();
  const root: PluginRoot = {
    rootDir,
    ...keys,
    async vet(pluginDir) {
      const manifest = await importManifest(rootDir, pluginDir);
      upsertCatalogEntry(rootDir, catalogEntryFor(rootDir, pluginDir, manifest), keys.privateKeyPem);
    },
    remove: () => rmSync(rootDir, { recursive: true, force: true }),
  };
  if (options.vetSalesforce ?? true) await root.vet('partners/salesforce');
  return root;
}
