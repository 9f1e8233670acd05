/**
 * The one conformance suite, run over every catalog partner (the way ESLint's RuleTester runs every
 * rule): a full rotation, idempotent re-runs, a crash after each hook then the step re-driven, the
 * old credential valid until revoked, never more than `maxLiveCredentials` live, schema rejection
 * and no secret in logs. `rotor partner test <dir>` runs it against one plugin folder.
 */
import { PutSecretValueCommand, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidConfigurationError } from '../../src/engine/errors.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { PartnerCatalog } from '../../src/runtime/catalog.ts';
import type { PartnerRotatorV1, SecretValue } from '../../src/runtime/partner.ts';
import { type Bench, type BenchSecret, ROTATION_TOKEN, startBench, stepEvent } from '../support/bench.ts';
import { conformancePartners } from './partners.ts';

const HOUR_AND_A_BIT_MS = 3601 * 1000;

describe.each(conformancePartners())('Conformance: $name', (partner) => {
  let bench: Bench;
  let rotator: PartnerRotatorV1;
  let max: number;

  beforeAll(async () => {
    const manifest = await partner.load();
    // Its own catalog: `rotor partner test` runs this suite on a plugin that is not vetted yet.
    bench = await startBench(manifest, { catalog: new PartnerCatalog([manifest]) });
    rotator = await manifest.loadRotator();
    max = manifest.maxLiveCredentials;
  });
  afterAll(async () => {
    await bench?.close();
  });

  async function expectWithinLimit(secret: BenchSecret): Promise<void> {
    expect(await bench.sim.probe.liveCredentials(secret.value)).toBeLessThanOrEqual(max);
  }

  it('rotates fully, keeps the old credential valid until revoked, and stays within maxLiveCredentials', async () => {
    // Prepare
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    const live: number[] = [];

    // Act
    for (const step of ROTATION_STEPS) {
      await bench.engine.run(stepEvent(secret.arn, token, step));
      live.push(await bench.sim.probe.liveCredentials(secret.value));
    }
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    const previous = await bench.valueAt(secret.arn, 'AWSPREVIOUS');
    const early = await bench.engine.revokePrevious(secret.arn);
    const previousValidInGrace = await bench.sim.probe.authenticates(previous);
    bench.advance(HOUR_AND_A_BIT_MS);
    const outcome = await bench.engine.revokePrevious(secret.arn);
    live.push(await bench.sim.probe.liveCredentials(current));

    // Assess
    expect(current).not.toEqual(secret.value);
    expect(previous).toEqual(secret.value);
    expect(await bench.sim.probe.authenticates(current)).toBe(true);
    expect(early.reason).toBe('grace-period');
    expect(previousValidInGrace).toBe(true);
    expect(outcome).toEqual({ revoked: true, reason: 'revoked' });
    expect(await bench.sim.probe.authenticates(previous)).toBe(false);
    expect(await bench.sim.probe.authenticates(current)).toBe(true);
    for (const count of live) expect(count).toBeLessThanOrEqual(max);
  });

  it('changes nothing when each step is re-run', async () => {
    // Prepare
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);

    // Act
    const pairs: [unknown, unknown][] = [];
    for (const step of ROTATION_STEPS) {
      await bench.engine.run(stepEvent(secret.arn, token, step));
      const once = await bench.snapshot(secret);
      await bench.engine.run(stepEvent(secret.arn, token, step));
      pairs.push([once, await bench.snapshot(secret)]);
    }

    // Assess
    for (const [once, twice] of pairs) expect(twice).toEqual(once);
    expect((await bench.snapshot(secret)).stages?.[token]).toEqual(['AWSCURRENT']);
  });

  it('re-drives createSecret after a crash between create and the store write, minting no extra credential', async () => {
    // Prepare: the hook ran, the process died before PutSecretValue.
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    await rotator.create({ current: secret.value }, bench.hookContext(secret, token));

    // Act
    await bench.runSteps(secret.arn, token);

    // Assess
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    expect(await bench.sim.probe.authenticates(current)).toBe(true);
    await expectWithinLimit(secret);
  });

  it('re-drives createSecret after the store write fails, leaving no orphaned credential', async () => {
    // Prepare
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    const liveBefore = await bench.sim.probe.liveCredentials(secret.value);
    const restore = bench.failOnce(PutSecretValueCommand.name);

    // Act
    const error = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);
    restore();
    const liveAfterFailure = await bench.sim.probe.liveCredentials(secret.value);
    const pendingAfterFailure = await bench.hasPending(secret.arn, token);
    await bench.runSteps(secret.arn, token);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(liveAfterFailure).toBe(liveBefore);
    expect(pendingAfterFailure).toBe(false);
    expect(await bench.sim.probe.authenticates(await bench.valueAt(secret.arn, 'AWSCURRENT'))).toBe(true);
    await expectWithinLimit(secret);
  });

  it.each(['set', 'test'] as const)(
    're-drives the step after a crash right after the %s hook',
    async (hook) => {
      // Prepare
      const secret = await bench.createSecret();
      const token = await bench.startRotation(secret);
      await bench.runSteps(secret.arn, token, ROTATION_STEPS.slice(0, hook === 'set' ? 1 : 2));
      const pending = await bench.valueAt(secret.arn, 'AWSPENDING');
      const context = bench.hookContext(secret, token);
      if (hook === 'set') await rotator.set({ current: secret.value, pending }, context);
      else await rotator.test({ pending }, context);

      // Act
      await bench.runSteps(secret.arn, token, ROTATION_STEPS.slice(hook === 'set' ? 1 : 2));

      // Assess
      expect(await bench.valueAt(secret.arn, 'AWSCURRENT')).toEqual(pending);
      expect(await bench.sim.probe.authenticates(pending)).toBe(true);
      await expectWithinLimit(secret);
    },
  );

  it('re-drives finishSecret after a crash between promote and the stage move', async () => {
    // Prepare
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    await bench.runSteps(secret.arn, token, ROTATION_STEPS.slice(0, 3));
    const pending = await bench.valueAt(secret.arn, 'AWSPENDING');
    const restore = bench.failOnce(UpdateSecretVersionStageCommand.name);

    // Act
    const error = await bench.engine
      .run(stepEvent(secret.arn, token, 'finishSecret'))
      .catch((e: unknown) => e);
    restore();
    const oldStillValid = await bench.sim.probe.authenticates(secret.value);
    await bench.engine.run(stepEvent(secret.arn, token, 'finishSecret'));

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(oldStillValid).toBe(true);
    expect(await bench.valueAt(secret.arn, 'AWSCURRENT')).toEqual(pending);
    expect(await bench.sim.probe.authenticates(pending)).toBe(true);
    expect(await bench.sim.probe.authenticates(secret.value)).toBe(true);
    await expectWithinLimit(secret);
  });

  it('re-drives revocation after a crash right after the revoke hook', async () => {
    // Prepare
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    await bench.runSteps(secret.arn, token);
    const current = await bench.valueAt(secret.arn, 'AWSCURRENT');
    await rotator.revoke({ previous: secret.value, current }, bench.hookContext(secret, token));
    bench.advance(HOUR_AND_A_BIT_MS);

    // Act
    const outcome = await bench.engine.revokePrevious(secret.arn);

    // Assess
    expect(outcome.reason).toMatch(/^(revoked|already-gone)$/);
    expect(await bench.sim.probe.authenticates(secret.value)).toBe(false);
    expect(await bench.sim.probe.authenticates(current)).toBe(true);
    await expectWithinLimit(secret);
  });

  it('rejects a secret value with an unknown field before any change', async () => {
    // Prepare
    const secret = await bench.createSecret({
      value: (value: SecretValue) => ({ ...value, notAField: 'x' }),
    });
    const token = await bench.startRotation(secret);
    const before = await bench.snapshot(secret);

    // Act
    const error = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as InvalidConfigurationError).field).toBe('notAField');
    expect(await bench.snapshot(secret)).toEqual(before);
  });

  it('rejects rotation metadata with an unknown key before any change', async () => {
    // Prepare
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret, { ...secret.metadata, notAMetadataKey: 'x' });
    const before = await bench.snapshot(secret);

    // Act
    const error = await bench.engine
      .run(stepEvent(secret.arn, token, 'createSecret'))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as InvalidConfigurationError).field).toBe('notAMetadataKey');
    expect(await bench.snapshot(secret)).toEqual(before);
  });

  it('never logs a secret value or the RotationToken', async () => {
    // Prepare: the rotations above logged successes and failures; one more to be sure.
    const secret = await bench.createSecret();
    await bench.runSteps(secret.arn, await bench.startRotation(secret));
    await bench.valueAt(secret.arn, 'AWSCURRENT');
    const sensitive = bench.seenValues.flatMap((value) =>
      bench.manifest.sensitiveFields
        .map((field: string) => value[field])
        .filter((v) => typeof v === 'string'),
    ) as string[];

    // Act
    const logs = bench.logs.join('\n');

    // Assess
    expect(sensitive.length).toBeGreaterThan(0);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(ROTATION_TOKEN);
    for (const value of sensitive) expect(logs).not.toContain(value);
  });
});
