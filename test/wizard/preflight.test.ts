/**
 * The preflight dry run against the local stack and the real Salesforce simulator: every check
 * is reported, failures say what to fix without echoing a secret, and nothing changes anywhere.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceSimulator } from '../../partners/salesforce/simulator/index.ts';
import { runPreflight } from '../../src/engine/preflight.ts';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import { PartnerCatalog } from '../../src/runtime/catalog.ts';

const TYPE = 'SalesforceClientSecret';
let stack: LocalStack;
let sim: SalesforceSimulator;
let sm: SecretsManagerClient;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, simulatorPort: 0, demoSecrets: false });
  const running = stack.simulators[0]?.simulator;
  if (!(running instanceof SalesforceSimulator)) throw new Error('expected the Salesforce simulator first');
  sim = running;
  sm = new SecretsManagerClient({
    endpoint: stack.endpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
});

afterAll(async () => {
  await stack.close();
});

const options = () => ({
  catalog: new PartnerCatalog(),
  secretsManager: sm,
  simulatorMode: true,
});

async function fresh() {
  return sim.probe.freshSecret() as Promise<{
    value: Record<string, string>;
    metadata: Record<string, string>;
  }>;
}

describe('Function: runPreflight', () => {
  it('passes every check for a ready-to-rotate secret and changes nothing at the partner', async () => {
    // Prepare
    const { value, metadata } = await fresh();
    const liveBefore = sim.liveCredentials(value.appId).length;
    sim.clearRequests();

    // Act
    const report = await runPreflight({ type: TYPE, value, metadata }, options());

    // Assess
    expect(report.checks.map((c) => c.name)).toEqual([
      'partner',
      'schema',
      'metadata',
      'role',
      'egress',
      'authenticate',
      'permissions',
      'rest-secret-access',
      'slot',
    ]);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(sim.liveCredentials(value.appId).length).toBe(liveBefore);
    const methods = new Set(sim.requests().map((r) => r.method));
    expect([...methods].filter((m) => m !== 'GET' && m !== 'POST')).toEqual([]);
    // The only POST is the OAuth token request; nothing is staged.
    expect(sim.requests().filter((r) => r.method === 'POST' && !r.path.includes('/oauth2/token'))).toEqual(
      [],
    );
  });

  it('reports rejected credentials with the category and without echoing the secret', async () => {
    // Prepare
    const { value, metadata } = await fresh();
    const wrong = { ...value, consumerSecret: 'WrongSecretValue12345' };

    // Act
    const report = await runPreflight({ type: TYPE, value: wrong, metadata }, options());

    // Assess
    const check = report.checks.find((c) => c.name === 'authenticate');
    expect(report.ok).toBe(false);
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain('[credential-rejected]');
    expect(JSON.stringify(report)).not.toContain('WrongSecretValue12345');
  });

  it('stops before any partner call when the value breaks the schema, naming the field', async () => {
    // Prepare
    const { value, metadata } = await fresh();
    sim.clearRequests();

    // Act
    const report = await runPreflight(
      { type: TYPE, value: { ...value, appId: 'not-an-app' }, metadata },
      options(),
    );

    // Assess
    const schema = report.checks.find((c) => c.name === 'schema');
    expect(schema?.ok).toBe(false);
    expect(schema?.detail).toContain('appId');
    expect(report.checks.some((c) => c.name === 'authenticate')).toBe(false);
    expect(sim.requests()).toEqual([]);
  });

  it('reports a disabled REST secret-access setting with the fix', async () => {
    // Prepare
    const { value, metadata } = await fresh();
    sim.setRestSecretAccess(false);

    // Act
    const report = await runPreflight({ type: TYPE, value, metadata }, options()).finally(() =>
      sim.setRestSecretAccess(true),
    );

    // Assess
    const check = report.checks.find((c) => c.name === 'rest-secret-access');
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain('[permission-denied]');
    expect(check?.detail).toContain('Allow access to External Client App consumer secrets via REST API');
  });

  it('authenticates with the admin secret named by adminSecretArn and checks the own pair too', async () => {
    // Prepare
    const { value, metadata } = await fresh();
    const admin = sim.seed.admin;
    const created = await sm.send(
      new CreateSecretCommand({
        Name: `preflight-admin-${admin.appId}`,
        Type: TYPE,
        SecretString: JSON.stringify({ ...admin, baseUri: sim.baseUrl }),
      }),
    );

    // Act
    const report = await runPreflight(
      { type: TYPE, value, metadata: { ...metadata, adminSecretArn: created.ARN ?? '' } },
      options(),
    );

    // Assess
    expect(report.checks.find((c) => c.name === 'authenticate-secret')?.ok).toBe(true);
    expect(report.checks.find((c) => c.name === 'authenticate')?.detail).toContain('admin pair');
    expect(report.ok).toBe(true);
  });

  it('refuses a role ARN that is not an IAM role, and an unknown partner type', async () => {
    // Prepare
    const { value, metadata } = await fresh();

    // Act
    const badRole = await runPreflight(
      { type: TYPE, value, metadata, roleArn: 'arn:aws:iam::12:user/x' },
      options(),
    );
    const unknown = await runPreflight({ type: 'NoSuchType', value, metadata }, options());

    // Assess
    expect(badRole.checks.find((c) => c.name === 'role')?.ok).toBe(false);
    expect(badRole.checks.some((c) => c.name === 'authenticate')).toBe(false);
    expect(unknown.checks).toHaveLength(1);
    expect(unknown.checks[0]?.detail).toContain('Unknown partner type');
  });
});
