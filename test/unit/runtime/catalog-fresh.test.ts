/**
 * The committed catalog must pin every partner folder as it is now. When this fails, a partner's
 * files changed (or a partner was added) without re-vetting: run the command in the message.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importManifest } from '../../../src/runtime/catalog.ts';
import { CATALOG_FILE, catalogEntryFor, readCatalog } from '../../../src/runtime/catalog-file.ts';
import { DEV_CATALOG_PUBLIC_KEY } from '../../../src/runtime/catalog-signature.ts';
import { localPluginDirs, REPO_ROOT } from '../../../src/runtime/plugin-files.ts';

describe('Catalog: partners/catalog.json', () => {
  const entries = readCatalog(join(REPO_ROOT, CATALOG_FILE), DEV_CATALOG_PUBLIC_KEY);

  it('is signed with the development key', () => {
    // Assess
    expect(entries.length).toBeGreaterThan(0);
  });

  it.each(localPluginDirs(REPO_ROOT))('pins %s as it is on disk', async (dir) => {
    // Prepare
    const fix = `Run \`npx rotor partner vet ${dir}\` and commit partners/catalog.json.`;
    const manifest = await importManifest(REPO_ROOT, dir);

    // Act
    const entry = entries.find((e) => e.path === dir);
    const actual = catalogEntryFor(REPO_ROOT, dir, manifest);

    // Assess
    expect(entry, `${dir} has no catalog entry. ${fix}`).toBeDefined();
    expect(entry?.files, `${dir} changed since it was vetted. ${fix}`).toEqual(actual.files);
    expect(entry, `${dir}'s type, version or title changed since it was vetted. ${fix}`).toEqual(actual);
  });
});
