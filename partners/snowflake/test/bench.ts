/**
 * The generic rotation bench (`test/support/bench.ts`) on the Snowflake simulator, typed so that
 * Snowflake suites reach its users, key slots, faults and request log, plus two key pairs made
 * once for new users. The simulator's URL reaches the rotator the way the local stack passes it
 * (`simulatorUrls`, i.e. `ROTOR_SIMULATOR_URLS`), since the secret holds only an account name.
 */
import { type Bench, type BenchSecret, startBench } from '../../../test/support/bench.ts';
import { type GeneratedKeyPair, generateRsaKeyPair } from '../keys.ts';
import manifest from '../manifest.ts';
import { SnowflakeSimulator } from '../simulator/index.ts';
import type { SnowflakeSecret } from '../types.ts';

export interface SnowflakeBench extends Bench<SnowflakeSimulator, SnowflakeSecret> {
  /** Two distinct key pairs for new users (2048-bit generation is slow on small machines). */
  readonly keyPairs: [GeneratedKeyPair, GeneratedKeyPair];
}

/** A bench on a new Snowflake simulator. */
export async function startSnowflakeBench(): Promise<SnowflakeBench> {
  const [bench, first, second] = await Promise.all([
    startBench<SnowflakeSimulator, SnowflakeSecret>(manifest, {
      startSimulator: () => SnowflakeSimulator.start(),
    }),
    generateRsaKeyPair({ encrypt: false }),
    generateRsaKeyPair({ encrypt: false }),
  ]);
  const keyPairs: SnowflakeBench['keyPairs'] = [first, second];
  return Object.assign(bench, { keyPairs });
}

let users = 0;

/**
 * A secret for a new simulator user (so every test starts clean) holding the bench's first key
 * pair rather than a new one (which the probe's `freshSecret` would generate), or for `value`.
 */
export async function createSnowflakeSecret(
  bench: SnowflakeBench,
  options: { metadata?: Record<string, string>; value?: Record<string, unknown> } = {},
): Promise<BenchSecret<SnowflakeSecret>> {
  users += 1;
  const value =
    options.value ?? (await bench.sim.createUser(`ROTOR_TEST_USER_${users}`, { keyPair: bench.keyPairs[0] }));
  return bench.createSecret({ value, metadata: options.metadata ?? {} });
}
