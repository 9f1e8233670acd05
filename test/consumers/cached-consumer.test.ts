/**
 * Consumers keep working (I1 for cached consumers): an application that caches the secret for a
 * TTL, as the Secrets Manager Agent does (300 s), and authenticates at the source on every tick,
 * never fails across repeated rotations when the grace period is at least its TTL. A grace
 * period shorter than a declared consumer TTL is refused. Virtual clock; every catalog partner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_TTL_KEY, GRACE_PERIOD_KEY } from '../../src/aws/resolver.ts';
import { AWSCURRENT } from '../../src/aws/secret-store.ts';
import { InvalidConfigurationError } from '../../src/engine/errors.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import type { SecretValue } from '../../src/runtime/partner.ts';
import { type Bench, type BenchSecret, startBench } from '../support/bench.ts';
import { vettedPartners } from '../support/catalog-partners.ts';

/** The Secrets Manager Agent's default cache TTL. */
const AGENT_TTL_SECONDS = 300;
const TICK_SECONDS = 10;

/** A consumer that reads AWSCURRENT at most once per TTL and uses its cached copy in between. */
class CachedConsumer {
  #cached: { value: SecretValue; fetchedAt: number } | undefined;
  failures = 0;
  fetches = 0;

  constructor(
    private readonly bench: Bench,
    private readonly arn: string,
    private readonly ttlSeconds: number,
  ) {}

  async tick(): Promise<void> {
    const now = this.bench.now().getTime();
    if (!this.#cached || now - this.#cached.fetchedAt >= this.ttlSeconds * 1000) {
      this.#cached = { value: await this.bench.valueAt(this.arn, AWSCURRENT), fetchedAt: now };
      this.fetches += 1;
    }
    if (!(await this.bench.authenticates(this.#cached.value))) this.failures += 1;
  }
}

/**
 * Runs `rotations` rotations 20 minutes apart; the consumer ticks every 10 s and Rotor tries to
 * revoke the previous credential every minute (it does once the grace period is over).
 */
async function live(bench: Bench, secret: BenchSecret, consumer: CachedConsumer, rotations: number) {
  const engine = bench.newEngine();
  let revoked = 0;
  for (let rotation = 0; rotation < rotations; rotation += 1) {
    const token = await bench.startRotation(secret);
    for (const Step of ROTATION_STEPS)
      await engine.run({ Step, SecretId: secret.arn, ClientRequestToken: token });
    for (let t = 0; t < 1200; t += TICK_SECONDS) {
      bench.advance(TICK_SECONDS * 1000);
      await consumer.tick();
      if (t % 60 === 0 && (await engine.revokePrevious(secret.arn)).revoked) revoked += 1;
    }
  }
  return { revoked };
}

for (const manifest of await vettedPartners()) {
  describe(`Class: CachedConsumer against ${manifest.type}`, () => {
    let bench: Bench;
    beforeAll(async () => {
      bench = await startBench(manifest, { faults: true, logger: silentLogger });
    });
    afterAll(async () => {
      await bench.close();
    });

    it('keeps authenticating through repeated rotations when the grace period covers its TTL', async () => {
      // Prepare
      const secret = await bench.createSecret({
        metadata: {
          [GRACE_PERIOD_KEY]: String(AGENT_TTL_SECONDS),
          [CONSUMER_TTL_KEY]: String(AGENT_TTL_SECONDS),
        },
      });
      const consumer = new CachedConsumer(bench, secret.arn, AGENT_TTL_SECONDS);
      await consumer.tick();

      // Act
      const { revoked } = await live(bench, secret, consumer, 3);

      // Assess
      expect(consumer.failures).toBe(0);
      expect(revoked).toBe(3);
      expect(consumer.fetches).toBeGreaterThan(3);
    });

    it('fails when an undeclared consumer caches longer than the grace period (why the check exists)', async () => {
      // Prepare: no consumer TTL declared, so nothing stops a 60 s grace period.
      const secret = await bench.createSecret({ metadata: { [GRACE_PERIOD_KEY]: '60' } });
      const consumer = new CachedConsumer(bench, secret.arn, AGENT_TTL_SECONDS);
      await consumer.tick();

      // Act
      await live(bench, secret, consumer, 2);

      // Assess
      expect(consumer.failures).toBeGreaterThan(0);
    });

    it('refuses a grace period shorter than the declared consumer TTL, naming both, changing nothing', async () => {
      // Prepare
      const secret = await bench.createSecret({
        metadata: { [GRACE_PERIOD_KEY]: '60', [CONSUMER_TTL_KEY]: String(AGENT_TTL_SECONDS) },
      });
      const token = await bench.startRotation(secret);
      const before = await bench.storeSnapshot(secret.arn);
      const liveBefore = await bench.liveCredentials(secret.value);

      // Act
      const attempt = bench
        .newEngine()
        .run({ Step: 'createSecret', SecretId: secret.arn, ClientRequestToken: token });

      // Assess
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidConfigurationError);
      expect((error as InvalidConfigurationError).field).toBe(GRACE_PERIOD_KEY);
      expect((error as Error).message).toContain(GRACE_PERIOD_KEY);
      expect((error as Error).message).toContain(CONSUMER_TTL_KEY);
      expect(await bench.storeSnapshot(secret.arn)).toBe(before);
      expect(await bench.liveCredentials(secret.value)).toBe(liveBefore);
    });

    it('refuses a declared consumer TTL longer than the default grace period', async () => {
      // Prepare
      const secret = await bench.createSecret({ metadata: { [CONSUMER_TTL_KEY]: '7200' } });
      const token = await bench.startRotation(secret);

      // Act
      const attempt = bench
        .newEngine()
        .run({ Step: 'createSecret', SecretId: secret.arn, ClientRequestToken: token });

      // Assess
      await expect(attempt).rejects.toThrow(
        /rotor:grace-period \(3600 s, the default\) is shorter than rotor:consumer-ttl \(7200 s\)/,
      );
    });
  });
}
