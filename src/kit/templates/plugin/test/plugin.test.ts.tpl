/** The `__TYPE__` rotator against its simulator. The shared conformance suite runs on top. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialRejectedError } from '../__SRC__/engine/errors.ts';
import { createPartnerHttpClient } from '../__SRC__/runtime/egress-http.ts';
import { checkManifest } from '../__SRC__/runtime/manifest-check.ts';
import type { HookContext, RunningSimulator } from '../__SRC__/runtime/partner.ts';
import manifest from '../manifest.ts';
import { rotator } from '../rotator.ts';
import type { __TYPE__Secret } from '../types.ts';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await manifest.startSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

function context(token: string): HookContext {
  return {
    secretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:test',
    token,
    metadata: {},
    lastRotatedAt: undefined,
    gracePeriodSeconds: 0,
    simulatorMode: true,
    simulatorUrl: sim.baseUrl,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    now: () => new Date(),
    readSecret: async () => ({}),
    http: createPartnerHttpClient({
      partner: manifest.type,
      allowedHosts: manifest.egress.allowedHosts,
      simulatorMode: true,
    }),
  };
}

async function fresh(): Promise<__TYPE__Secret> {
  return (await sim.probe.freshSecret()).value as __TYPE__Secret;
}

describe('Partner: __TYPE__', () => {
  it('has a manifest the runtime accepts', () => {
    // Act
    const checked = checkManifest(manifest);

    // Assess
    expect(checked.type).toBe('__TYPE__');
  });

  it('mints one key per token, tests it and revokes the old key', async () => {
    // Prepare
    const current = await fresh();

    // Act
    const { pending } = await rotator.create({ current }, context('token-1'));
    const again = await rotator.create({ current }, context('token-1'));
    await rotator.test({ pending }, context('token-1'));
    const { revoked } = await rotator.revoke({ previous: current, current: pending }, context('token-1'));

    // Assess
    expect(again.pending).toEqual(pending);
    expect(revoked).toBe(true);
    expect(await sim.probe.authenticates(pending)).toBe(true);
    expect(await sim.probe.authenticates(current)).toBe(false);
  });

  it('rejects a key the partner does not know with a typed error', async () => {
    // Prepare
    const unknown = { ...(await fresh()), apiKey: 'not-a-real-key-0000000000' };

    // Act
    const error = await rotator.test({ pending: unknown }, context('token-2')).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(CredentialRejectedError);
  });
});
