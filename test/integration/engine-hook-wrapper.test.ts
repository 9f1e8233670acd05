/** The engine routes every partner hook call through `hookWrapper` (the handlers' trace subsegments). */
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HookWrapper } from '../../src/engine/engine.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { stepEvent } from '../support/bench.ts';
import {
  createSalesforceSecret,
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

describe('Class: RotationEngine', () => {
  it('calls hookWrapper once per partner hook call, in step order, and returns what the hook returns', async () => {
    // Prepare
    const calls: string[] = [];
    const hookWrapper: HookWrapper = async (hook, partnerType, call) => {
      calls.push(`${partnerType}.${hook}`);
      return call();
    };
    const engine = bench.newEngine({ hookWrapper });
    const secret = await createSalesforceSecret(bench);
    const token = await bench.startRotation(secret);

    // Act
    for (const step of ROTATION_STEPS) await engine.run(stepEvent(secret.arn, token, step));

    // Assess
    expect(calls).toEqual([
      'SalesforceClientSecret.create',
      'SalesforceClientSecret.set',
      'SalesforceClientSecret.test',
      'SalesforceClientSecret.promote',
    ]);
    const current = await bench.sm.send(new DescribeSecretCommand({ SecretId: secret.arn }));
    expect(current.VersionIdsToStages?.[token]).toContain('AWSCURRENT');
  });
});
