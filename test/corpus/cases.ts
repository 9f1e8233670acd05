/**
 * The hostile-input corpus, derived from each partner's manifest (fields, sensitive fields, URL
 * fields, schemas), so a new partner gets its own corpus. Every case must end in a typed error
 * and change nothing. Strings marked with {@link LEAK_MARKER} are secrets: no log line, event or
 * error may ever contain them.
 */
import type { ErrorCategory } from '../../src/engine/errors.ts';
import type { AnyPartnerManifest } from '../../src/runtime/catalog.ts';
import type { JsonSchema, SecretValue } from '../../src/runtime/partner.ts';

export const LEAK_MARKER = 'LEAKMARKER';

/** A secret-looking string unique to one case. */
export function marker(n: number): string {
  return `${LEAK_MARKER}${n.toString(36).padStart(4, '0')}s3cr3t`;
}

/** A Secrets Manager rotation event for the case's secret, or something hostile in its place. */
export type EventBuilder = (ref: { arn: string; token: string; rotationToken: string }) => unknown;

export interface CorpusCase {
  name: string;
  /** The stored AWSCURRENT `SecretString`; by default the fresh, valid value. */
  value?: (valid: SecretValue) => string;
  /** Rotation metadata entries passed on RotateSecret; by default the fresh, valid ones. */
  metadata?: (valid: [string, string][]) => [string, string][];
  /** The secret's `Type`; by default the partner's. */
  type?: string;
  /** The event the engine gets; by default createSecret for the pending rotation. */
  event?: EventBuilder;
  /** A hostile request straight to Secrets Manager (instead of a rotation step). */
  store?: 'rotation-rules' | 'oversized-value' | 'metadata-size';
  storeInput?: Record<string, unknown>;
  /** Accept loopback partner URLs (the local stack); off for egress cases. */
  simulatorMode?: boolean;
  /** The error category expected (default invalid-configuration). */
  category?: ErrorCategory;
  /** The error's `field`, when the case targets one field. */
  field?: string;
}

const SSRF_URLS = [
  'http://169.254.169.254/latest/meta-data/',
  'https://169.254.169.254',
  'https://[fd00:ec2::254]',
  'https://localhost',
  'https://app.localhost',
  'https://127.0.0.1',
  'https://127.1',
  'https://[::1]',
  'https://[::ffff:127.0.0.1]',
  'https://[::ffff:a9fe:a9fe]',
  'https://2130706433',
  'https://0177.0.0.1',
  'https://0x7f000001',
  'https://0x7f.0.0.1',
  'https://2852039166',
  'https://0251.0376.0251.0376',
  'https://10.0.0.1',
  'https://172.16.0.1',
  'https://192.168.1.1',
  'https://100.64.0.1',
  'https://0.0.0.0',
  'https://metadata.google.internal',
  'https://224.0.0.1',
];
/** Refused even in simulator mode, which opens loopback only. */
const SSRF_EVEN_IN_SIMULATOR_MODE = [
  'http://169.254.169.254/latest/meta-data/',
  'https://[fd00:ec2::254]',
  'https://10.0.0.1',
  'https://192.168.1.1',
  'https://metadata.google.internal',
  'https://evil.example.com',
];
const FOREIGN_URLS = [
  'http://acme.example.com',
  'ftp://acme.example.com',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'https://evil.example.com',
  'https://evil.example.com#.allowed',
  'https://user:pass@evil.example.com',
  'not a url',
  '',
];

function schemaProperties(schema: JsonSchema): Record<string, Record<string, unknown>> {
  return (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
}

/**
 * @example
 * ```ts
 * const cases = corpusFor(manifest, freshValue);
 * ```
 */
export function corpusFor(manifest: AnyPartnerManifest, sample: SecretValue): CorpusCase[] {
  let n = 0;
  const next = () => {
    n += 1;
    return marker(n);
  };
  const cases: CorpusCase[] = [];
  const fields = Object.keys(sample);
  const sensitive = manifest.sensitiveFields as readonly string[];
  const urlFields = manifest.egress.targets(sample).map((t: { field: string }) => t.field);
  const secretField = sensitive[0] ?? fields[0] ?? 'value';
  const withField = (valid: SecretValue, field: string, value: unknown) =>
    JSON.stringify({ ...valid, [field]: value });

  // Malformed JSON and non-objects (each carries a secret that a parser error might quote).
  for (const text of [
    (m: string) => `{"${secretField}": "${m}"`,
    (m: string) => `{"${secretField}": "${m}",}`,
    (m: string) => `${m}`,
    (m: string) => `["${m}"]`,
    (m: string) => `"${m}"`,
    () => 'null',
    () => '42',
    () => 'true',
    () => ' ',
    (m: string) => `{'${secretField}': '${m}'}`,
    (m: string) => `\uFEFF{"${secretField}": "${m}"}`,
    () => `${'['.repeat(2000)}${']'.repeat(2000)}`,
  ]) {
    const m = next();
    cases.push({ name: `value: malformed ${JSON.stringify(text('M').slice(0, 24))}`, value: () => text(m) });
  }
  // Wrong types, missing and unknown fields, prototype keys, oversized fields.
  for (const field of fields) {
    for (const wrong of [123, null, true, [], {}]) {
      cases.push({
        name: `value: ${field} is ${JSON.stringify(wrong)}`,
        value: (v) => withField(v, field, wrong),
        field,
      });
    }
    cases.push({
      name: `value: ${field} missing`,
      value: (v) => JSON.stringify(Object.fromEntries(Object.entries(v).filter(([key]) => key !== field))),
      field,
    });
    cases.push({
      name: `value: ${field} of 60,000 characters`,
      value: (v) => withField(v, field, 'A'.repeat(60_000)),
      field,
    });
  }
  for (const key of ['__proto__', 'constructor', 'prototype', 'unknownField']) {
    const m = next();
    cases.push({
      name: `value: extra key ${key}`,
      value: (v) => `${JSON.stringify(v).slice(0, -1)},"${key}":{"${secretField}":"${m}"}}`,
      field: key,
    });
  }
  for (const field of sensitive) {
    const m = next();
    cases.push({
      name: `value: ${field} with spaces and markup`,
      value: (v) => withField(v, field, `${m} <script>`),
      field,
    });
  }
  // Egress: every URL field, with the engine in production mode, then some in simulator mode.
  for (const field of urlFields) {
    for (const url of [...SSRF_URLS, ...FOREIGN_URLS]) {
      cases.push({
        name: `egress: ${field} = ${url || '(empty)'}`,
        value: (v) => withField(v, field, url),
        simulatorMode: false,
        field,
      });
    }
    for (const url of SSRF_EVEN_IN_SIMULATOR_MODE) {
      cases.push({
        name: `egress (simulator mode): ${field} = ${url}`,
        value: (v) => withField(v, field, url),
        field,
      });
    }
  }
  // Unknown partner types.
  for (const type of [
    'NoSuchPartner',
    manifest.type.toLowerCase(),
    ` ${manifest.type}`,
    `${manifest.type}\u0000`,
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '../partners/evil',
    'T'.repeat(256),
  ]) {
    cases.push({ name: `type: ${JSON.stringify(type.slice(0, 40))}`, type, field: 'Type' });
  }
  // Bad metadata: required keys removed, unknown and prototype keys, values breaking the schema,
  // bad engine settings, a key given twice.
  const metadataSchema = manifest.metadataSchema;
  for (const key of (metadataSchema.required ?? []) as string[]) {
    cases.push({
      name: `metadata: ${key} missing`,
      metadata: (m) => m.filter(([k]) => k !== key),
      field: key,
    });
  }
  for (const key of ['unknownKey', '__proto__', 'constructor', 'prototype', 'toString']) {
    cases.push({ name: `metadata: extra key ${key}`, metadata: (m) => [...m, [key, next()]], field: key });
  }
  for (const [key, rules] of Object.entries(schemaProperties(metadataSchema))) {
    if (!rules.pattern && !rules.enum && !rules.format) continue;
    for (const bad of ['x', '\u0000', 'A'.repeat(2048), '../../etc/passwd', ' padded ']) {
      cases.push({
        name: `metadata: ${key} = ${JSON.stringify(bad.slice(0, 16))}`,
        metadata: (m) => [...m.filter(([k]) => k !== key), [key, bad]],
        field: key,
      });
    }
  }
  for (const [key, bad] of [
    ['rotor:grace-period', 'abc'],
    ['rotor:grace-period', '-1'],
    ['rotor:grace-period', '1e3'],
    ['rotor:grace-period', '1.5'],
    ['rotor:grace-period', '99999999'],
    ['rotor:grace-period', ' 60'],
    ['rotor:consumer-ttl', 'abc'],
    ['rotor:consumer-ttl', '-5'],
  ] as const) {
    cases.push({
      name: `metadata: ${key} = ${JSON.stringify(bad)}`,
      metadata: (m) => [...m, [key, bad]],
      field: key,
    });
  }
  cases.push({
    name: 'metadata: a key given twice',
    // With no partner metadata to repeat, repeat an engine setting: duplicates are refused alike.
    metadata: (m) =>
      m.length > 0
        ? [...m, ...m.slice(0, 1)]
        : [
            ['rotor:grace-period', '3600'],
            ['rotor:grace-period', '3600'],
          ],
  });
  // Bad events: not objects, bad steps, bad ids and tokens, bad ARNs, extra and prototype keys.
  const event =
    (patch: Record<string, unknown>): EventBuilder =>
    (ref) => ({
      Step: 'createSecret',
      SecretId: ref.arn,
      ClientRequestToken: ref.token,
      RotationToken: ref.rotationToken,
      ...patch,
    });
  const withoutKey =
    (key: string): EventBuilder =>
    (ref) => {
      const full = event({})(ref) as Record<string, unknown>;
      delete full[key];
      return full;
    };
  const events: [string, EventBuilder, ErrorCategory?][] = [
    ['null', () => null],
    ['a number', () => 42],
    ['a string', () => 'createSecret'],
    ['an array', () => []],
    ['an empty object', () => ({})],
    ['Step missing', withoutKey('Step')],
    ['SecretId missing', withoutKey('SecretId')],
    ['ClientRequestToken missing', withoutKey('ClientRequestToken')],
    ['Step unknown', event({ Step: 'deleteSecret' })],
    ['Step in another case', event({ Step: 'CREATESECRET' })],
    ['Step snake_case', event({ Step: 'create_secret' })],
    ['Step empty', event({ Step: '' })],
    ['Step a number', event({ Step: 1 })],
    ['Step null', event({ Step: null })],
    ['SecretId empty', event({ SecretId: '' })],
    ['SecretId a number', event({ SecretId: 7 })],
    ['SecretId of 70,000 characters', event({ SecretId: 'a'.repeat(70_000) })],
    ['SecretId an ARN of another service', event({ SecretId: 'arn:aws:s3:::bucket' })],
    [
      'SecretId an ARN of a missing secret',
      event({ SecretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:none-AbCdEf' }),
    ],
    [
      'SecretId an ARN in another account (no role)',
      event({ SecretId: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:x-AbCdEf' }),
    ],
    [
      'SecretId an ARN with a bad account',
      event({ SecretId: 'arn:aws:secretsmanager:us-east-1:12345:secret:x' }),
    ],
    ['SecretId an ARN without region', event({ SecretId: 'arn:aws:secretsmanager::000000000000:secret:x' })],
    ['ClientRequestToken too short', event({ ClientRequestToken: 'abc' })],
    ['ClientRequestToken too long', event({ ClientRequestToken: 'a'.repeat(65) })],
    ['ClientRequestToken a number', event({ ClientRequestToken: 1234567890123 })],
    ['ClientRequestToken not a version', event({ ClientRequestToken: 'f'.repeat(36) }), 'conflict'],
    ['RotationToken too short', event({ RotationToken: 'short' })],
    ['RotationToken with spaces', event({ RotationToken: `${next()} with spaces and more characters here` })],
    [
      'RotationToken with markup',
      event({ RotationToken: `<script>${next()}</script>-padding-padding-padding` }),
    ],
    ['RotationToken too long', event({ RotationToken: 'a'.repeat(257) })],
    ['RotationToken a number', event({ RotationToken: 1 })],
    ['an extra key', event({ Extra: next() })],
    [
      'a __proto__ key',
      (ref) => JSON.parse(`{"__proto__":{"Step":"finishSecret"},${JSON.stringify(event({})(ref)).slice(1)}`),
    ],
    ['a constructor key', event({ constructor: { Step: 'finishSecret' } })],
  ];
  for (const [name, build, category] of events)
    cases.push({ name: `event: ${name}`, event: build, category });
  // Straight to Secrets Manager: what RotateSecret and PutSecretValue validate today.
  for (const [name, RotationRules] of SCHEDULE_CASES)
    cases.push({
      name: `store: RotationRules ${name}`,
      store: 'rotation-rules',
      storeInput: { RotationRules },
    });
  cases.push({ name: 'store: a value over 64 KiB', store: 'oversized-value', storeInput: { size: 65_537 } });
  cases.push({
    name: 'store: a metadata value over 2048 characters',
    store: 'metadata-size',
    storeInput: { Value: 'v'.repeat(2049) },
  });
  cases.push({ name: 'store: an empty metadata value', store: 'metadata-size', storeInput: { Value: '' } });
  return cases;
}

/**
 * Bad rotation rules, limited to what `RotateSecret` validates today (ranges, the character set,
 * rate/cron shape, exclusive members). Add cron/rate semantics here once the schedule engine
 * validates them (minutes must be 0, `?` in one day field, at least every 4 hours, …).
 */
export const SCHEDULE_CASES: [string, Record<string, unknown>][] = [
  ['AutomaticallyAfterDays 0', { AutomaticallyAfterDays: 0 }],
  ['AutomaticallyAfterDays 1001', { AutomaticallyAfterDays: 1001 }],
  ['AutomaticallyAfterDays -1', { AutomaticallyAfterDays: -1 }],
  ['ScheduleExpression "every day"', { ScheduleExpression: 'every day' }],
  ['ScheduleExpression "cron("', { ScheduleExpression: 'cron(' }],
  ['ScheduleExpression with ";"', { ScheduleExpression: 'rate(4 hours);' }],
  ['ScheduleExpression of 257 characters', { ScheduleExpression: `cron(${'0'.repeat(251)})` }],
  ['ScheduleExpression empty', { ScheduleExpression: '' }],
  [
    'both AutomaticallyAfterDays and ScheduleExpression',
    { AutomaticallyAfterDays: 1, ScheduleExpression: 'rate(4 hours)' },
  ],
  ['Duration "1d"', { Duration: '1d', AutomaticallyAfterDays: 1 }],
  ['Duration "100h"', { Duration: '100h', AutomaticallyAfterDays: 1 }],
];
