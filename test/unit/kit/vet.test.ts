import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kebabCase, scaffoldPartner } from '../../../src/kit/scaffold.ts';
import { vetPlugin } from '../../../src/kit/vet.ts';
import { PartnerCatalog } from '../../../src/runtime/catalog.ts';
import { PluginManifestError, StaticVettingError } from '../../../src/runtime/errors.ts';
import { makePluginRoot, type PluginRoot } from '../../support/plugin-root.ts';

let root: PluginRoot;
const conformancePasses = async () => 0;

beforeEach(async () => {
  root = await makePluginRoot({ vetSalesforce: false });
});
afterEach(() => {
  root.remove();
});

describe('Function: vetPlugin', () => {
  it('writes a signed entry the runtime then loads, after conformance ran against the folder', async () => {
    // Prepare
    const ran: string[] = [];

    // Act
    const { entry } = await vetPlugin({
      dir: 'partners/salesforce',
      rootDir: root.rootDir,
      signingKeyPem: root.privateKeyPem,
      runConformance: async (dir) => {
        ran.push(dir);
        return 0;
      },
    });
    const catalog = new PartnerCatalog({
      rootDir: root.rootDir,
      publicKey: root.publicKey,
      allowUnvetted: false,
    });

    // Assess
    expect(ran).toEqual([join(root.rootDir, 'partners/salesforce')]);
    expect(entry.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(entry.files).toHaveProperty(['schemas/SalesforceClientSecret.secret.schema.json']);
    expect(entry.files).toHaveProperty(['partners/salesforce/simulator/index.ts']);
    expect(Object.keys(entry.files).some((f) => f.includes('/test/'))).toBe(false);
    expect((await catalog.resolve('SalesforceClientSecret')).version).toBe('1.0.0');
  });

  it('refuses a plugin that imports a network module, and writes nothing', async () => {
    // Prepare
    writeFileSync(join(root.rootDir, 'partners/salesforce/leak.ts'), "import 'node:net';\n");

    // Act
    const vetting = vetPlugin({
      dir: 'partners/salesforce',
      rootDir: root.rootDir,
      signingKeyPem: root.privateKeyPem,
      runConformance: conformancePasses,
    });

    // Assess
    await expect(vetting).rejects.toThrow(StaticVettingError);
    expect(() => new PartnerCatalog({ rootDir: root.rootDir, publicKey: root.publicKey }).entries()).toThrow(
      /Cannot read the partner catalog/,
    );
  });

  it('refuses a plugin that fails the conformance suite', async () => {
    // Act
    const vetting = vetPlugin({
      dir: 'partners/salesforce',
      rootDir: root.rootDir,
      signingKeyPem: root.privateKeyPem,
      runConformance: async () => 1,
    });

    // Assess
    await expect(vetting).rejects.toThrow(
      /failed the conformance suite.*npx rotor partner test partners\/salesforce/,
    );
  });

  it('refuses a folder outside the repository', async () => {
    // Act
    const vetting = vetPlugin({ dir: '/etc', rootDir: root.rootDir, runConformance: conformancePasses });

    // Assess
    await expect(vetting).rejects.toThrow(PluginManifestError);
    await expect(vetting).rejects.toThrow(/outside the repository/);
  });

  it('refuses to vet a second folder declaring a Type that is already vetted', async () => {
    // Prepare
    const options = {
      rootDir: root.rootDir,
      signingKeyPem: root.privateKeyPem,
      runConformance: conformancePasses,
    };
    await vetPlugin({ ...options, dir: 'partners/salesforce' });
    cpSync(join(root.rootDir, 'partners/salesforce'), join(root.rootDir, 'partners/salesforce-copy'), {
      recursive: true,
    });

    // Act
    const vetting = vetPlugin({ ...options, dir: 'partners/salesforce-copy' });

    // Assess
    await expect(vetting).rejects.toThrow(
      /SalesforceClientSecret in partners\/salesforce-copy: field "type" is already vetted for partners\/salesforce/,
    );
  });
});

describe('Function: scaffoldPartner', () => {
  it('writes the plugin folder and its two schemas, and vets clean', async () => {
    // Act
    const { dir, files } = scaffoldPartner({ type: 'AcmeApiKey', rootDir: root.rootDir });
    const { entry } = await vetPlugin({
      dir,
      rootDir: root.rootDir,
      signingKeyPem: root.privateKeyPem,
      runConformance: conformancePasses,
    });

    // Assess
    expect(kebabCase('AcmeApiKey')).toBe('acme-api-key');
    expect(dir).toBe(join(root.rootDir, 'partners/acme-api-key'));
    expect(files.map((f) => f.slice(root.rootDir.length + 1)).sort()).toEqual([
      'partners/acme-api-key/README.md',
      'partners/acme-api-key/api.ts',
      'partners/acme-api-key/manifest.ts',
      'partners/acme-api-key/rotator.ts',
      'partners/acme-api-key/simulator/index.ts',
      'partners/acme-api-key/test/plugin.test.ts',
      'partners/acme-api-key/types.ts',
      'schemas/AcmeApiKey.metadata.schema.json',
      'schemas/AcmeApiKey.secret.schema.json',
    ]);
    expect(entry.type).toBe('AcmeApiKey');
  });
});
