/**
 * Every event the handlers emit — Rotation Succeeded, Rotation Failed (with the step's attempt),
 * Credential Revoked — validated against its JSON Schema in schemas/events/, through the real
 * handlers against the local endpoint and the Salesforce simulator. The same runs check the
 * handlers' metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROTOR_EVENT_SCHEMAS } from '../../src/aws/event-publisher.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import type { RotorEvent } from '../../src/engine/events.ts';
import type { RotorMetrics } from '../../src/handlers/observability.ts';
import { createRevocationHandler } from '../../src/handlers/revocation.ts';
import { createRotationHandler } from '../../src/handlers/rotation.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { assertValid } from '../../src/runtime/validation.ts';
import { ACCOUNT_ID, ROTATION_TOKEN, stepEvent } from '../support/bench.ts';
import { type SalesforceBench, startSalesforceBench } from '../support/salesforce-bench.ts';

const context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:rotor-rotation` };
let bench: SalesforceBench;
const events: RotorEvent[] = [];
const counted: string[] = [];
const metrics: RotorMetrics = {
  count: (name, dimension) =>
    counted.push(dimension ? `${name}{${dimension.name}=${dimension.value}}` : name),
  duration: (step) => counted.push(`StepDuration{step=${step}}`),
  flush: () => {},
};
const options = () => ({
  secretsManager: bench.sm,
  events: { publish: async (event: RotorEvent) => void events.push(event) },
  metrics,
  logger: silentLogger,
});

beforeAll(async () => {
  bench = await startSalesforceBench();
});
afterAll(async () => {
  await bench.close();
});

describe('Function: handler (Rotor events)', () => {
  it('emits schema-valid Rotation Succeeded, Rotation Failed and Credential Revoked events', async () => {
    // Prepare
    const rotate = createRotationHandler({ ...options(), env: { ROTOR_SIMULATOR_MODE: 'true' } });
    const revoke = createRevocationHandler({
      ...options(),
      env: { ROTOR_SIMULATOR_MODE: 'true', ROTOR_GRACE_PERIOD_SECONDS: '0' },
    });
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    // The first token request meets a Salesforce outage; the retried step succeeds.
    bench.sim.injectFault({
      match: { method: 'POST', pathIncludes: '/oauth2/token' },
      kind: 'status',
      status: 503,
    });

    // Act
    for (const step of ROTATION_STEPS) {
      const event = stepEvent(secret.arn, token, step);
      await rotate(event, context).catch(() => rotate(event, context));
    }
    await revoke({ secretArn: secret.arn, rotatedVersionId: token }, context);

    // Assess
    expect(events.map((e) => e.detailType)).toEqual([
      'Rotation Failed',
      'Rotation Succeeded',
      'Credential Revoked',
    ]);
    for (const event of events) {
      expect(() =>
        assertValid(ROTOR_EVENT_SCHEMAS[event.detailType], event.detail, event.detailType),
      ).not.toThrow();
    }
    const failed = events[0]?.detail;
    expect(failed).toMatchObject({
      secretArn: secret.arn,
      partnerType: 'SalesforceClientSecret',
      attempt: 1,
    });
    expect(events[1]?.detail).toMatchObject({
      secretArn: secret.arn,
      versionId: token,
      gracePeriodSeconds: 3600,
    });
    expect(JSON.stringify(events)).not.toContain(ROTATION_TOKEN);
    expect(counted).toEqual(
      expect.arrayContaining([
        `RotationFailed{category=${failed?.category}}`,
        'RotationSucceeded',
        'StepDuration{step=finishSecret}',
        'CredentialRevoked',
      ]),
    );
  });

  it('numbers retried steps in the Rotation Failed event', async () => {
    // Prepare
    events.length = 0;
    const rotate = createRotationHandler({ ...options(), env: { ROTOR_SIMULATOR_MODE: 'true' } });
    const secret = await bench.createSecret();
    const token = await bench.startRotation(secret);
    // Skipping createSecret: testSecret finds no pending value, twice.
    const event = stepEvent(secret.arn, token, 'testSecret');

    // Act
    await rotate(event, context).catch(() => {});
    await rotate(event, context).catch(() => {});

    // Assess
    expect(events.map((e) => [e.detailType, e.detail.attempt])).toEqual([
      ['Rotation Failed', 1],
      ['Rotation Failed', 2],
    ]);
    for (const published of events) {
      expect(() =>
        assertValid(ROTOR_EVENT_SCHEMAS['Rotation Failed'], published.detail, 'Rotation Failed'),
      ).not.toThrow();
    }
  });
});
