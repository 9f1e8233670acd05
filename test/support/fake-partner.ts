/** A minimal partner for engine unit tests: hooks are spies, values are tiny JSON documents. */
import { vi } from 'vitest';
import { definePartner, type PartnerRotatorV1 } from '../../src/runtime/partner.ts';

export interface FakeSecret {
  [key: string]: unknown;
  apiKey: string;
  url: string;
}

export const FAKE_TYPE = 'FakeApiKey';

export function fakeRotator() {
  return {
    create: vi.fn(async ({ current }: { current: FakeSecret }, _context?: unknown) => ({
      pending: { ...current, apiKey: 'minted-key-0001' },
    })),
    discard: vi.fn(async (_request: { current: FakeSecret; pending: FakeSecret }, _context?: unknown) => {}),
    set: vi.fn(async (_request: { current: FakeSecret; pending: FakeSecret }, _context?: unknown) => {}),
    test: vi.fn(async (_request: { pending: FakeSecret }, _context?: unknown) => {}),
    promote: vi.fn(async (_request: { current: FakeSecret; pending: FakeSecret }, _context?: unknown) => {}),
    revoke: vi.fn(async (_request: { previous: FakeSecret; current: FakeSecret }, _context?: unknown) => ({
      revoked: true,
    })),
  } satisfies PartnerRotatorV1<FakeSecret>;
}

export function fakeManifest(rotator: ReturnType<typeof fakeRotator>) {
  return definePartner<FakeSecret, Record<string, string>>({
    type: FAKE_TYPE,
    version: '1.0.0',
    title: 'Fake API key',
    description: 'A partner that exists only in tests.',
    docsUrl: 'https://example.com/docs',
    secretSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['apiKey', 'url'],
      properties: {
        apiKey: { type: 'string', minLength: 8, description: 'The API key.' },
        url: { type: 'string', minLength: 8, description: 'https URL of the API.' },
      },
    },
    metadataSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { region: { type: 'string', pattern: '^[a-z]+$' } },
    },
    egress: { allowedHosts: ['api.example.com'], targets: (s) => [{ field: 'url', url: s.url }] },
    maxLiveCredentials: 2,
    sensitiveFields: ['apiKey'],
    loadRotator: async () => rotator,
    startSimulator: async () => {
      throw new Error('no simulator in unit tests');
    },
  });
}
