/** The `SnowflakeKeyPairAuthentication` partner: one manifest, everything else derives from it. */
import metadataSchema from '../../schemas/SnowflakeKeyPairAuthentication.metadata.schema.json' with {
  type: 'json',
};
import secretSchema from '../../schemas/SnowflakeKeyPairAuthentication.secret.schema.json' with {
  type: 'json',
};
import { definePartner } from '../../src/runtime/partner.ts';
import { accountUrl, SNOWFLAKE_HOSTS, SNOWFLAKE_TYPE } from './hosts.ts';
import type { SnowflakeSeed } from './simulator/index.ts';
import type { SnowflakeMetadata, SnowflakeSecret } from './types.ts';

export default definePartner<SnowflakeSecret, SnowflakeMetadata>({
  type: SNOWFLAKE_TYPE,
  version: '1.0.0',
  title: 'Snowflake key-pair authentication',
  description:
    "Rotates a Snowflake user's RSA key pair through its two public-key slots (RSA_PUBLIC_KEY, RSA_PUBLIC_KEY_2) with the SQL API.",
  docsUrl: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/mes-partner-Snowflake.html',
  secretSchema,
  metadataSchema,
  egress: {
    allowedHosts: SNOWFLAKE_HOSTS,
    // The value holds no URL: the host is derived from the account. In simulator mode the rotator
    // calls the simulator instead and checks that URL itself.
    targets: (secret) => [{ field: 'account', url: accountUrl(secret.account) }],
  },
  // Two key slots per user.
  maxLiveCredentials: 2,
  sensitiveFields: ['privateKey', 'passphrase'],
  loadRotator: async () => (await import('./rotator.ts')).snowflakeRotator,
  startSimulator: async (options) => (await import('./simulator/index.ts')).SnowflakeSimulator.start(options),
  demoSecret: (seed) => {
    const user = seed as SnowflakeSeed;
    return {
      value: {
        account: user.account,
        user: user.user,
        privateKey: user.privateKey,
        publicKey: user.publicKey,
      },
      metadata: { cryptographicAlgorithm: 'RS256', encryptPrivateKey: 'false' },
    };
  },
});
