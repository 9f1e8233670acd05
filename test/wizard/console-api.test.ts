/**
 * The console's JSON API over HTTP, against the local stack and the Salesforce simulator with the
 * real SDK: validation before any change, create + first rotation, rotation records, and the
 * request guards. The wizard bundle is not needed here: a stub page stands in for it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceSimulator } from '../../partners/salesforce/simulator/index.ts';
import { controlRoutesProgress } from '../../src/console/rotation-progress.ts';
import type { SecretDetails, SecretSummary } from '../../src/console/secrets-api.ts';
import { type ConsoleServer, startConsoleServer } from '../../src/console/server.ts';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../src/local/stack.ts';

let stack: LocalStack;
let sim: SalesforceSimulator;
let sm: SecretsManagerClient;
let server: ConsoleServer;
let assetsDir: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, simulatorPort: 0 });
  const running = stack.simulators[0]?.simulator;
  if (!(running instanceof SalesforceSimulator)) throw new Error('expected the Salesforce simulator first');
  sim = running;
  sm = new SecretsManagerClient({
    endpoint: stack.endpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
  assetsDir = mkdtempSync(join(tmpdir(), 'rotor-console-assets-'));
  writeFileSync(join(assetsDir, 'index.html'), '<!doctype html><title>stub</title>');
  server = await startConsoleServer({
    secretsManager: sm,
    rotations: controlRoutesProgress(stack.endpoint),
    simulatorMode: true,
    region: stack.region,
    accountId: stack.accountId,
    mode: 'local',
    assetsDir,
  });
});

afterAll(async () => {
  await server?.close();
  await stack?.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, server.url));
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

async function secretNames(): Promise<string[]> {
  return ((await sm.send(new ListSecretsCommand({}))).SecretList ?? []).map((s) => s.Name ?? '');
}

/** Polls the details route until `done` holds, for at most 20 s. */
async function waitFor(secretId: string, done: (d: SecretDetails) => boolean): Promise<SecretDetails> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const details = await get<SecretDetails>(`api/secrets/${encodeURIComponent(secretId)}`);
    if (done(details)) return details;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(details.attempts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function request(name: string) {
  const { value, metadata } = (await sim.probe.freshSecret()) as {
    value: Record<string, string>;
    metadata: Record<string, string>;
  };
  return {
    type: 'SalesforceClientSecret',
    name,
    description: 'created by the console API test',
    tags: [{ key: 'team', value: 'billing' }],
    value,
    metadata,
    rotation: {
      automatic: true,
      rotateImmediately: true,
      schedule: { kind: 'days', days: 30 },
      gracePeriodSeconds: 600,
    },
  };
}

describe('Function: startConsoleServer', () => {
  it('lists the catalog partners with their schemas and sensitive fields', async () => {
    // Act
    const partners =
      await get<{ type: string; sensitiveFields: string[]; secretSchema: object }[]>('api/partners');

    // Assess
    expect(partners.map((p) => p.type)).toContain('SalesforceClientSecret');
    expect(partners[0]?.sensitiveFields).toEqual(['consumerKey', 'consumerSecret']);
    expect(partners[0]?.secretSchema).toHaveProperty('properties');
  });

  it('creates a secret, turns rotation on and runs the first rotation immediately', async () => {
    // Prepare
    const body = await request('api/onboarded');

    // Act
    const created = await post('api/secrets', body);
    const details = await waitFor('api/onboarded', (d) => d.attempts?.at(-1)?.result === 'succeeded');

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.versionId).toEqual(expect.any(String));
    const current = details.versions.find((v) => v.stages.includes('AWSCURRENT'));
    const previous = details.versions.find((v) => v.stages.includes('AWSPREVIOUS'));
    expect(current?.versionId).toBe(created.body.versionId);
    expect(previous?.versionId).not.toBe(current?.versionId);
    expect(details.type).toBe('SalesforceClientSecret');
    expect(details.metadata).toEqual({ apiVersion: body.metadata.apiVersion });
    expect(details.gracePeriodSeconds).toBe(600);
    expect(details.rotationRules?.AutomaticallyAfterDays).toBe(30);
    expect(details.tags).toContainEqual({ key: 'team', value: 'billing' });
    expect(JSON.stringify(details)).not.toContain(body.value.consumerSecret);
    const listed = await get<SecretSummary[]>('api/secrets?type=SalesforceClientSecret');
    expect(listed.find((s) => s.name === 'api/onboarded')).toMatchObject({
      rotationEnabled: true,
      lastResult: 'succeeded',
    });
  });

  it('refuses an invalid value with the field and the fix, and creates nothing', async () => {
    // Prepare
    const body = await request('api/invalid');
    const before = await secretNames();

    // Act
    const refused = await post('api/secrets', { ...body, value: { ...body.value, baseUri: 'ftp://nope' } });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('baseUri');
    expect(refused.body.message).toContain('baseUri');
    expect(refused.body.message).not.toContain(body.value.consumerSecret);
    expect(await secretNames()).toEqual(before);
  });

  it('refuses bad metadata, a bad name and a bad schedule before any change', async () => {
    // Prepare
    const body = await request('api/invalid-2');
    const before = await secretNames();

    // Act
    const badMetadata = await post('api/secrets', { ...body, metadata: { apiVersion: 'v50.0' } });
    const badName = await post('api/secrets', { ...body, name: 'has spaces' });
    const badSchedule = await post('api/secrets', {
      ...body,
      rotation: { ...body.rotation, schedule: { kind: 'days', days: 0 } },
    });

    // Assess
    expect(badMetadata).toMatchObject({ status: 400, body: { field: 'apiVersion' } });
    expect(badName).toMatchObject({ status: 400, body: { field: 'name' } });
    expect(badSchedule.status).toBe(400);
    expect(await secretNames()).toEqual(before);
  });

  it('starts a rotation with Rotate now and records it step by step', async () => {
    // Prepare
    // Grace period 0: the first rotation's rotated-out pair may be removed to make room at once.
    const body = await request('api/rotate-now');
    await post('api/secrets', { ...body, rotation: { ...body.rotation, gracePeriodSeconds: 0 } });
    await waitFor('api/rotate-now', (d) => d.attempts?.at(-1)?.result === 'succeeded');

    // Act
    const started = await post(`api/secrets/${encodeURIComponent('api/rotate-now')}/rotate`, {});
    await waitFor(
      'api/rotate-now',
      (d) => d.attempts?.length === 2 && d.attempts.at(-1)?.result !== 'running',
    );
    // Read once more: one details answer gathers versions and attempts concurrently, so the answer
    // that first saw the attempt end may hold versions read a moment before finishSecret's write.
    const details = await get<SecretDetails>(`api/secrets/${encodeURIComponent('api/rotate-now')}`);

    // Assess
    expect(started.status).toBe(202);
    const last = details.attempts?.at(-1);
    expect(last?.versionId).toBe(started.body.versionId);
    expect(last?.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'createSecret:succeeded',
      'setSecret:succeeded',
      'testSecret:succeeded',
      'finishSecret:succeeded',
    ]);
    expect(last?.result).toBe('succeeded');
    expect(details.versions.find((v) => v.stages.includes('AWSCURRENT'))?.versionId).toBe(
      started.body.versionId,
    );
  });

  it('shows the events and audit records of the first rotation, and the next rotation date', async () => {
    // Prepare
    await post('api/secrets', await request('api/history'));

    // Act
    const details = await waitFor(
      'api/history',
      (d) =>
        d.audit?.some((r) => r.result === 'succeeded') === true &&
        d.events?.some((e) => e.name === 'RotationSucceeded') === true,
    );

    // Assess
    const names = details.events?.map((e) => e.name) ?? [];
    expect(names).toEqual(
      expect.arrayContaining(['RotationStarted', 'RotationSucceeded', 'Rotation Succeeded']),
    );
    expect(details.events?.every((e) => e.time !== undefined && e.summary.length > 0)).toBe(true);
    expect(details.audit?.[0]).toMatchObject({
      kind: 'rotation',
      trigger: 'rotate-secret',
      result: 'succeeded',
      steps: [
        'createSecret:succeeded',
        'setSecret:succeeded',
        'testSecret:succeeded',
        'finishSecret:succeeded',
      ],
    });
    expect(details.audit?.[0]?.failureCategory).toBeUndefined();
    expect(details.audit?.[0]?.durationMs).toEqual(expect.any(Number));
    expect(Date.parse(details.nextRotationDate ?? '')).toBeGreaterThan(Date.now());
    const listed = await get<SecretSummary[]>('api/secrets');
    expect(listed.find((s) => s.name === 'api/history')?.nextRotationDate).toBe(details.nextRotationDate);
  });

  it('runs a test rotation that leaves AWSCURRENT as it was and no AWSPENDING behind', async () => {
    // Prepare: grace period 0 frees Salesforce's staged slot as soon as the first rotation ends.
    const body = await request('api/test-rotation');
    await post('api/secrets', { ...body, rotation: { ...body.rotation, gracePeriodSeconds: 0 } });
    const settled = await waitFor('api/test-rotation', (d) => d.audit?.[0]?.result === 'succeeded');

    // Act
    const started = await post(`api/secrets/${encodeURIComponent('api/test-rotation')}/rotate`, {
      test: true,
    });
    const after = await waitFor(
      'api/test-rotation',
      (d) =>
        d.audit?.[0]?.kind === 'test-rotation' && d.events?.[0]?.name.startsWith('TestRotation') === true,
    );

    // Assess
    expect(started.status).toBe(202);
    expect(after.audit?.[0]).toMatchObject({
      trigger: 'test',
      result: 'succeeded',
      versionId: started.body.versionId,
      steps: ['createSecret:succeeded', 'setSecret:succeeded', 'testSecret:succeeded'],
    });
    expect(after.events?.map((e) => e.name)).toEqual(
      expect.arrayContaining(['TestRotationStarted', 'TestRotationSucceeded']),
    );
    const current = (d: SecretDetails) => d.versions.find((v) => v.stages.includes('AWSCURRENT'))?.versionId;
    expect(current(after)).toBe(current(settled));
    expect(after.versions.flatMap((v) => v.stages)).not.toContain('AWSPENDING');
  });

  it('refuses a test rotation where the endpoint cannot run one, and changes nothing', async () => {
    // Prepare
    const refusing = await startConsoleServer({
      secretsManager: sm,
      region: stack.region,
      testRotations: false,
      assetsDir,
    });
    const before = (await secretNames()).length;

    // Act
    const response = await fetch(
      new URL(`api/secrets/${encodeURIComponent('api/history')}/rotate`, refusing.url),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ test: true }),
      },
    );
    const body = (await response.json()) as { message: string };
    await refusing.close();

    // Assess
    expect(response.status).toBe(501);
    expect(body.message).toContain('Rotate now');
    expect((await secretNames()).length).toBe(before);
  });

  it('refuses cross-site requests and bodies that are not JSON, and answers unknown routes with 404', async () => {
    // Act
    const crossSite = await post('api/secrets', {}, { origin: 'https://evil.example' });
    const form = await fetch(new URL('api/secrets', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    const unknown = await fetch(new URL('api/nothing', server.url));

    // Assess
    expect(crossSite.status).toBe(403);
    expect(form.status).toBe(415);
    expect(unknown.status).toBe(404);
  });

  it('serves the customer role template scoped to the partner type', async () => {
    // Act
    const template = await get<{ permissionsPolicy: { Statement: { Condition?: object }[] } }>(
      'api/partners/SalesforceClientSecret/role-template',
    );

    // Assess
    expect(JSON.stringify(template.permissionsPolicy)).toContain(
      '"secretsmanager:resource/Type":"SalesforceClientSecret"',
    );
  });
});
