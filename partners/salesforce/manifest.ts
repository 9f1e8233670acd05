/** The `SalesforceClientSecret` partner: one manifest, everything else derives from it. */
import metadataSchema from '../../schemas/SalesforceClientSecret.metadata.schema.json' with { type: 'json' };
import secretSchema from '../../schemas/SalesforceClientSecret.secret.schema.json' with { type: 'json' };
import { definePartner } from '../../src/runtime/partner.ts';
import type { SalesforceSeed } from './simulator/index.ts';
import type { SalesforceMetadata, SalesforceSecret } from './types.ts';

export default definePartner<SalesforceSecret, SalesforceMetadata>({
  type: 'SalesforceClientSecret',
  version: '1.0.0',
  title: 'Salesforce External Client App',
  description:
    'Rotates the OAuth consumer key and secret of a Salesforce External Client App through its staged-credentials API.',
  docsUrl: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/mes-partner-salesforce.html',
  secretSchema,
  metadataSchema,
  egress: {
    // My Domain hosts: production (acme.my.salesforce.com), sandbox (acme--dev.sandbox.my.salesforce.com)
    // and scratch orgs (x.scratch.my.salesforce.com) all end in .my.salesforce.com.
    allowedHosts: ['*.my.salesforce.com'],
    targets: (secret) => [{ field: 'baseUri', url: secret.baseUri }],
  },
  // The primary pair plus one staged (or rotated-out) set.
  maxLiveCredentials: 2,
  sensitiveFields: ['consumerKey', 'consumerSecret'],
  loadRotator: async () => (await import('./rotator.ts')).salesforceRotator,
  startSimulator: async (options) =>
    (await import('./simulator/index.ts')).SalesforceSimulator.start(options),
  demoSecret: (seed) => {
    const org = seed as SalesforceSeed;
    return {
      value: {
        consumerKey: org.consumerKey,
        consumerSecret: org.consumerSecret,
        baseUri: org.baseUri,
        appId: org.appId,
        consumerId: org.consumerId,
      },
      metadata: { apiVersion: org.apiVersion },
    };
  },
});
