/**
 * Concurrency: many RotateSecret requests for one secret race at the local endpoint — exactly one
 * starts a rotation, the rest get the in-progress error — and rotations of different secrets
 * driven through the engine at the same time do not interfere. Every catalog partner.
 */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWSCURRENT, AWSPREVIOUS } from '../../src/aws/secret-store.ts';
import { RotorError } from '../../src/engine/errors.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { type Bench, NO_GRACE, startBench } from '../support/bench.ts';
import { vettedPartners } from '../support/catalog-partners.ts';

/** Every catalog partner: a new partner is raced without touching this file. */
const MANIFESTS = await vettedPartners();

const RACERS = 25;
const PARALLEL_SECRETS = 8;

describe('Function: RotateSecret (local endpoint, concurrent requests)', () => {
  let stack: LocalStack;
  let sm: SecretsManagerClient;
  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, simulatorPort: 0, demoSecrets: false });
    sm = new SecretsManagerClient({
      endpoint: stack.endpoint,
      region: stack.region,
      credentials: LOCAL_CREDENTIALS,
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  for (const manifest of MANIFESTS) {
    it(`lets exactly one of ${RACERS} concurrent requests rotate a ${manifest.type} secret`, async () => {
      // Prepare
      const { probe } = stack.simulators.find((s) => s.type === manifest.type)!.simulator;
      const fresh = await probe.freshSecret();
      const created = await sm.send(
        new CreateSecretCommand({
          Name: `race/${manifest.type}`,
          SecretString: JSON.stringify(fresh.value),
          Type: manifest.type,
          Tags: Object.entries(fresh.metadata).map(([key, Value]) => ({ Key: `rotor:meta:${key}`, Value })),
        }),
      );
      const arn = created.ARN ?? '';

      // Act
      const results = await Promise.allSettled(
        Array.from({ length: RACERS }, () => sm.send(new RotateSecretCommand({ SecretId: arn }))),
      );
      await stack.runner.idle();

      // Assess
      const winners = results.filter((r) => r.status === 'fulfilled');
      const losers = results.filter((r) => r.status === 'rejected').map((r) => r.reason as Error);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(RACERS - 1);
      for (const error of losers) {
        expect(error.name).toBe('InvalidRequestException');
        expect(error.message).toContain("A previous rotation isn't complete");
      }
      const versionId = winners[0]?.status === 'fulfilled' ? winners[0].value.VersionId : undefined;
      const stages = (await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages ?? {};
      expect(stages[versionId ?? '']).toEqual([AWSCURRENT]);
      expect(Object.keys(stages)).toHaveLength(2);
      expect(stack.runner.attempts(arn).map((a) => a.result)).toEqual(['succeeded']);
    });
  }
});

for (const manifest of MANIFESTS) {
  describe(`Class: RotationEngine (${manifest.type}, concurrent rotations of different secrets)`, () => {
    let bench: Bench;
    beforeAll(async () => {
      bench = await startBench(manifest, { faults: true, logger: silentLogger });
    });
    afterAll(async () => {
      await bench.close();
    });

    it(`rotates ${PARALLEL_SECRETS} secrets at once, each ending on its own tested credential`, async () => {
      // Prepare
      const secrets = await Promise.all(
        Array.from({ length: PARALLEL_SECRETS }, () => bench.createSecret({ metadata: NO_GRACE })),
      );
      const tokens = await Promise.all(secrets.map((secret) => bench.startRotation(secret)));

      // Act: one engine (one warm container) serving all rotations, steps interleaved.
      const engine = bench.newEngine();
      await Promise.all(
        secrets.map(async (secret, i) => {
          for (const Step of ROTATION_STEPS)
            await engine.run({ Step, SecretId: secret.arn, ClientRequestToken: tokens[i] });
        }),
      );

      // Assess
      const currents = [];
      for (const [i, secret] of secrets.entries()) {
        const stages = await bench.stages(secret.arn);
        expect(stages[tokens[i] ?? '']).toEqual([AWSCURRENT]);
        const current = await bench.valueAt(secret.arn, AWSCURRENT);
        expect(await bench.valueAt(secret.arn, AWSPREVIOUS)).toEqual(secret.value);
        expect(await bench.authenticates(current)).toBe(true);
        expect(await bench.authenticates(secret.value)).toBe(true);
        expect(await bench.liveCredentials(current)).toBeLessThanOrEqual(manifest.maxLiveCredentials);
        currents.push(JSON.stringify(current));
      }
      expect(new Set(currents).size).toBe(PARALLEL_SECRETS);
    });

    it('survives duplicate deliveries of createSecret racing for one token (I3, I4)', async () => {
      // Prepare
      const secret = await bench.createSecret({ metadata: NO_GRACE });
      const token = await bench.startRotation(secret);

      // Act: three containers get the same step at once, then Secrets Manager retries the rotation.
      const raced = await Promise.allSettled(
        [1, 2, 3].map(() =>
          bench.newEngine().run({ Step: 'createSecret', SecretId: secret.arn, ClientRequestToken: token }),
        ),
      );
      const liveAfterRace = await bench.liveCredentials(secret.value);
      const engine = bench.newEngine();
      for (const Step of ROTATION_STEPS)
        await engine.run({ Step, SecretId: secret.arn, ClientRequestToken: token });
      await engine.revokePrevious(secret.arn);

      // Assess
      expect(raced.some((r) => r.status === 'fulfilled')).toBe(true);
      for (const r of raced) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RotorError);
      expect(liveAfterRace).toBeLessThanOrEqual(manifest.maxLiveCredentials);
      expect((await bench.stages(secret.arn))[token]).toEqual([AWSCURRENT]);
      const current = await bench.valueAt(secret.arn, AWSCURRENT);
      expect(await bench.authenticates(current)).toBe(true);
      expect(await bench.liveCredentials(current)).toBe(1);
    });
  });
}
