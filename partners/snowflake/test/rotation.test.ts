/**
 * The engine rotating SnowflakeKeyPairAuthentication secrets stored in the local Secrets Manager
 * endpoint against the Snowflake simulator, over HTTP with the real SDK.
 */
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRACE_PERIOD_SECONDS } from '../../../src/engine/engine.ts';
import {
  ConflictError,
  CredentialRejectedError,
  InvalidConfigurationError,
  PermissionDeniedError,
  RotorError,
  ThrottledError,
} from '../../../src/engine/errors.ts';
import { ROTATION_STEPS } from '../../../src/engine/event.ts';
import { assertValid } from '../../../src/runtime/validation.ts';
import { ROTATION_TOKEN, stepEvent } from '../../../test/support/bench.ts';
import { pemBody } from '../keys.ts';
import manifest from '../manifest.ts';
import { createSnowflakeSecret, type SnowflakeBench, startSnowflakeBench } from './bench.ts';

let bench: SnowflakeBench;

beforeAll(async () => {
  bench = await startSnowflakeBench();
});
afterAll(async () => {
  await bench.close();
});
afterEach(() => {
  bench.sim.clearFaults();
  bench.sim.setRateLimit(undefined);
});

const GRACE_MS = DEFAULT_GRACE_PERIOD_SECONDS * 1000;

function setStatements(): number {
  return bench.sim
    .requests()
    .filter((r) => /SET RSA_PUBLIC_KEY/.test(r.statement ?? '') && !/UNSET/.test(r.statement ?? '')).length;
}

async function snapshot(arn: string, value: { account: string; user: string }) {
  const versions: Record<string, string> = {};
  for (const stage of ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS']) {
    versions[stage] = JSON.stringify(await bench.findValue(arn, stage));
  }
  return { versions, slots: bench.sim.slots(value.account, value.user) };
}

describe('Partner: SnowflakeKeyPairAuthentication (engine over HTTP)', () => {
  it('rotates end to end: the new key under AWSCURRENT and the old one under AWSPREVIOUS both log in', async () => {
    // Prepare
    const secret = await createSnowflakeSecret(bench);

    // Act
    await bench.rotate(secret);

    // Assess
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    const previous = await bench.valueAt(secret.arn, 'AWSPREVIOUS');
    expect(previous).toEqual(secret.value);
    expect(current.privateKey).not.toBe(secret.value.privateKey);
    expect(current.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(current).not.toHaveProperty('passphrase');
    expect(() => assertValid(manifest.secretSchema, current, 'value')).not.toThrow();
    expect(bench.sim.authenticates(current)).toBe(true);
    expect(bench.sim.authenticates(previous)).toBe(true);
    expect(bench.sim.liveKeys(current.account, current.user)).toBe(manifest.maxLiveCredentials);
  });

  it('changes nothing when each step is re-run, and sets one key per token (I3)', async () => {
    // Prepare
    const secret = await createSnowflakeSecret(bench);
    const token = await bench.startRotation(secret);
    bench.sim.clearRequests();

    // Act
    const pairs: [unknown, unknown][] = [];
    for (const step of ROTATION_STEPS) {
      await bench.engine.run(stepEvent(secret.arn, token, step));
      const once = await snapshot(secret.arn, secret.value);
      await bench.engine.run(stepEvent(secret.arn, token, step));
      pairs.push([once, await snapshot(secret.arn, secret.value)]);
    }

    // Assess
    for (const [once, twice] of pairs) expect(twice).toEqual(once);
    expect(setStatements()).toBe(1);
    expect(bench.sim.authenticates(await bench.valueAt(secret.arn, 'AWSCURRENT'))).toBe(true);
  });

  it('overwrites the key of a create that crashed before its store write, never adding a third (I3, I4)', async () => {
    // Prepare: the create hook ran (a key is set) but the process died before PutSecretValue.
    const secret = await createSnowflakeSecret(bench);
    const token = await bench.startRotation(secret);
    const rotator = await manifest.loadRotator();
    const { pending: lost } = await rotator.create(
      { current: secret.value },
      bench.hookContext(secret, token),
    );
    expect(bench.sim.liveKeys(secret.value.account, secret.value.user)).toBe(2);

    // Act
    await bench.runSteps(secret.arn, token);

    // Assess
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    expect(current.privateKey).not.toBe(lost.privateKey);
    expect(bench.sim.authenticates(lost)).toBe(false);
    expect(bench.sim.authenticates(current)).toBe(true);
    expect(bench.sim.authenticates(secret.value)).toBe(true);
    expect(bench.sim.liveKeys(secret.value.account, secret.value.user)).toBe(2);
  });

  it('unsets the new key when the store write fails, and the retried rotation completes (I4)', async () => {
    // Prepare
    const secret = await createSnowflakeSecret(bench);
    const token = await bench.startRotation(secret);
    const restore = bench.failOnce(PutSecretValueCommand.name);

    // Act
    const error = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);
    restore();

    // Assess
    expect(error).toBeInstanceOf(RotorError);
    expect(bench.sim.liveKeys(secret.value.account, secret.value.user)).toBe(1);
    await expect(
      bench.sm.send(
        new GetSecretValueCommand({ SecretId: secret.arn, VersionId: token, VersionStage: 'AWSPENDING' }),
      ),
    ).rejects.toThrow(/can't find/);
    await bench.runSteps(secret.arn, token);
    expect(bench.sim.authenticates(await bench.valueAt(secret.arn, 'AWSCURRENT'))).toBe(true);
  });

  it('revokes the old key only after the grace period, never the current one (I5)', async () => {
    // Prepare
    const secret = await createSnowflakeSecret(bench);
    await bench.rotate(secret);
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');

    // Act
    const early = await bench.engine.revokePrevious(secret.arn);
    const stillValid = bench.sim.authenticates(secret.value);
    bench.advance(GRACE_MS + 1000);
    const late = await bench.engine.revokePrevious(secret.arn);
    const again = await bench.engine.revokePrevious(secret.arn);

    // Assess
    expect(early.reason).toBe('grace-period');
    expect(stillValid).toBe(true);
    expect(late).toEqual({ revoked: true, reason: 'revoked' });
    expect(again.revoked).toBe(false);
    expect(bench.sim.authenticates(secret.value)).toBe(false);
    expect(bench.sim.authenticates(current)).toBe(true);
    expect(bench.sim.liveKeys(current.account, current.user)).toBe(1);
  });

  it('refuses to overwrite the previous key during its grace period, then reuses its slot (I5)', async () => {
    // Prepare
    const secret = await createSnowflakeSecret(bench);
    await bench.rotate(secret);
    const first = await bench.valueAt(secret.arn, 'AWSCURRENT');

    // Act
    const token = await bench.startRotation(secret);
    const early = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);
    bench.advance(GRACE_MS + 1000);
    await bench.runSteps(secret.arn, token);

    // Assess
    expect(early).toBeInstanceOf(ConflictError);
    expect((early as Error).message).toMatch(/grace period/);
    expect(bench.sim.authenticates(secret.value)).toBe(false);
    expect(bench.sim.authenticates(first)).toBe(true);
    expect(bench.sim.authenticates(await bench.valueAt(secret.arn, 'AWSCURRENT'))).toBe(true);
    expect(bench.sim.liveKeys(first.account, first.user)).toBe(2);
  });

  it('stores the new private key encrypted with a generated passphrase when encryptPrivateKey is "true"', async () => {
    // Prepare
    const secret = await createSnowflakeSecret(bench, {
      metadata: { encryptPrivateKey: 'true', cryptographicAlgorithm: 'RS512' },
    });

    // Act
    await bench.rotate(secret);
    const encrypted = await bench.valueAt(secret.arn, 'AWSCURRENT');
    bench.advance(GRACE_MS + 1000);
    await bench.rotate({ ...secret, metadata: { encryptPrivateKey: 'false' } });
    const plain = await bench.valueAt(secret.arn, 'AWSCURRENT');

    // Assess
    expect(encrypted.privateKey).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(encrypted.passphrase).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(bench.sim.authenticates(encrypted)).toBe(true);
    expect(bench.sim.authenticates({ ...encrypted, passphrase: 'wrong-passphrase' })).toBe(false);
    expect(plain.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(plain).not.toHaveProperty('passphrase');
    expect(bench.sim.authenticates(plain)).toBe(true);
  });

  it('rotates a user whose name needs quoting, with keys stored without BEGIN/END lines', async () => {
    // Prepare
    const created = await bench.sim.createUser('etl.loader@example.com', { keyPair: bench.keyPairs[0] });
    const value = {
      ...created,
      privateKey: pemBody(created.privateKey),
      publicKey: pemBody(created.publicKey),
    };
    const secret = await createSnowflakeSecret(bench, { value });

    // Act
    await bench.rotate(secret);

    // Assess
    expect(bench.sim.authenticates(await bench.valueAt(secret.arn, 'AWSCURRENT'))).toBe(true);
    expect(bench.sim.requests().some((r) => r.statement?.includes('"etl.loader@example.com"'))).toBe(true);
  });

  it.each([
    ['an account that is a URL', { account: 'evil.example.com/x' }, 'account'],
    ['a user with a quote', { user: 'SVC"; DROP USER X; --' }, 'user'],
    ['a missing privateKey', { privateKey: undefined }, 'privateKey'],
    ['an unknown field', { role: 'ACCOUNTADMIN' }, 'role'],
  ])('rejects %s before any request (I6)', async (_name, change, field) => {
    // Prepare
    const base = await bench.sim.createUser(`BAD_VALUE_${field.toUpperCase()}`, {
      keyPair: bench.keyPairs[0],
    });
    const secret = await createSnowflakeSecret(bench, { value: { ...base, ...change } });
    const token = await bench.startRotation(secret);
    bench.sim.clearRequests();

    // Act
    const error = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as InvalidConfigurationError).field).toBe(field);
    expect(bench.sim.requests()).toEqual([]);
  });

  it("rejects a publicKey that is not the private key's own, and bad metadata, before any request (I6)", async () => {
    // Prepare
    const one = await bench.sim.createUser('MISMATCH_ONE', { keyPair: bench.keyPairs[0] });
    const other = await bench.sim.createUser('MISMATCH_TWO', { keyPair: bench.keyPairs[1] });
    const mismatched = await createSnowflakeSecret(bench, { value: { ...one, publicKey: other.publicKey } });
    const badMetadata = await createSnowflakeSecret(bench, { metadata: { encryptPrivateKey: 'yes' } });
    const tokens = [await bench.startRotation(mismatched), await bench.startRotation(badMetadata)];
    bench.sim.clearRequests();

    // Act
    const errors = [
      await bench.engine.run(stepEvent(mismatched.arn, tokens[0]!, 'createSecret')).catch((e: unknown) => e),
      await bench.engine.run(stepEvent(badMetadata.arn, tokens[1]!, 'createSecret')).catch((e: unknown) => e),
    ];

    // Assess
    expect(errors.map((e) => (e as InvalidConfigurationError).field)).toEqual([
      'publicKey',
      'encryptPrivateKey',
    ]);
    expect(bench.sim.requests()).toEqual([]);
  });

  it('fails with a typed error and changes nothing when the user may not alter itself', async () => {
    // Prepare
    const secret = await createSnowflakeSecret(bench);
    bench.sim.setCanAlterSelf(secret.value.account, secret.value.user, false);
    const token = await bench.startRotation(secret);

    // Act
    const error = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as Error).message).toMatch(/MODIFY PROGRAMMATIC AUTHENTICATION METHODS/);
    expect(bench.sim.liveKeys(secret.value.account, secret.value.user)).toBe(1);
  });

  it('ends succeeded under the account’s rate limit: refused statements are resubmitted by the client (I4)', async () => {
    // Prepare
    const secret = await createSnowflakeSecret(bench);
    bench.sim.setRateLimit({ requestsPerSecond: 4, burst: 2 });
    bench.sim.clearRequests();

    // Act
    await bench.rotate(secret);

    // Assess
    expect(bench.sim.requests().some((r) => r.status === 429)).toBe(true);
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    expect(bench.sim.authenticates(current)).toBe(true);
    expect(bench.sim.liveKeys(secret.value.account, secret.value.user)).toBeLessThanOrEqual(
      manifest.maxLiveCredentials,
    );
    expect(setStatements()).toBe(1);
  });

  it('fails throttled when the limit outlasts the client’s retries; retried, the rotation ends succeeded with no orphan (I4)', async () => {
    // Prepare: the account admits the first three statements, then (practically) nothing more.
    const secret = await createSnowflakeSecret(bench);
    const token = await bench.startRotation(secret);
    bench.sim.setRateLimit({ requestsPerSecond: 0.001, burst: 3 });
    bench.sim.clearRequests();
    const failed = await bench.runUntilFailure(secret.arn, token);
    const liveWhileFailed = bench.sim.liveKeys(secret.value.account, secret.value.user);

    // Act: the limit has cleared; the failed step and those after it run again with the same token.
    bench.sim.setRateLimit(undefined);
    await bench.runSteps(
      secret.arn,
      token,
      ROTATION_STEPS.slice(ROTATION_STEPS.indexOf(failed?.step as never)),
    );

    // Assess
    expect(failed?.error).toBeInstanceOf(ThrottledError);
    // After the new key was set: the case an orphan could come from.
    expect(failed?.step).not.toBe('createSecret');
    expect(liveWhileFailed).toBe(2);
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    expect(current.privateKey).not.toBe(secret.value.privateKey);
    expect(bench.sim.authenticates(current)).toBe(true);
    expect(bench.sim.liveKeys(secret.value.account, secret.value.user)).toBeLessThanOrEqual(
      manifest.maxLiveCredentials,
    );
    expect(setStatements()).toBe(1);
  });

  it('maps a throttled answer and a refused key onto their categories', async () => {
    // Prepare
    const secret = await createSnowflakeSecret(bench);
    const token = await bench.startRotation(secret);
    // Four times: the first answer and the client's three resubmissions.
    bench.sim.injectFault({
      match: { statementIncludes: 'DESC USER' },
      kind: 'status',
      status: 429,
      times: 4,
    });

    // Act
    const throttled = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);
    bench.sim.setKey(secret.value.account, secret.value.user, 'RSA_PUBLIC_KEY', undefined);
    const rejected = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);

    // Assess
    expect(throttled).toBeInstanceOf(ThrottledError);
    expect(rejected).toBeInstanceOf(CredentialRejectedError);
  });

  it('never writes a key, passphrase, JWT or RotationToken to logs or errors (I7)', async () => {
    // Prepare
    const secret = await createSnowflakeSecret(bench, { metadata: { encryptPrivateKey: 'true' } });
    bench.logs.length = 0;
    await bench.rotate(secret);
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    bench.sim.setKey(current.account, current.user, 'RSA_PUBLIC_KEY_2', undefined);
    bench.sim.setKey(current.account, current.user, 'RSA_PUBLIC_KEY', undefined);
    bench.advance(GRACE_MS + 1000);

    // Act
    const error = await bench.rotate(secret).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(CredentialRejectedError);
    const text = [
      ...bench.logs,
      JSON.stringify(error),
      (error as Error).message,
      (error as Error).stack,
    ].join('\n');
    for (const value of [secret.value, current]) {
      expect(text).not.toContain(pemBody(value.privateKey).slice(0, 40));
    }
    expect(text).not.toContain(current.passphrase);
    expect(text).not.toContain(ROTATION_TOKEN);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(bench.logs.length).toBeGreaterThan(0);
  });
});
