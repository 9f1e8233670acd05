/**
 * The engine rotating a Salesforce secret stored in the local Secrets Manager endpoint against the
 * Salesforce simulator, over HTTP with the real SDK and jsforce.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import manifest from '../../partners/salesforce/manifest.ts';
import { DEFAULT_GRACE_PERIOD_SECONDS } from '../../src/engine/engine.ts';
import {
  CredentialRejectedError,
  InvalidConfigurationError,
  PermissionDeniedError,
  RotorError,
  ThrottledError,
} from '../../src/engine/errors.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { stepEvent } from '../support/bench.ts';
import {
  createSalesforceSecret,
  orgSnapshot,
  type SalesforceBench,
  startSalesforceBench,
} from '../support/salesforce-bench.ts';

let bench: SalesforceBench;

beforeAll(async () => {
  bench = await startSalesforceBench();
});
afterAll(async () => {
  await bench.close();
});
afterEach(() => {
  bench.sim.clearFaults();
  bench.sim.setRateLimit(undefined);
  bench.sim.setRestSecretAccess(true);
  bench.sim.setUserPermissions(true);
});

let apps = 0;

describe('Partner: SalesforceClientSecret (engine over HTTP)', () => {
  it('rotates end to end: the new pair under AWSCURRENT authenticates, the old one under AWSPREVIOUS too', async () => {
    // Prepare
    const secret = await bench.createSecret();
    const before = await bench.valueAt(secret.arn, 'AWSCURRENT');

    // Act
    const token = await bench.rotate(secret);

    // Assess
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    const previous = await bench.valueAt(secret.arn, 'AWSPREVIOUS');
    expect(current.consumerKey).not.toBe(before.consumerKey);
    expect(current.consumerSecret).not.toBe(before.consumerSecret);
    expect(previous).toEqual(before);
    expect(bench.sim.authenticates(current.consumerKey!, current.consumerSecret!)).toBe(true);
    expect(bench.sim.authenticates(previous.consumerKey!, previous.consumerSecret!)).toBe(true);
    const snap = await orgSnapshot(bench, secret.arn);
    expect(snap.stages?.[token]).toEqual(['AWSCURRENT']);
    expect(bench.sim.liveCredentials(secret.value.appId).length).toBeLessThanOrEqual(
      manifest.maxLiveCredentials,
    );
  });

  it('changes nothing when each step is re-run, and mints one staged set per token (I3)', async () => {
    // Prepare
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    bench.sim.clearRequests();

    // Act
    const afterEachStep: Awaited<ReturnType<typeof orgSnapshot>>[] = [];
    for (const step of ROTATION_STEPS) {
      await bench.engine.run(stepEvent(secret.arn, token, step));
      const once = await orgSnapshot(bench, secret.arn);
      await bench.engine.run(stepEvent(secret.arn, token, step));
      afterEachStep.push(once, await orgSnapshot(bench, secret.arn));
    }
    const finished = await orgSnapshot(bench, secret.arn);
    await bench.runSteps(secret.arn, token);

    // Assess
    for (let i = 0; i < afterEachStep.length; i += 2) expect(afterEachStep[i + 1]).toEqual(afterEachStep[i]);
    expect(await orgSnapshot(bench, secret.arn)).toEqual(finished);
    const posts = bench.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/staged'));
    expect(posts).toHaveLength(1);
    expect(finished.stages?.[token]).toEqual(['AWSCURRENT']);
  });

  it('reuses the staged set minted before a crash instead of minting a second (I3, I4)', async () => {
    // Prepare: the create hook ran (a staged set exists) but the process died before PutSecretValue.
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    const rotator = await manifest.loadRotator();
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    const { pending: minted } = await rotator.create({ current }, bench.hookContext(secret, token));
    bench.sim.clearRequests();

    // Act
    await bench.engine.run(stepEvent(secret.arn, token, 'createSecret'));

    // Assess
    const pending = await bench.valueAt(secret.arn, 'AWSPENDING');
    expect(pending.consumerKey).toBe(minted.consumerKey);
    expect(
      bench.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/staged')),
    ).toHaveLength(0);
    await bench.runSteps(secret.arn, token, ROTATION_STEPS.slice(1));
    expect((await bench.valueAt(secret.arn, 'AWSCURRENT')).consumerKey).toBe(minted.consumerKey);
  });

  it('discards the minted set when the store write fails, leaving no orphan (I4)', async () => {
    // Prepare
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    const liveBefore = bench.sim.liveCredentials(secret.value.appId).length;
    const restore = bench.failOnce(PutSecretValueCommand.name);

    // Act
    const error = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);
    restore();

    // Assess
    expect(error).toBeInstanceOf(RotorError);
    expect((error as RotorError).category).toBe('partner-unavailable');
    expect(bench.sim.liveCredentials(secret.value.appId)).toHaveLength(liveBefore);
    await expect(
      bench.sm.send(
        new GetSecretValueCommand({ SecretId: secret.arn, VersionId: token, VersionStage: 'AWSPENDING' }),
      ),
    ).rejects.toThrow(/can't find/);
    // The retried rotation completes.
    await bench.runSteps(secret.arn, token);
    expect((await orgSnapshot(bench, secret.arn)).stages?.[token]).toEqual(['AWSCURRENT']);
  });

  it('ends succeeded under the org’s rate limit: refused calls are retried by the client (I4)', async () => {
    // Prepare
    const secret = await bench.createSecret();
    bench.sim.setRateLimit({ requestsPerSecond: 4, burst: 2 });
    bench.sim.clearRequests();

    // Act
    const token = await bench.rotate(secret);

    // Assess
    const refused = bench.sim.requests().filter((r) => r.status === 403 || r.status === 400);
    expect(refused.length).toBeGreaterThan(0);
    expect((await orgSnapshot(bench, secret.arn)).stages?.[token]).toEqual(['AWSCURRENT']);
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    expect(bench.sim.authenticates(current.consumerKey!, current.consumerSecret!)).toBe(true);
    expect(bench.sim.liveCredentials(secret.value.appId).length).toBeLessThanOrEqual(
      manifest.maxLiveCredentials,
    );
    const posts = bench.sim.requests().filter((r) => r.method === 'POST' && r.status === 201);
    expect(posts).toHaveLength(1);
  });

  it('fails throttled when the limit outlasts the client’s retries; retried, the rotation ends succeeded with no orphan (I4)', async () => {
    // Prepare: the org admits the first four calls (createSecret's three, testSecret's token), then nothing.
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    bench.sim.setRateLimit({ requestsPerSecond: 0.001, burst: 4 });
    bench.sim.clearRequests();
    const failed = await bench.runUntilFailure(secret.arn, token);
    const liveWhileFailed = bench.sim.liveCredentials(secret.value.appId).length;

    // Act: the limit has cleared; the failed step and those after it run again with the same token.
    bench.sim.setRateLimit(undefined);
    await bench.runSteps(
      secret.arn,
      token,
      ROTATION_STEPS.slice(ROTATION_STEPS.indexOf(failed?.step as never)),
    );

    // Assess
    expect(failed?.error).toBeInstanceOf(ThrottledError);
    // After the staged set was minted: the case an orphan could come from.
    expect(failed?.step).toBe('finishSecret');
    expect(liveWhileFailed).toBe(2);
    expect((await orgSnapshot(bench, secret.arn)).stages?.[token]).toEqual(['AWSCURRENT']);
    expect(bench.sim.liveCredentials(secret.value.appId).length).toBeLessThanOrEqual(
      manifest.maxLiveCredentials,
    );
    const posts = bench.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/staged'));
    expect(posts).toHaveLength(1);
  });

  it('rotates with an admin secret: the admin pair performs the calls and is left alone', async () => {
    // Prepare
    const seed = bench.sim.seed;
    const admin = await createSalesforceSecret(bench, {
      value: { ...seed.admin, baseUri: seed.baseUri },
      name: `sf/admin-${Date.now()}`,
    });
    const secret = await bench.createSecret({
      metadata: { apiVersion: seed.apiVersion, adminSecretArn: admin.arn },
    });
    const before = await bench.valueAt(secret.arn, 'AWSCURRENT');

    // Act
    await bench.rotate(secret);

    // Assess
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    expect(current.consumerKey).not.toBe(before.consumerKey);
    expect(bench.sim.authenticates(current.consumerKey!, current.consumerSecret!)).toBe(true);
    expect(bench.sim.authenticates(seed.admin.consumerKey, seed.admin.consumerSecret)).toBe(true);
    expect(await bench.valueAt(admin.arn, 'AWSCURRENT')).toMatchObject({
      consumerKey: seed.admin.consumerKey,
    });
  });

  it('re-authenticates when the session expires mid-rotation (401)', async () => {
    // Prepare
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    await bench.engine.run(stepEvent(secret.arn, token, 'createSecret'));
    bench.sim.expireAllTokens();

    // Act
    await bench.runSteps(secret.arn, token, ROTATION_STEPS.slice(1));

    // Assess
    expect((await orgSnapshot(bench, secret.arn)).stages?.[token]).toEqual(['AWSCURRENT']);
  });

  it('revokes the old pair only after the grace period, never the current one (I5)', async () => {
    // Prepare
    const secret = await bench.createSecret();
    await bench.rotate(secret);
    const previous = await bench.valueAt(secret.arn, 'AWSPREVIOUS');
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');

    // Act
    const early = await bench.engine.revokePrevious(secret.arn);
    bench.advance((DEFAULT_GRACE_PERIOD_SECONDS + 1) * 1000);
    const late = await bench.engine.revokePrevious(secret.arn);
    const again = await bench.engine.revokePrevious(secret.arn);

    // Assess
    expect(early.reason).toBe('grace-period');
    expect(late).toEqual({ revoked: true, reason: 'revoked' });
    expect(again.revoked).toBe(false);
    expect(bench.sim.authenticates(previous.consumerKey!, previous.consumerSecret!)).toBe(false);
    expect(bench.sim.authenticates(current.consumerKey!, current.consumerSecret!)).toBe(true);
  });

  it('makes room in the staged slot on the next rotation once the grace period is over', async () => {
    // Prepare
    const secret = await bench.createSecret();
    await bench.rotate(secret);
    const first = await bench.valueAt(secret.arn, 'AWSPREVIOUS');

    // Act: too early (the slot still holds the previous pair), then re-driven after the grace period
    const token = await bench.startRotation(secret);
    const tooEarly = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);
    bench.advance((DEFAULT_GRACE_PERIOD_SECONDS + 1) * 1000);
    await bench.runSteps(secret.arn, token);

    // Assess
    expect(tooEarly).toBeInstanceOf(RotorError);
    expect((tooEarly as RotorError).category).toBe('conflict');
    expect((tooEarly as Error).message).toMatch(/grace period/);
    expect((await orgSnapshot(bench, secret.arn)).stages?.[token]).toEqual(['AWSCURRENT']);
    expect(bench.sim.authenticates(first.consumerKey!, first.consumerSecret!)).toBe(false);
  });

  describe('failures are typed and change nothing', () => {
    async function expectUnchanged(arn: string, run: () => Promise<unknown>) {
      const before = await orgSnapshot(bench, arn);
      const error = await run().catch((e: unknown) => e);
      expect(await orgSnapshot(bench, arn)).toEqual(before);
      return error;
    }

    it('403: REST access to consumer secrets switched off → permission-denied', async () => {
      // Prepare
      const secret = await bench.createSecret();
      const token = await bench.startRotation(secret);
      bench.sim.setRestSecretAccess(false);

      // Act
      const error = await expectUnchanged(secret.arn, () =>
        bench.engine.run(stepEvent(secret.arn, token, 'createSecret')),
      );

      // Assess
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect((error as Error).message).toMatch(/Allow access to External Client App consumer secrets/);
    });

    it('401: a wrong consumer secret → credential-rejected', async () => {
      // Prepare
      const app = bench.sim.addApp(`RotorTestApp${++apps}`);
      const secret = await createSalesforceSecret(bench, {
        value: { ...app, consumerSecret: 'WRONGSECRET0000000000', baseUri: bench.sim.seed.baseUri },
      });
      const token = await bench.startRotation(secret);

      // Act
      const error = await expectUnchanged(secret.arn, () =>
        bench.engine.run(stepEvent(secret.arn, token, 'createSecret')),
      );

      // Assess
      expect(error).toBeInstanceOf(CredentialRejectedError);
      expect((error as Error).message).not.toContain('WRONGSECRET0000000000');
    });

    it.each([
      ['a non-Salesforce host', 'https://login.evil.example.com'],
      ['plain http', 'http://acme.my.salesforce.com'],
      ['the metadata service', 'https://169.254.169.254'],
    ])('bad baseUri (%s) → invalid-configuration before any request', async (_name, baseUri) => {
      // Prepare
      const seed = bench.sim.seed;
      const secret = await createSalesforceSecret(bench, {
        value: {
          consumerKey: seed.consumerKey,
          consumerSecret: 'x'.repeat(20),
          baseUri,
          appId: seed.appId,
          consumerId: seed.consumerId,
        },
      });
      const token = await bench.startRotation(secret);
      bench.sim.clearRequests();

      // Act
      const error = await expectUnchanged(secret.arn, () =>
        bench.engine.run(stepEvent(secret.arn, token, 'createSecret')),
      );

      // Assess
      expect(error).toBeInstanceOf(InvalidConfigurationError);
      expect((error as InvalidConfigurationError).field).toBe('baseUri');
      expect(bench.sim.requests()).toHaveLength(0);
    });

    it('a redirect from the partner host is never followed (I8)', async () => {
      // Prepare: "Salesforce" answers every call with a redirect to another loopback server.
      let targetHits = 0;
      const target = createServer((_request, response) => {
        targetHits += 1;
        response.end('{}');
      });
      const redirector = createServer((_request, response) => {
        const { port } = target.address() as AddressInfo;
        response.writeHead(302, { location: `http://127.0.0.1:${port}/latest/meta-data/` }).end();
      });
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
      await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
      const app = bench.sim.addApp(`RotorTestApp${++apps}`);
      const baseUri = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
      const secret = await createSalesforceSecret(bench, { value: { ...app, baseUri } });
      const token = await bench.startRotation(secret);

      // Act
      const error = await expectUnchanged(secret.arn, () =>
        bench.engine.run(stepEvent(secret.arn, token, 'createSecret')),
      ).finally(() => {
        target.close();
        redirector.close();
      });

      // Assess
      expect(error).toBeInstanceOf(InvalidConfigurationError);
      expect((error as Error).message).toMatch(/redirect, which Rotor never follows/);
      expect(targetHits).toBe(0);
    });

    it('the simulator URL is refused when simulator mode is off', async () => {
      // Prepare
      const strict = await startSalesforceBench({ simulatorMode: false });
      try {
        const secret = await createSalesforceSecret(strict);
        const token = await strict.startRotation(secret);

        // Act
        const error = await strict.engine
          .run(stepEvent(secret.arn, token, 'createSecret'))
          .catch((e: unknown) => e);

        // Assess
        expect(error).toBeInstanceOf(InvalidConfigurationError);
        expect((error as Error).message).toMatch(/simulator mode/);
        expect(strict.sim.requests()).toHaveLength(0);
      } finally {
        await strict.close();
      }
    });

    it('an apiVersion below v65.0 → invalid-configuration', async () => {
      // Prepare
      const secret = await bench.createSecret({ metadata: { apiVersion: 'v64.0' } });
      const token = await bench.startRotation(secret);

      // Act
      const error = await expectUnchanged(secret.arn, () =>
        bench.engine.run(stepEvent(secret.arn, token, 'createSecret')),
      );

      // Assess
      expect(error).toBeInstanceOf(InvalidConfigurationError);
      expect((error as Error).message).toMatch(/apiVersion/);
    });
  });
});
