/** The engine hands every hook an HTTP client bound to the plugin's egress rules. */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretsManagerClients } from '../../src/aws/roles.ts';
import { RotationEngine } from '../../src/engine/engine.ts';
import { PartnerCatalog } from '../../src/runtime/catalog.ts';
import { EgressRefusedError } from '../../src/runtime/errors.ts';
import type { HookContext } from '../../src/runtime/partner.ts';
import { FAKE_TYPE, fakeManifest, fakeRotator } from '../support/fake-partner.ts';

const ACCOUNT = '111111111111';
const ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/key-AbCdEf`;
const TOKEN = '11111111-2222-3333-4444-555555555555';
const sm = mockClient(SecretsManagerClient);

afterEach(() => {
  sm.reset();
});

function engineCalling(url: string, simulatorMode: boolean) {
  const rotator = fakeRotator();
  rotator.create.mockImplementation(async (_request, context) => {
    await (context as HookContext).http?.fetch(url);
    return { pending: { apiKey: 'never-minted-0001', url: 'https://api.example.com' } };
  });
  sm.on(DescribeSecretCommand).resolves({
    ARN,
    RotationEnabled: true,
    Type: FAKE_TYPE,
    VersionIdsToStages: { current: ['AWSCURRENT'], [TOKEN]: ['AWSPENDING'] },
  });
  sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({
    ARN,
    SecretString: JSON.stringify({ apiKey: 'current-key-0001', url: 'https://api.example.com' }),
  });
  sm.on(GetSecretValueCommand, { VersionStage: 'AWSPENDING' }).rejects(
    Object.assign(new Error('not found'), { name: 'ResourceNotFoundException', $fault: 'client' }),
  );
  return new RotationEngine({
    clients: new SecretsManagerClients({
      secretsManager: new SecretsManagerClient({ region: 'us-east-1' }),
      sts: new STSClient({ region: 'us-east-1' }),
      engineAccountId: ACCOUNT,
    }),
    catalog: new PartnerCatalog([fakeManifest(rotator)]),
    simulatorMode,
  });
}

describe('Class: RotationEngine (context.http)', () => {
  it.each([
    ['an undeclared host', 'https://evil.example.net/exfiltrate', false],
    ['the metadata service', 'http://169.254.169.254/latest/meta-data/', false],
    ['loopback outside simulator mode', 'http://127.0.0.1:1/', false],
    ['the metadata service even in simulator mode', 'http://[::ffff:a9fe:a9fe]/', true],
  ])('refuses a hook’s request to %s and stores nothing', async (_name, url, simulatorMode) => {
    // Prepare
    const engine = engineCalling(url, simulatorMode);

    // Act
    const run = engine.run({ Step: 'createSecret', SecretId: ARN, ClientRequestToken: TOKEN });

    // Assess
    await expect(run).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(run).rejects.toThrow(/^FakeApiKey: /);
    expect(sm).not.toHaveReceivedCommand(PutSecretValueCommand);
  });
});
