/**
 * The hostile-input corpus (I6, I7): for every catalog partner, each bad value, metadata, type,
 * event or store request gets a typed error and changes nothing — Secrets Manager state
 * (ListSecretVersionIds, GetSecretValue) and the source (the probe's live credentials) compared
 * before and after. Every log line, event and error of the whole run is captured and searched
 * for every secret string used: none may appear.
 */
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWSPENDING } from '../../src/aws/secret-store.ts';
import { InvalidConfigurationError, RotorError } from '../../src/engine/errors.ts';
import { type RotationLogger, silentLogger } from '../../src/runtime/logger.ts';
import type { SecretValue } from '../../src/runtime/partner.ts';
import { type Bench, startBench } from '../support/bench.ts';
import { vettedPartners } from '../support/catalog-partners.ts';
import { type CorpusCase, corpusFor, LEAK_MARKER } from './cases.ts';

/** Sensitive: passed on every event, so it must never appear in any output. */
const ROTATION_TOKEN = `${LEAK_MARKER}-rotation-token-0000-1111-2222-3333-4444`;

/** Everything that leaves Rotor during the run: log lines, events, errors (message, stack, causes). */
const output: string[] = [];
const recorder: RotationLogger = {
  debug: (message, attributes) => output.push(JSON.stringify({ level: 'debug', message, ...attributes })),
  info: (message, attributes) => output.push(JSON.stringify({ level: 'info', message, ...attributes })),
  warn: (message, attributes) => output.push(JSON.stringify({ level: 'warn', message, ...attributes })),
  error: (message, attributes) => output.push(JSON.stringify({ level: 'error', message, ...attributes })),
};
const events = { publish: async (event: unknown) => void output.push(JSON.stringify(event)) };

function recordError(error: unknown): void {
  const seen = new Set<unknown>();
  for (let e = error; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    output.push(e.message, e.stack ?? '', JSON.stringify(e));
  }
}

/** Every string of a secret value: what must never leak. */
function secretStrings(value: SecretValue, fields: readonly string[]): string[] {
  return fields
    .map((field) => value[field])
    .filter((v): v is string => typeof v === 'string' && v.length >= 6);
}

let corpusSize = 0;
const secretsUsed = new Set<string>([ROTATION_TOKEN]);

for (const manifest of await vettedPartners()) {
  describe(`Function: RotationEngine.run on hostile input (${manifest.type})`, () => {
    let bench: Bench;
    let cases: CorpusCase[];
    beforeAll(async () => {
      bench = await startBench(manifest, { faults: true, logger: silentLogger });
      cases = corpusFor(manifest, (await bench.sim.probe.freshSecret()).value);
    });
    afterAll(async () => {
      await bench.close();
    });

    /** Runs one case; returns a failure description, or undefined when it held. */
    async function runCase(c: CorpusCase): Promise<string | undefined> {
      const fresh = await bench.createSecret();
      for (const s of secretStrings(fresh.value, manifest.sensitiveFields)) secretsUsed.add(s);
      const value = c.value ? c.value(fresh.value) : JSON.stringify(fresh.value);
      for (const found of value.match(new RegExp(`${LEAK_MARKER}[0-9a-z]+s3cr3t`, 'g')) ?? [])
        secretsUsed.add(found);
      // The hostile secret: same app at the source, hostile value and type in the store.
      const created = await bench.sm.send(
        new CreateSecretCommand({
          Name: `corpus/${fresh.arn.split(':').pop()}`,
          SecretString: value,
          Type: c.type ?? manifest.type,
        }),
      );
      const arn = created.ARN ?? '';
      const metadata = c.metadata
        ? c.metadata(Object.entries(fresh.metadata))
        : Object.entries(fresh.metadata);
      for (const [, v] of metadata) if (v.startsWith(LEAK_MARKER)) secretsUsed.add(v);
      const entries = metadata.map(([Key, Value]) => ({ Key, Value }));

      let token = '';
      if (!c.store) {
        token =
          (
            await bench.sm.send(
              new RotateSecretCommand({ SecretId: arn, ExternalSecretRotationMetadata: entries }),
            )
          ).VersionId ?? '';
      }
      const state = async () =>
        JSON.stringify([
          await bench.storeSnapshot(arn),
          await bench.liveCredentials(fresh.value),
          await bench.authenticates(fresh.value),
        ]);
      const before = await state();

      let error: unknown;
      try {
        if (c.store === 'rotation-rules') {
          await bench.sm.send(new RotateSecretCommand({ SecretId: arn, ...c.storeInput }));
        } else if (c.store === 'oversized-value') {
          await bench.sm.send(
            new PutSecretValueCommand({
              SecretId: arn,
              SecretString: 'x'.repeat(Number(c.storeInput?.size)),
              VersionStages: [AWSPENDING],
            }),
          );
        } else if (c.store === 'metadata-size') {
          await bench.sm.send(
            new RotateSecretCommand({
              SecretId: arn,
              ExternalSecretRotationMetadata: [{ Key: 'apiVersion', Value: String(c.storeInput?.Value) }],
            }),
          );
        } else {
          const engine = bench.newEngine({
            logger: recorder,
            events,
            simulatorMode: c.simulatorMode ?? true,
          });
          const ref = { arn, token, rotationToken: ROTATION_TOKEN };
          await engine.run(
            c.event
              ? c.event(ref)
              : {
                  Step: 'createSecret',
                  SecretId: arn,
                  ClientRequestToken: token,
                  RotationToken: ROTATION_TOKEN,
                },
          );
        }
      } catch (thrown) {
        error = thrown;
        recordError(thrown);
      }

      const after = await state();
      if (after !== before) return `${c.name}: state changed`;
      if (c.store) {
        return error instanceof SecretsManagerServiceException
          ? undefined
          : `${c.name}: no typed store error (${String(error)})`;
      }
      if (!(error instanceof RotorError)) return `${c.name}: no typed error (${String(error)})`;
      const category = c.category ?? 'invalid-configuration';
      if (error.category !== category)
        return `${c.name}: ${error.category} instead of ${category}: ${error.message}`;
      if (c.field && error instanceof InvalidConfigurationError && error.field !== c.field)
        return `${c.name}: field ${error.field} instead of ${c.field}: ${error.message}`;
      return undefined;
    }

    it('gives every hostile input a typed error and changes nothing in the store or at the source', async () => {
      // Act
      const failures: string[] = [];
      for (const c of cases) {
        const failure = await runCase(c);
        if (failure) failures.push(failure);
      }
      corpusSize += cases.length;

      // Assess
      console.log(
        `hostile-input corpus ${manifest.type}: ${cases.length} cases, ${failures.length} failures`,
      );
      expect(cases.length).toBeGreaterThanOrEqual(100);
      expect(failures).toEqual([]);
    }, 600_000); // hundreds of cases, some minting RSA keys: generous on a busy 2-core machine
  });
}

describe('Function: hostile-input corpus output', () => {
  it('never shows a secret string in any log line, event or error of the whole run', () => {
    // Assess
    const leaks = [...secretsUsed].filter((secret) => output.some((line) => line.includes(secret)));
    console.log(
      `hostile-input corpus: ${corpusSize} cases, ${output.length} output lines searched for ${secretsUsed.size} secret strings, ${leaks.length} found`,
    );
    expect(corpusSize).toBeGreaterThanOrEqual(100);
    expect(secretsUsed.size).toBeGreaterThan(corpusSize);
    expect(output.length).toBeGreaterThan(corpusSize);
    expect(leaks).toEqual([]);
  });
});
