import { describe, expect, it } from 'vitest';
import salesforce from '../../partners/salesforce/manifest.ts';
import { resolvePartnerConfig } from '../../src/aws/resolver.ts';
import { InvalidConfigurationError } from '../../src/engine/errors.ts';
import { PartnerCatalog } from '../../src/runtime/catalog.ts';
import { assertEgressAllowed, isInternalHost, parseIpv4Literal } from '../../src/runtime/egress.ts';
import { assertValid } from '../../src/runtime/validation.ts';

describe('Function: resolvePartnerConfig', () => {
  it('reads Type and ExternalSecretRotationMetadata when present', () => {
    // Prepare
    const describe = {
      ARN: 'arn',
      Type: 'SalesforceClientSecret',
      ExternalSecretRotationMetadata: [{ Key: 'apiVersion', Value: 'v65.0' }],
      Tags: [
        { Key: 'rotor:type', Value: 'Ignored' },
        { Key: 'rotor:meta:apiVersion', Value: 'v99.0' },
      ],
      $metadata: {},
    };

    // Act
    const config = resolvePartnerConfig(describe);

    // Assess
    expect(config).toEqual({
      type: 'SalesforceClientSecret',
      metadata: { apiVersion: 'v65.0' },
      gracePeriodSeconds: undefined,
      source: 'fields',
    });
  });

  it('falls back to rotor:type and rotor:meta:<key> tags, with the grace period setting', () => {
    // Prepare
    const describe = {
      Tags: [
        { Key: 'rotor:type', Value: 'SalesforceClientSecret' },
        { Key: 'rotor:meta:apiVersion', Value: 'v66.0' },
        { Key: 'rotor:grace-period', Value: '600' },
        { Key: 'team', Value: 'payments' },
      ],
      $metadata: {},
    };

    // Act
    const config = resolvePartnerConfig(describe);

    // Assess
    expect(config).toEqual({
      type: 'SalesforceClientSecret',
      metadata: { apiVersion: 'v66.0' },
      gracePeriodSeconds: 600,
      source: 'tags',
    });
  });

  it.each([
    ['no type at all', { Tags: [] }, /no partner type/],
    [
      'a bad grace period',
      { Type: 'X', Tags: [{ Key: 'rotor:grace-period', Value: '1h' }] },
      /rotor:grace-period/,
    ],
    [
      'a duplicated key',
      {
        Type: 'X',
        ExternalSecretRotationMetadata: [
          { Key: 'a', Value: '1' },
          { Key: 'a', Value: '2' },
        ],
      },
      /given twice/,
    ],
  ])('refuses %s with a typed error', (_name, describe, message) => {
    // Act
    const act = () => resolvePartnerConfig({ ...describe, $metadata: {} });

    // Assess
    expect(act).toThrow(InvalidConfigurationError);
    expect(act).toThrow(message);
  });
});

describe('Function: assertEgressAllowed', () => {
  const options = {
    field: 'baseUri',
    allowedHosts: ['*.my.salesforce.com'],
    simulatorMode: false,
    partner: 'P',
  };

  it.each([
    'https://acme.my.salesforce.com',
    'https://acme--dev.sandbox.my.salesforce.com',
    'https://x-1.scratch.my.salesforce.com/',
  ])('accepts %s', (url) => {
    expect(assertEgressAllowed(url, options).hostname).toBe(new URL(url).hostname);
  });

  it.each([
    ['http://acme.my.salesforce.com', /must use https/],
    ['https://evil.example.com', /not an allowed partner host/],
    ['https://my.salesforce.com.evil.example', /not an allowed partner host/],
    ['https://169.254.169.254', /metadata address/],
    ['https://localhost:8443', /loopback/],
    ['https://[::1]', /loopback/],
    ['https://2130706433', /loopback/],
    ['https://0177.0.0.1', /loopback/],
    ['https://0x7f.1', /loopback/],
    ['https://10.0.0.8', /private/],
    ['https://user:pw@acme.my.salesforce.com', /credentials/],
    ['not a url', /not a URL/],
  ])('refuses %s', (url, message) => {
    expect(() => assertEgressAllowed(url, options)).toThrow(message);
  });

  it('accepts loopback only in simulator mode', () => {
    expect(assertEgressAllowed('http://127.0.0.1:7567', { ...options, simulatorMode: true }).port).toBe(
      '7567',
    );
    expect(() => assertEgressAllowed('http://127.0.0.1:7567', options)).toThrow(/simulator mode/);
    expect(() =>
      assertEgressAllowed('http://169.254.169.254', { ...options, simulatorMode: true }),
    ).toThrow();
  });

  it('parses every IPv4 literal form', () => {
    expect(parseIpv4Literal('127.0.0.1')).toBe(2130706433);
    expect(parseIpv4Literal('2130706433')).toBe(2130706433);
    expect(parseIpv4Literal('0177.0.0.01')).toBe(2130706433);
    expect(parseIpv4Literal('0x7f.0.0.1')).toBe(2130706433);
    expect(parseIpv4Literal('127.1')).toBe(2130706433);
    expect(parseIpv4Literal('acme.example')).toBeNull();
    expect(isInternalHost('::ffff:169.254.169.254')).toBe(true);
    expect(isInternalHost('fd00:ec2::254')).toBe(true);
    expect(isInternalHost('acme.my.salesforce.com')).toBe(false);
  });
});

describe('Class: PartnerCatalog', () => {
  it('refuses duplicate types and unknown types', () => {
    expect(() => new PartnerCatalog([salesforce, salesforce])).toThrow(/Duplicate partner type/);
    expect(() => new PartnerCatalog().get('Nope')).toThrow(
      /Unknown partner type "Nope"; supported types: SalesforceClientSecret/,
    );
  });
});

describe('Schema: SalesforceClientSecret', () => {
  const valid = {
    consumerKey: '3MVG9abc.def_ghi',
    consumerSecret: 'ABCDEF0123456789',
    baseUri: 'https://acme.my.salesforce.com',
    appId: '0xIabc123',
    consumerId: '0Hn000000000001',
  };

  it('accepts the MES format', () => {
    expect(() => assertValid(salesforce.secretSchema, valid, 'value')).not.toThrow();
    expect(() => assertValid(salesforce.metadataSchema, { apiVersion: 'v65.0' }, 'metadata')).not.toThrow();
    expect(() => assertValid(salesforce.metadataSchema, { apiVersion: 'v120.0' }, 'metadata')).not.toThrow();
  });

  it.each([
    [{ ...valid, appId: '1xIabc' }, /field "appId"/],
    [{ ...valid, appId: '0xI-abc' }, /field "appId"/],
    [{ ...valid, extra: 'x' }, /field "extra" is not allowed/],
    [{ ...valid, baseUri: 'https://acme.my.salesforce.com/path' }, /field "baseUri"/],
    [(({ consumerId: _, ...rest }) => rest)(valid), /field "consumerId" is required/],
  ])('refuses a bad value (%#)', (value, message) => {
    expect(() => assertValid(salesforce.secretSchema, value, 'value')).toThrow(message);
  });

  it.each(['v64.0', '65.0', 'v65', 'v6.5'])('refuses apiVersion %s', (apiVersion) => {
    expect(() => assertValid(salesforce.metadataSchema, { apiVersion }, 'metadata')).toThrow(
      /field "apiVersion"/,
    );
  });

  it('refuses unknown metadata keys', () => {
    expect(() =>
      assertValid(salesforce.metadataSchema, { apiVersion: 'v65.0', foo: 'x' }, 'metadata'),
    ).toThrow(/field "foo" is not allowed/);
  });
});
