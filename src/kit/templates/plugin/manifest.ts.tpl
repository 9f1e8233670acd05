/** The `__TYPE__` partner: one manifest, everything else derives from it. */
import metadataSchema from '__SCHEMAS__/__TYPE__.metadata.schema.json' with { type: 'json' };
import secretSchema from '__SCHEMAS__/__TYPE__.secret.schema.json' with { type: 'json' };
import { definePartner } from '__SRC__/runtime/partner.ts';
import type { __TYPE__Metadata, __TYPE__Secret } from './types.ts';

export default definePartner<__TYPE__Secret, __TYPE__Metadata>({
  type: '__TYPE__',
  version: '0.1.0',
  title: '__TITLE__',
  description: 'Rotates an API key through the partner key API (scaffolded by rotor partner new).',
  docsUrl: 'https://example.com/docs/api-keys',
  secretSchema,
  metadataSchema,
  egress: {
    // Replace with the partner's real API hosts: exact names or `*.suffix` patterns.
    allowedHosts: ['api.example.com'],
    targets: (secret) => [{ field: 'baseUrl', url: secret.baseUrl }],
  },
  // The current key plus one pending (or rotated-out) key.
  maxLiveCredentials: 2,
  sensitiveFields: ['apiKey'],
  loadRotator: async () => (await import('./rotator.ts')).rotator,
  startSimulator: async (options) => (await import('./simulator/index.ts')).startSimulator(options),
  demoSecret: (seed) => ({ value: { ...(seed as __TYPE__Secret) }, metadata: {} }),
});
