/**
 * The Lambda handler, unchanged, against the local endpoint chosen only through the SDK's standard
 * environment variables, with Powertools logging captured: a full rotation leaks no secret.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { LOCAL_CREDENTIALS } from '../../src/local/stack.ts';
import { ACCOUNT_ID, ROTATION_TOKEN } from '../support/bench.ts';
import {
  createSalesforceSecret,
  type SalesforceBench,
  startSalesforceBench,
} from '../support/salesforce-bench.ts';

let bench: SalesforceBench;
const saved = { ...process.env };

beforeAll(async () => {
  bench = await startSalesforceBench();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: bench.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    ROTOR_SIMULATOR_MODE: 'true',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
  });
});
afterAll(async () => {
  process.env = saved;
  await bench.close();
});

describe('Function: handler', () => {
  it('rotates through AWS_ENDPOINT_URL and logs no secret value or token', async () => {
    // Prepare
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const { handler } = await import('../../src/handlers/rotation.ts');
    const secret = await createSalesforceSecret(bench);
    const token = await bench.startRotation(secret);
    const before = await bench.valueAt(secret.arn, 'AWSCURRENT');
    const context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:rotor-rotation` };

    // Act
    try {
      for (const step of ROTATION_STEPS) {
        await handler(
          { Step: step, SecretId: secret.arn, ClientRequestToken: token, RotationToken: ROTATION_TOKEN },
          context,
        );
      }
      // A failing step logs too: re-running with a bad event must not echo the token either.
      await handler(
        { Step: 'bogus', SecretId: secret.arn, ClientRequestToken: token, RotationToken: ROTATION_TOKEN },
        context,
      ).catch(() => {});
    } finally {
      out.mockRestore();
      err.mockRestore();
    }

    // Assess
    const after = await bench.valueAt(secret.arn, 'AWSCURRENT');
    expect(after.consumerKey).not.toBe(before.consumerKey);
    const log = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(8);
    expect(log).toContain('"step":"finishSecret"');
    for (const secret of [
      before.consumerKey,
      before.consumerSecret,
      after.consumerKey,
      after.consumerSecret,
      bench.sim.seed.admin.consumerSecret,
      ROTATION_TOKEN,
      token,
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
