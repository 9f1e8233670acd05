import { describe, expect, it } from 'vitest';
import salesforce from '../../../partners/salesforce/manifest.ts';
import { type AnyPartnerManifest, PartnerCatalog } from '../../../src/runtime/catalog.ts';
import { PluginManifestError } from '../../../src/runtime/errors.ts';
import { checkManifest, checkRotatorHooks } from '../../../src/runtime/manifest-check.ts';
import type { PartnerRotatorV1 } from '../../../src/runtime/partner.ts';
import { fakeManifest, fakeRotator } from '../../support/fake-partner.ts';

function variant(change: (m: Record<string, unknown>) => void): AnyPartnerManifest {
  const manifest = { ...fakeManifest(fakeRotator()) } as unknown as Record<string, unknown>;
  change(manifest);
  return manifest as unknown as AnyPartnerManifest;
}

describe('Function: checkManifest', () => {
  it('accepts every shipped manifest', () => {
    // Act
    const checked = checkManifest(salesforce);

    // Assess
    expect(checked).toBe(salesforce);
  });

  it.each([
    ['version', (m: Record<string, unknown>) => Object.assign(m, { version: '1.0' }), /field "version"/],
    ['type', (m: Record<string, unknown>) => Object.assign(m, { type: 'lower-case' }), /field "type"/],
    [
      'maxLiveCredentials',
      (m: Record<string, unknown>) => Object.assign(m, { maxLiveCredentials: 0 }),
      /field "maxLiveCredentials"/,
    ],
    [
      'egress.allowedHosts',
      (m: Record<string, unknown>) =>
        Object.assign(m, { egress: { allowedHosts: ['169.254.169.254'], targets: () => [] } }),
      /allowedHosts/,
    ],
    ['unknown field', (m: Record<string, unknown>) => Object.assign(m, { colour: 'blue' }), /field "colour"/],
    [
      'open secret schema',
      (m: Record<string, unknown>) =>
        Object.assign(m, { secretSchema: { type: 'object', properties: { apiKey: { type: 'string' } } } }),
      /secretSchema.*additionalProperties": false/,
    ],
    [
      'non-strict metadata schema',
      (m: Record<string, unknown>) =>
        Object.assign(m, {
          metadataSchema: {
            type: 'object',
            additionalProperties: false,
            properties: { a: { typ: 'string' } },
          },
        }),
      /metadataSchema" does not compile with strict ajv/,
    ],
    [
      'sensitive field not in the schema',
      (m: Record<string, unknown>) => Object.assign(m, { sensitiveFields: ['password'] }),
      /sensitiveFields" names "password"/,
    ],
    [
      'no simulator',
      (m: Record<string, unknown>) => Object.assign(m, { startSimulator: undefined }),
      /startSimulator/,
    ],
    [
      'egress.targets not a function',
      (m: Record<string, unknown>) => Object.assign(m, { egress: { allowedHosts: ['api.example.com'] } }),
      /egress.targets/,
    ],
  ])('refuses a manifest with a bad %s, naming the plugin and the field', (_name, change, message) => {
    // Prepare
    const manifest = variant(change);

    // Act
    const act = () => checkManifest(manifest);

    // Assess
    expect(act).toThrow(PluginManifestError);
    expect(act).toThrow(message);
    expect(act).toThrow(/FakeApiKey|lower-case/);
  });

  it('refuses a duplicate Type in one catalog', () => {
    // Act
    const act = () => new PartnerCatalog([salesforce, salesforce]);

    // Assess
    expect(act).toThrow(/Duplicate partner type SalesforceClientSecret/);
  });
});

describe('Function: checkRotatorHooks', () => {
  it.each(['create', 'discard', 'set', 'test', 'promote', 'revoke'])(
    'refuses a rotator without %s',
    (hook) => {
      // Prepare
      const rotator = { ...fakeRotator(), [hook]: undefined } as unknown as PartnerRotatorV1;

      // Act
      const act = () => checkRotatorHooks('FakeApiKey', rotator);

      // Assess
      expect(act).toThrow(new RegExp(`FakeApiKey: hook "${hook}" is missing`));
    },
  );

  it('accepts a rotator without the optional preflight, and refuses a preflight that is not a function', () => {
    // Prepare
    const rotator = fakeRotator() as unknown as PartnerRotatorV1;
    const bad = { ...fakeRotator(), preflight: 'yes' } as unknown as PartnerRotatorV1;

    // Act
    const checked = checkRotatorHooks('FakeApiKey', rotator);

    // Assess
    expect(checked).toBe(rotator);
    expect(() => checkRotatorHooks('FakeApiKey', bad)).toThrow(/hook "preflight" must be a function/);
  });

  it('is applied when a catalog loads a rotator', async () => {
    // Prepare
    const manifest = fakeManifest({ ...fakeRotator(), revoke: undefined } as never);
    const catalog = new PartnerCatalog([manifest]);

    // Act
    const loading = catalog.get('FakeApiKey').loadRotator();

    // Assess
    await expect(loading).rejects.toThrow(/hook "revoke" is missing/);
  });
});
