/** The engine routes every partner hook call through `hookWrapper` (the handlers' trace subsegments). */
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsManagerClients } from '../../src/aws/roles.ts';
import { type HookWrapper, RotationEngine } from '../../src/engine/engine.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import {
  ACCOUNT_ID,
  type Bench,
  createSalesforceSecret,
  startBench,
  startRotation,
  stepEvent,
} from '../support/harness.ts';

let bench: Bench;

beforeAll(async () => {
  bench = await startBench();
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
    const engine = new RotationEngine({
      clients: new SecretsManagerClients({
        secretsManager: bench.sm,
        sts: new STSClient({}),
        engineAccountId: ACCOUNT_ID,
      }),
      simulatorMode: true,
      hookWrapper,
    });
    const arn = await createSalesforceSecret(bench);
    const token = await startRotation(bench, arn);

    // Act
    for (const step of ROTATION_STEPS) await engine.run(stepEvent(arn, token, step));

    // Assess
    expect(calls).toEqual([
      'SalesforceClientSecret.create',
      'SalesforceClientSecret.set',
      'SalesforceClientSecret.test',
      'SalesforceClientSecret.promote',
    ]);
    const current = await bench.sm.send(new DescribeSecretCommand({ SecretId: arn }));
    expect(current.VersionIdsToStages?.[token]).toContain('AWSCURRENT');
  });
});
