/**
 * Orphan credentials in `rotor repair`, for plugins that can list their source's credentials (the
 * optional hooks of `src/engine/orphans.ts`). A test partner stands in: no shipped plugin
 * implements the hooks yet.
 */
import {
  CreateSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsManagerClients } from '../../src/aws/roles.ts';
import { RotationEngine } from '../../src/engine/engine.ts';
import type { OrphanCredential } from '../../src/engine/orphans.ts';
import { RotationRepair } from '../../src/engine/repair.ts';
import { SecretsManagerService, startSecretsManagerServer } from '../../src/local/secrets-manager/index.ts';
import { LOCAL_CREDENTIALS } from '../../src/local/stack.ts';
import { PartnerCatalog } from '../../src/runtime/catalog.ts';
import { FAKE_TYPE, type FakeSecret, fakeManifest, fakeRotator } from '../support/fake-partner.ts';

const ACCOUNT = '000000000000';
/** The test partner's source: credential id → key, per secret. */
const source = new Map<string, string>();

const rotator = {
  ...fakeRotator(),
  async listOrphans({ known }: { current: FakeSecret; known: FakeSecret[] }) {
    const keys = new Set(known.map((value) => value.apiKey));
    return [...source].filter(([, key]) => !keys.has(key)).map(([id]) => ({ id, detail: `API key ${id}` }));
  },
  async revokeOrphan({ orphan }: { current: FakeSecret; orphan: OrphanCredential }) {
    source.delete(orphan.id);
  },
};

let server: Awaited<ReturnType<typeof startSecretsManagerServer>>;
let sm: SecretsManagerClient;
let repair: RotationRepair;
beforeAll(async () => {
  server = await startSecretsManagerServer({ service: new SecretsManagerService({ accountId: ACCOUNT }) });
  sm = new SecretsManagerClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const clients = new SecretsManagerClients({
    secretsManager: sm,
    sts: new STSClient({}),
    engineAccountId: ACCOUNT,
  });
  const engine = new RotationEngine({ clients, catalog: new PartnerCatalog([fakeManifest(rotator)]) });
  repair = new RotationRepair({ engine, clients, secretsManager: sm, stuckAfterSeconds: 600 });
});
afterAll(async () => {
  await server.close();
});

let secrets = 0;
async function secretWithOrphan(): Promise<string> {
  secrets += 1;
  source.clear();
  source.set('key-current', 'current-key-0001');
  source.set('key-orphan', 'orphan-key-0002');
  const created = await sm.send(
    new CreateSecretCommand({
      Name: `orphans/${secrets}`,
      SecretString: JSON.stringify({ apiKey: 'current-key-0001', url: 'https://api.example.com' }),
      Type: FAKE_TYPE,
    }),
  );
  return created.ARN ?? '';
}

describe('Class: RotationRepair (orphan credentials)', () => {
  it('finds a credential no label holds and revokes only it', async () => {
    // Prepare
    const arn = await secretWithOrphan();

    // Act
    const findings = await repair.find(arn);
    const results = await repair.applyAll(findings);

    // Assess
    expect(findings.map((f) => [f.kind, f.orphan?.id])).toEqual([['orphan-credential', 'key-orphan']]);
    expect(results.map((r) => r.outcome)).toEqual(['revoked']);
    expect([...source.keys()]).toEqual(['key-current']);
  });

  it('finds orphans across the account without a secret named', async () => {
    // Prepare
    const arn = await secretWithOrphan();

    // Act
    const findings = await repair.find();

    // Assess
    expect(findings.filter((f) => f.secretArn === arn).map((f) => f.orphan?.id)).toEqual(['key-orphan']);
  });

  it('does not look for orphans while a rotation is running', async () => {
    // Prepare: a young pending rotation; its fresh credential is not an orphan.
    const arn = await secretWithOrphan();
    await sm.send(new RotateSecretCommand({ SecretId: arn }));

    // Act
    const findings = await repair.find(arn);

    // Assess
    expect(findings).toEqual([]);
    expect(source.size).toBe(2);
  });
});
