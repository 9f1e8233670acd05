/**
 * Grace-period revocation wiring through the real handlers against the local endpoint and the
 * Salesforce simulator: the rotation handler schedules a revocation after finishSecret, and the
 * revocation handler re-schedules itself when the grace period is not over. EventBridge Scheduler
 * has no local endpoint, so its client is mocked (it is the AWS-facing edge under test).
 */
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import manifest from '../../partners/salesforce/manifest.ts';
import { ROTATION_STEPS } from '../../src/engine/event.ts';
import { createRevocationHandler } from '../../src/handlers/revocation.ts';
import { createRotationHandler } from '../../src/handlers/rotation.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { ACCOUNT_ID, type Bench, startBench, stepEvent } from '../support/bench.ts';

const scheduler = mockClient(SchedulerClient);
const context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:rotor-rotation` };
const env = {
  ROTOR_SIMULATOR_MODE: 'true',
  ROTOR_SCHEDULE_GROUP: 'rotor-revocations',
  ROTOR_REVOCATION_FUNCTION_ARN: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:rotor-revocation`,
  ROTOR_SCHEDULER_ROLE_ARN: `arn:aws:iam::${ACCOUNT_ID}:role/rotor-scheduler`,
};
let bench: Bench;

beforeAll(async () => {
  bench = await startBench(manifest);
});
afterAll(async () => {
  await bench.close();
});
beforeEach(() => {
  scheduler.reset();
  scheduler
    .on(CreateScheduleCommand)
    .resolves({ ScheduleArn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/x' });
});

async function rotatedSecret(): Promise<{ arn: string; token: string }> {
  const secret = await bench.createSecret();
  const token = await bench.startRotation(secret);
  const rotate = createRotationHandler({
    secretsManager: bench.sm,
    scheduler: new SchedulerClient({ region: 'us-east-1' }),
    logger: silentLogger,
    env,
  });
  for (const step of ROTATION_STEPS) await rotate(stepEvent(secret.arn, token, step), context);
  return { arn: secret.arn, token };
}

describe('Function: handler (rotation, with revocation scheduling)', () => {
  it('schedules one revocation of the rotated-out credential after finishSecret', async () => {
    // Act
    const { arn, token } = await rotatedSecret();

    // Assess
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      GroupName: 'rotor-revocations',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: env.ROTOR_REVOCATION_FUNCTION_ARN, RoleArn: env.ROTOR_SCHEDULER_ROLE_ARN },
    });
    expect(JSON.parse(input?.Target?.Input ?? '')).toEqual({ secretArn: arn, rotatedVersionId: token });
    const at = Date.parse(`${/^at\((.*)\)$/.exec(input?.ScheduleExpression ?? '')?.[1]}Z`);
    expect(at - Date.now()).toBeGreaterThan(3500_000);
  });
});

describe('Function: handler (revocation)', () => {
  it('keeps the credential and re-schedules itself while the grace period lasts', async () => {
    // Prepare
    const { arn, token } = await rotatedSecret();
    scheduler.resetHistory();
    const revoke = createRevocationHandler({
      secretsManager: bench.sm,
      scheduler: new SchedulerClient({ region: 'us-east-1' }),
      logger: silentLogger,
      env,
    });

    // Act
    const result = await revoke({ secretArn: arn, rotatedVersionId: token }, context);

    // Assess
    expect(result).toMatchObject({ secretArn: arn, revoked: false, reason: 'grace-period' });
    expect(result.rescheduledAt).toBe(result.notBefore?.toISOString());
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      ScheduleExpression: `at(${result.rescheduledAt?.slice(0, 19)})`,
    });
  });

  it('refuses a request without a secret ARN before any call', async () => {
    // Prepare
    scheduler.resetHistory();
    const revoke = createRevocationHandler({ secretsManager: bench.sm, logger: silentLogger, env });

    // Act
    const error = await revoke({ secretId: 'sf/app' }, context).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toMatchObject({ category: 'invalid-configuration', field: 'secretArn' });
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
  });
});
