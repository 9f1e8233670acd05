/**
 * Repair of stuck rotations, for every catalog partner: finish what tests good, discard what the
 * source rejects, clear an empty pending version, wait out transient failures — and never touch
 * the credential under AWSCURRENT.
 */
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWSCURRENT, AWSPENDING } from '../../src/aws/secret-store.ts';
import { ConflictError } from '../../src/engine/errors.ts';
import { RotationRepair } from '../../src/engine/repair.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import type { SecretValue } from '../../src/runtime/partner.ts';
import { type BenchSecret, type FaultBench, NO_GRACE, startBench } from '../support/bench.ts';
import { vettedPartners } from '../support/catalog-partners.ts';

/** A credential of the right shape that the source does not know: each secret field changed. */
/**
 * A well-formed credential the source does not know. Text secrets change by one character; a key
 * pair cannot (it would no longer parse), so a PEM key pair comes from another fresh account.
 */
function unknownCredential(
  value: SecretValue,
  sensitiveFields: readonly string[],
  other: SecretValue,
): SecretValue {
  const changed = { ...value };
  for (const field of sensitiveFields) {
    const text = value[field];
    if (typeof text !== 'string') continue;
    if (/PRIVATE KEY/.test(text)) {
      changed[field] = other[field];
      if (typeof other.publicKey === 'string') changed.publicKey = other.publicKey;
      continue;
    }
    changed[field] = `${text.slice(0, -1)}${text.at(-1) === 'A' ? 'B' : 'A'}`;
  }
  return changed;
}

for (const manifest of await vettedPartners()) {
  describe(`Class: RotationRepair (${manifest.type})`, () => {
    let bench: FaultBench;
    beforeAll(async () => {
      bench = await startBench(manifest, { faults: true, logger: silentLogger });
    });
    afterAll(async () => {
      await bench.close();
    });

    const repairWith = (stuckAfterSeconds = 0) =>
      new RotationRepair({
        engine: bench.newEngine(),
        clients: bench.clients,
        secretsManager: bench.sm,
        stuckAfterSeconds,
        now: bench.now,
      });

    async function stuckAfterCreate(): Promise<{ secret: BenchSecret; token: string }> {
      const secret = await bench.createSecret({ metadata: NO_GRACE });
      const token = await bench.startRotation(secret);
      await bench.newEngine().run({ Step: 'createSecret', SecretId: secret.arn, ClientRequestToken: token });
      return { secret, token };
    }

    it('finishes a stuck rotation whose pending credential tests good at the source', async () => {
      // Prepare
      const { secret, token } = await stuckAfterCreate();
      const repair = repairWith();

      // Act
      const findings = await repair.find(secret.arn);
      const results = await repair.applyAll(findings);

      // Assess
      expect(findings.map((f) => [f.kind, f.versionId])).toEqual([['stuck-rotation', token]]);
      expect(results.map((r) => r.outcome)).toEqual(['finished']);
      expect((await bench.stages(secret.arn))[token]).toEqual([AWSCURRENT]);
      expect(await bench.authenticates(await bench.valueAt(secret.arn, AWSCURRENT))).toBe(true);
    });

    it('reports a pending rotation only once it is older than the threshold', async () => {
      // Prepare
      const { secret } = await stuckAfterCreate();
      const repair = repairWith(600);

      // Act
      const young = await repair.find(secret.arn);
      bench.advance(601_000);
      const old = await repair.find(secret.arn);

      // Assess
      expect(young).toEqual([]);
      expect(old).toHaveLength(1);
      expect(old[0]?.ageSeconds).toBeGreaterThanOrEqual(600);
    });

    it('finishes with, or discards, a pending credential the source does not hold, never breaking AWSCURRENT', async () => {
      // Prepare
      const secret = await bench.createSecret({ metadata: NO_GRACE });
      const token = await bench.startRotation(secret);
      await bench.sm.send(
        new PutSecretValueCommand({
          SecretId: secret.arn,
          ClientRequestToken: token,
          SecretString: JSON.stringify(
            unknownCredential(
              secret.value,
              manifest.sensitiveFields,
              (await bench.sim.probe.freshSecret()).value,
            ),
          ),
          VersionStages: [AWSPENDING],
        }),
      );
      const currentBefore = await bench.valueAt(secret.arn, AWSCURRENT);
      const repair = repairWith();

      // Act
      const results = await repair.applyAll(await repair.find(secret.arn));

      // Assess: a partner whose setSecret installs the pending credential (Snowflake sets the
      // public key in the free slot) makes it good, so the safe fix is to finish; one whose
      // credentials are minted only at the source (Salesforce) rejects it, so it is discarded.
      const outcomes = results.map((r) => [r.outcome, r.reason?.category]);
      if (outcomes[0]?.[0] === 'finished') {
        expect(outcomes).toEqual([['finished', undefined]]);
        expect((await bench.stages(secret.arn))[token]).toEqual(['AWSCURRENT']);
        const current = await bench.valueAt(secret.arn, AWSCURRENT);
        expect(await bench.authenticates(current)).toBe(true);
        expect(await bench.liveCredentials(current)).toBeLessThanOrEqual(manifest.maxLiveCredentials);
        return;
      }
      expect(outcomes).toEqual([['discarded', 'credential-rejected']]);
      expect((await bench.stages(secret.arn))[token]).toBeUndefined();
      expect(await bench.valueAt(secret.arn, AWSCURRENT)).toEqual(currentBefore);
      expect(await bench.authenticates(currentBefore)).toBe(true);
      expect(await bench.liveCredentials(currentBefore)).toBe(1);
    });

    it('clears AWSPENDING from a pending version without a value, and the next rotation succeeds', async () => {
      // Prepare: the rotation died before createSecret stored anything.
      const secret = await bench.createSecret({ metadata: NO_GRACE });
      const token = await bench.startRotation(secret);
      const repair = repairWith();

      // Act
      const findings = await repair.find(secret.arn);
      const results = await repair.applyAll(findings);
      const next = await bench.startRotation(secret);
      for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'])
        await bench.newEngine().run({ Step, SecretId: secret.arn, ClientRequestToken: next });

      // Assess
      expect(findings.map((f) => f.kind)).toEqual(['pending-without-value']);
      expect(results.map((r) => r.outcome)).toEqual(['label-cleared']);
      expect((await bench.stages(secret.arn))[token]).toBeUndefined();
      expect((await bench.stages(secret.arn))[next]).toEqual([AWSCURRENT]);
    });

    it('changes nothing and says "retry later" while Secrets Manager is unavailable', async () => {
      // Prepare
      const { secret } = await stuckAfterCreate();
      const repair = repairWith();
      const findings = await repair.find(secret.arn);
      const before = await bench.storeSnapshot(secret.arn);

      // Act
      bench.plan.outage('server-error');
      const results = await repair.applyAll(findings).finally(() => bench.plan.reset());

      // Assess
      expect(results.map((r) => [r.outcome, r.reason?.category])).toEqual([
        ['retry-later', 'partner-unavailable'],
      ]);
      expect(await bench.storeSnapshot(secret.arn)).toBe(before);
    });

    it('refuses to discard the version under AWSCURRENT', async () => {
      // Prepare
      const secret = await bench.createSecret({ metadata: NO_GRACE });
      const currentVersion = Object.keys(await bench.stages(secret.arn))[0] ?? '';
      const before = await bench.storeSnapshot(secret.arn);

      // Act
      const attempt = bench.newEngine().discardPending(secret.arn, currentVersion);

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      expect(await bench.storeSnapshot(secret.arn)).toBe(before);
      expect(await bench.authenticates(secret.value)).toBe(true);
    });
  });
}
