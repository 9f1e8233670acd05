import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidConfigurationError } from '../../../src/engine/errors.ts';
import { PartnerCatalog } from '../../../src/runtime/catalog.ts';
import { CATALOG_FILE } from '../../../src/runtime/catalog-file.ts';
import { canonicalJson, signCanonical, verifyCanonical } from '../../../src/runtime/catalog-signature.ts';
import { CatalogSignatureError, PluginTamperedError } from '../../../src/runtime/errors.ts';
import { makePluginRoot, newKeyPair, type PluginRoot } from '../../support/plugin-root.ts';

let root: PluginRoot;
let warnings: string[];

beforeEach(async () => {
  root = await makePluginRoot();
  warnings = [];
});
afterEach(() => {
  root.remove();
});

function catalog(options: { allowUnvetted?: boolean; publicKey?: string } = {}): PartnerCatalog {
  return new PartnerCatalog({
    rootDir: root.rootDir,
    publicKey: options.publicKey ?? root.publicKey,
    allowUnvetted: options.allowUnvetted ?? false,
    pluginDirs: [],
    onUnvetted: (message) => warnings.push(message),
  });
}

describe('Class: PartnerCatalog (signed catalog file)', () => {
  it('loads a vetted plugin whose files match its digest', async () => {
    // Act
    const manifest = await catalog().resolve('SalesforceClientSecret');

    // Assess
    expect(manifest.type).toBe('SalesforceClientSecret');
    expect(warnings).toEqual([]);
  });

  it('lists entries without loading any plugin code', () => {
    // Prepare
    const subject = catalog();

    // Act
    const entries = subject.entries();

    // Assess
    expect(entries.map((e) => [e.type, e.vetted])).toEqual([['SalesforceClientSecret', true]]);
    expect(subject.list()).toEqual([]);
  });

  it('refuses a tampered plugin with an error naming the file that changed', async () => {
    // Prepare
    appendFileSync(join(root.rootDir, 'partners/salesforce/rotator.ts'), '\n// tampered\n');

    // Act
    const error = await catalog()
      .resolve('SalesforceClientSecret')
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PluginTamperedError);
    expect((error as PluginTamperedError).file).toBe('partners/salesforce/rotator.ts');
    expect((error as Error).message).toMatch(
      /partners\/salesforce\/rotator.ts was changed after vetting.*npx rotor partner vet partners\/salesforce/,
    );
  });

  it('refuses a plugin with a file added after vetting, and one whose schema changed', async () => {
    // Prepare
    writeFileSync(join(root.rootDir, 'partners/salesforce/extra.ts'), 'export const x = 1;\n');
    const schema = join(root.rootDir, 'schemas/SalesforceClientSecret.metadata.schema.json');

    // Act
    const added = await catalog()
      .resolve('SalesforceClientSecret')
      .catch((e: unknown) => e);
    writeFileSync(join(root.rootDir, 'partners/salesforce/extra.ts'), '');
    await root.vet('partners/salesforce');
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('"required"', '"required" ')); // one byte
    const changed = await catalog()
      .resolve('SalesforceClientSecret')
      .catch((e: unknown) => e);

    // Assess
    expect((added as PluginTamperedError).file).toBe('partners/salesforce/extra.ts');
    expect((added as Error).message).toMatch(/was added after vetting/);
    expect((changed as PluginTamperedError).file).toBe('schemas/SalesforceClientSecret.metadata.schema.json');
  });

  it('loads a tampered plugin only when unvetted plugins are allowed, with a warning', async () => {
    // Prepare
    appendFileSync(join(root.rootDir, 'partners/salesforce/api.ts'), '\n// local change\n');

    // Act
    const manifest = await catalog({ allowUnvetted: true }).resolve('SalesforceClientSecret');

    // Assess
    expect(manifest.type).toBe('SalesforceClientSecret');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/UNVETTED.*partners\/salesforce\/api.ts was changed/);
  });

  it('refuses a catalog whose content no longer matches its signature', async () => {
    // Prepare
    const path = join(root.rootDir, CATALOG_FILE);
    const document = JSON.parse(readFileSync(path, 'utf8'));
    document.partners[0].version = '9.9.9';
    writeFileSync(path, JSON.stringify(document));

    // Act
    const act = () => catalog().entries();

    // Assess
    expect(act).toThrow(CatalogSignatureError);
    expect(act).toThrow(/invalid signature for the trusted key/);
  });

  it('refuses a catalog signed by another key, and accepts it when the operator trusts that key', async () => {
    // Prepare
    const other = newKeyPair();

    // Act
    const act = () => catalog({ publicKey: other.publicKey }).entries();

    // Assess
    expect(act).toThrow(CatalogSignatureError);
    expect(catalog({ publicKey: root.publicKey }).entries()).toHaveLength(1);
  });

  it('refuses an unvetted local plugin unless allowed, then loads it with a warning', async () => {
    // Prepare: the catalog forgets Salesforce (a fresh, empty catalog signed by the same key).
    const path = join(root.rootDir, CATALOG_FILE);
    const body = { formatVersion: 1, partners: [] };
    writeFileSync(
      path,
      JSON.stringify({
        ...body,
        signature: { algorithm: 'ed25519', value: signCanonical(body, root.privateKeyPem) },
      }),
    );

    // Act
    const refused = await catalog()
      .resolve('SalesforceClientSecret')
      .catch((e: unknown) => e);
    const loaded = await catalog({ allowUnvetted: true }).resolve('SalesforceClientSecret');

    // Assess
    expect(refused).toBeInstanceOf(InvalidConfigurationError);
    expect((refused as Error).message).toMatch(/Unknown partner type.*--allow-unvetted/);
    expect(loaded.type).toBe('SalesforceClientSecret');
    expect(warnings[0]).toMatch(
      /UNVETTED partner plugin SalesforceClientSecret loaded from partners\/salesforce/,
    );
  });
});

describe('Function: canonicalJson', () => {
  it('is independent of key order and whitespace, so re-formatting keeps the signature valid', () => {
    // Prepare
    const keys = newKeyPair();

    // Act
    const a = canonicalJson({ b: 1, a: { d: [1, { f: 'x', e: 'y' }], c: true } });
    const b = canonicalJson(JSON.parse('{ "a": { "c": true, "d": [1, {"e":"y","f":"x"}] }, "b": 1 }'));

    // Assess
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":true,"d":[1,{"e":"y","f":"x"}]},"b":1}');
    expect(verifyCanonical({ a: 1 }, signCanonical({ a: 1 }, keys.privateKeyPem), keys.publicKey)).toBe(true);
    expect(verifyCanonical({ a: 2 }, signCanonical({ a: 1 }, keys.privateKeyPem), keys.publicKey)).toBe(
      false,
    );
    expect(verifyCanonical({ a: 1 }, 'AAAA', keys.publicKey)).toBe(false);
  });
});
