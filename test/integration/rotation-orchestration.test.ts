/**
 * Rotation orchestration end to end: MES-style RotateSecret of a Salesforce secret running
 * asynchronously through the rotation handler, schedules and windows on the virtual clock,
 * retries, RotationAbandoned, test rotations, and the events and audit records they leave.
 */
import { randomUUID } from 'node:crypto';
import {
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  type RotateSecretCommandInput,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusEntry } from '../../src/local/orchestrator/index.ts';
import { messages } from '../../src/local/secrets-manager/index.ts';
import {
  type OrchestratedStack,
  ROLE_ARN,
  START,
  startOrchestratedStack,
} from '../support/orchestrated-stack.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

let stack: OrchestratedStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function createSecret(bench: OrchestratedStack): Promise<{ arn: string; name: string; value: string }> {
  const seed = bench.sim.seed;
  const value = JSON.stringify({
    consumerKey: seed.consumerKey,
    consumerSecret: seed.consumerSecret,
    baseUri: seed.baseUri,
    appId: seed.appId,
    consumerId: seed.consumerId,
  });
  const name = `sf/${randomUUID().slice(0, 8)}`;
  const created = await bench.sm.send(
    new CreateSecretCommand({ Name: name, SecretString: value, Type: 'SalesforceClientSecret' }),
  );
  return { arn: created.ARN!, name, value };
}

/** RotateSecret as the MES console sends it: metadata and role, no Lambda ARN. */
function mesRotation(bench: OrchestratedStack, arn: string, extra: Partial<RotateSecretCommandInput> = {}) {
  return bench.sm.send(
    new RotateSecretCommand({
      SecretId: arn,
      ExternalSecretRotationMetadata: [{ Key: 'apiVersion', Value: bench.sim.seed.apiVersion }],
      ExternalSecretRotationRoleArn: ROLE_ARN,
      RotationRules: { AutomaticallyAfterDays: 30 },
      ...extra,
    }),
  );
}

async function eventsOf(bench: OrchestratedStack, arn: string): Promise<BusEntry[]> {
  return bench.orchestration.bus.list({ secretId: arn });
}

function names(entries: BusEntry[]): string[] {
  return entries.map(({ event }) =>
    event['detail-type'] === 'AWS Service Event via CloudTrail'
      ? String(event.detail.eventName)
      : event['detail-type'] === 'Secret Label Updated'
        ? `Label ${String(event.detail.labelUpdated)}`
        : `rotor:${event['detail-type']}`,
  );
}

function liveKeys(bench: OrchestratedStack): number {
  return bench.sim.liveCredentials(bench.sim.seed.appId).length;
}

describe('Class: RotationOrchestrator', () => {
  it('runs an MES RotateSecret of a Salesforce secret asynchronously through the handler, under its role', async () => {
    // Prepare
    stack = await startOrchestratedStack();
    const { arn, value } = await createSecret(stack);

    // Act
    const started = await mesRotation(stack, arn);
    await stack.orchestration.orchestrator.idle();
    const described = await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }));
    const current = await stack.sm.send(new GetSecretValueCommand({ SecretId: arn }));
    const events = await eventsOf(stack, arn);
    const [record, ...others] = await stack.orchestration.audit.list({ secretId: arn });

    // Assess
    expect(described.VersionIdsToStages?.[started.VersionId!]).toEqual(['AWSCURRENT']);
    expect(described.RotationLambdaARN).toBeUndefined();
    expect(described.ExternalSecretRotationRoleArn).toBe(ROLE_ARN);
    expect(described.LastRotatedDate).toEqual(START);
    expect(described.NextRotationDate?.toISOString()).toBe('2026-03-31T23:59:59.000Z');
    const rotated = JSON.parse(current.SecretString!);
    expect(stack.sim.authenticates(rotated.consumerKey, rotated.consumerSecret)).toBe(true);
    expect(names(events)).toEqual([
      'Label AWSCURRENT',
      'RotationStarted',
      'Label AWSCURRENT',
      'rotor:Rotation Succeeded',
      'RotationSucceeded',
    ]);
    const startedEvent = events[1]!.event;
    expect(startedEvent).toMatchObject({
      'detail-type': 'AWS Service Event via CloudTrail',
      source: 'aws.secretsmanager',
      account: '000000000000',
      region: 'us-east-1',
      detail: {
        eventName: 'RotationStarted',
        eventType: 'AwsServiceEvent',
        eventSource: 'secretsmanager.amazonaws.com',
        additionalEventData: { SecretId: arn },
        requestParameters: null,
        responseElements: null,
        managementEvent: true,
      },
    });
    expect(events[2]!.event).toMatchObject({
      'detail-type': 'Secret Label Updated',
      resources: [arn],
      detail: { labelUpdated: 'AWSCURRENT', versionId: started.VersionId },
    });
    expect(others).toEqual([]);
    expect(record).toMatchObject({
      secretArn: arn,
      versionId: started.VersionId,
      kind: 'rotation',
      trigger: 'rotate-secret',
      roleArn: ROLE_ARN,
      attempt: 1,
      result: 'succeeded',
    });
    expect(record!.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'createSecret:succeeded',
      'setSecret:succeeded',
      'testSecret:succeeded',
      'finishSecret:succeeded',
    ]);
    const published = JSON.stringify([events, record]);
    for (const secret of [JSON.parse(value).consumerSecret, rotated.consumerSecret]) {
      expect(published).not.toContain(secret);
    }
    expect(published).not.toContain('RotationToken');
  });

  it('rotates again when the next AutomaticallyAfterDays window opens on the virtual clock, not before', async () => {
    // Prepare
    stack = await startOrchestratedStack();
    const { arn } = await createSecret(stack);
    await mesRotation(stack, arn);
    await stack.orchestration.orchestrator.idle();

    // Act
    await stack.advance(29 * DAY_MS);
    const beforeWindow = await stack.orchestration.audit.list({ secretId: arn });
    await stack.advance(DAY_MS);
    const inWindow = await stack.orchestration.audit.list({ secretId: arn });
    const described = await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }));

    // Assess
    expect(beforeWindow).toHaveLength(1);
    expect(inWindow.map((r) => `${r.trigger}:${r.result}`)).toEqual([
      'rotate-secret:succeeded',
      'schedule:succeeded',
    ]);
    expect(described.LastRotatedDate).toEqual(new Date(START.getTime() + 30 * DAY_MS));
    expect(described.NextRotationDate?.toISOString()).toBe('2026-04-30T23:59:59.000Z');
  });

  it('runs a cron() schedule inside its window only', async () => {
    // Prepare
    stack = await startOrchestratedStack();
    const { arn } = await createSecret(stack);
    await mesRotation(stack, arn, {
      RotationRules: { ScheduleExpression: 'cron(0 14 * * ? *)', Duration: '2h' },
      RotateImmediately: false,
    });
    await stack.orchestration.orchestrator.idle();
    const tests = (await stack.orchestration.audit.list({ secretId: arn })).length;

    // Act
    await stack.advance(3 * 60 * MINUTE_MS); // 13:30: before the 14:00 window
    const early = (await stack.orchestration.audit.list({ secretId: arn })).length;
    await stack.advance(60 * MINUTE_MS); // 14:30: inside it
    const records = await stack.orchestration.audit.list({ secretId: arn });
    const described = await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }));

    // Assess
    expect(early).toBe(tests);
    expect(records.at(-1)).toMatchObject({ trigger: 'schedule', result: 'succeeded' });
    expect(described.LastRotatedDate).toEqual(new Date('2026-03-01T14:30:00.000Z'));
    expect(described.NextRotationDate?.toISOString()).toBe('2026-03-02T15:59:59.000Z');
  });

  it('retries a failed rotation with back-off, keeps the in-progress guard, then finishes it in the next window', async () => {
    // Prepare
    stack = await startOrchestratedStack({ retry: { maxRetries: 2, baseDelayMs: MINUTE_MS } });
    const { arn } = await createSecret(stack);
    stack.sim.injectFault({
      match: { method: 'POST', pathIncludes: '/staged' },
      kind: 'status',
      status: 503,
      times: 3,
    });

    // Act
    const started = await mesRotation(stack, arn, { RotationRules: { AutomaticallyAfterDays: 1 } });
    await stack.orchestration.orchestrator.idle();
    await stack.advance(MINUTE_MS);
    await stack.advance(2 * MINUTE_MS);
    await stack.advance(60 * MINUTE_MS);
    const exhausted = await stack.orchestration.audit.list({ secretId: arn });
    const guard = await mesRotation(stack, arn).then(
      () => undefined,
      (error: Error) => error,
    );
    await stack.advance(DAY_MS);
    const records = await stack.orchestration.audit.list({ secretId: arn });
    const described = await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }));

    // Assess
    expect(exhausted.map((r) => `${r.trigger}#${r.attempt}:${r.result}:${r.failure?.category}`)).toEqual([
      'rotate-secret#1:failed:partner-unavailable',
      'retry#2:failed:partner-unavailable',
      'retry#3:failed:partner-unavailable',
    ]);
    expect(guard).toMatchObject({ name: 'InvalidRequestException', message: messages.ROTATION_IN_PROGRESS });
    expect(records.at(-1)).toMatchObject({
      trigger: 'schedule',
      result: 'succeeded',
      versionId: started.VersionId,
    });
    expect(described.VersionIdsToStages?.[started.VersionId!]).toEqual(['AWSCURRENT']);
    const failed = (await eventsOf(stack, arn)).filter(
      ({ event }) => event.detail.eventName === 'RotationFailed',
    );
    expect(failed).toHaveLength(3);
    expect(failed[0]!.event.detail.errorMessage).toBe(
      'Error when executing lambda arn:aws:lambda:us-east-1:000000000000:function:rotor-rotation during createSecret step',
    );
  });

  it('abandons a rotation when a manual write moves AWSCURRENT mid-rotation, leaving no orphan at the source', async () => {
    // Prepare
    let release: () => void = () => {};
    let paused = false;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    stack = await startOrchestratedStack({
      beforeStep: async (step) => {
        if (step !== 'setSecret') return;
        paused = true;
        await gate;
      },
    });
    const { arn, value } = await createSecret(stack);
    const liveBefore = liveKeys(stack);
    const started = await mesRotation(stack, arn);
    await vi.waitFor(() => expect(paused).toBe(true), { timeout: 5_000, interval: 5 });
    const liveMidway = liveKeys(stack);

    // Act
    const manual = await stack.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: value }));
    await vi.waitFor(async () => expect(names(await eventsOf(stack!, arn))).toContain('RotationAbandoned'), {
      timeout: 5_000,
      interval: 5,
    });
    release();
    await stack.orchestration.orchestrator.idle();
    await stack.advance(60 * MINUTE_MS);
    const described = await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }));
    const records = await stack.orchestration.audit.list({ secretId: arn });

    // Assess
    expect(liveMidway).toBe(liveBefore + 1);
    expect(liveKeys(stack)).toBe(liveBefore);
    expect(described.VersionIdsToStages?.[manual.VersionId!]).toEqual(['AWSCURRENT']);
    expect(described.VersionIdsToStages?.[started.VersionId!]).toBeUndefined();
    expect(records.map((r) => r.result)).toEqual(['abandoned']);
    const abandoned = (await eventsOf(stack, arn)).find(
      ({ event }) => event.detail.eventName === 'RotationAbandoned',
    );
    expect(abandoned?.event.detail.additionalEventData).toEqual({ SecretId: arn });
  });

  it('runs a test rotation for RotateImmediately=false: AWSPENDING created then removed, the minted credential discarded', async () => {
    // Prepare
    stack = await startOrchestratedStack();
    const { arn } = await createSecret(stack);
    const current = (await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages;
    const liveBefore = liveKeys(stack);

    // Act
    const started = await mesRotation(stack, arn, { RotateImmediately: false });
    await stack.orchestration.orchestrator.idle();
    const described = await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }));
    const [record] = await stack.orchestration.audit.list({ secretId: arn });

    // Assess
    expect(described.VersionIdsToStages).toEqual(current);
    expect(described.VersionIdsToStages?.[started.VersionId!]).toBeUndefined();
    expect(described.LastRotatedDate).toBeUndefined();
    expect(described.RotationEnabled).toBe(true);
    expect(described.NextRotationDate?.toISOString()).toBe('2026-03-31T23:59:59.000Z');
    expect(liveKeys(stack)).toBe(liveBefore);
    expect(names(await eventsOf(stack, arn))).toEqual([
      'Label AWSCURRENT',
      'TestRotationStarted',
      'TestRotationSucceeded',
    ]);
    expect(record).toMatchObject({ kind: 'test-rotation', trigger: 'test', result: 'succeeded' });
    expect(record!.steps.map((s) => s.step)).toEqual(['createSecret', 'setSecret', 'testSecret']);
  });

  it('with testRotation test-current, tests the current credential without minting one', async () => {
    // Prepare
    stack = await startOrchestratedStack({ testRotation: 'test-current' });
    const { arn } = await createSecret(stack);
    const requestsBefore = stack.sim
      .requests()
      .filter((r) => r.method === 'POST' && r.path.includes('/staged')).length;

    // Act
    await mesRotation(stack, arn, { RotateImmediately: false });
    await stack.orchestration.orchestrator.idle();
    const [record] = await stack.orchestration.audit.list({ secretId: arn });

    // Assess
    expect(record).toMatchObject({ kind: 'test-rotation', result: 'succeeded' });
    expect(record!.steps.map((s) => s.step)).toEqual(['testSecret']);
    expect(
      stack.sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/staged')),
    ).toHaveLength(requestsBefore);
  });

  it('refuses RotationRules that break the schedule rules, naming the field, and changes nothing', async () => {
    // Prepare
    stack = await startOrchestratedStack();
    const { arn } = await createSecret(stack);

    // Act
    const error = await mesRotation(stack, arn, {
      RotationRules: { ScheduleExpression: 'rate(2 hours)' },
    }).then(
      () => undefined,
      (caught: Error) => caught,
    );
    const described = await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }));

    // Assess
    expect(error?.name).toBe('InvalidParameterException');
    expect(error?.message).toContain('RotationRules.ScheduleExpression');
    expect(described.RotationEnabled).toBeUndefined();
    expect(Object.keys(described.VersionIdsToStages ?? {})).toHaveLength(1);
  });

  it('serves events and audit records on the control routes', async () => {
    // Prepare
    stack = await startOrchestratedStack();
    const { arn, name } = await createSecret(stack);
    await mesRotation(stack, arn);
    await stack.orchestration.orchestrator.idle();

    // Act
    const all = (await (
      await fetch(`${stack.endpoint}/_rotor/events?secretId=${encodeURIComponent(name)}`)
    ).json()) as {
      events: BusEntry[];
      next: number;
    };
    const later = (await (
      await fetch(
        `${stack.endpoint}/_rotor/events?since=${all.events[2]!.seq}&secretId=${encodeURIComponent(name)}`,
      )
    ).json()) as { events: BusEntry[] };
    const audit = (await (
      await fetch(`${stack.endpoint}/_rotor/audit?secretId=${encodeURIComponent(arn)}`)
    ).json()) as {
      records: unknown[];
    };
    const bad = await fetch(`${stack.endpoint}/_rotor/events?since=soon`);
    const rotations = (await (
      await fetch(`${stack.endpoint}/_rotor/rotations?secretId=${encodeURIComponent(name)}`)
    ).json()) as { attempts: { result: string; roleArn?: string }[] };

    // Assess
    expect(all.events).toHaveLength(5);
    expect(all.next).toBe(all.events[4]!.seq);
    expect(later.events.map((e) => e.seq)).toEqual(all.events.slice(3).map((e) => e.seq));
    expect(audit.records).toHaveLength(1);
    expect(bad.status).toBe(400);
    expect(rotations.attempts).toEqual([expect.objectContaining({ result: 'succeeded', roleArn: ROLE_ARN })]);
  });
  it('abandons a rotation that is waiting for its retry and discards what it minted', async () => {
    // Prepare
    let failTest = true;
    stack = await startOrchestratedStack({
      beforeStep: async (step) => {
        if (step === 'testSecret' && failTest) throw new Error('test step down');
      },
    });
    const { arn, value } = await createSecret(stack);
    const liveBefore = liveKeys(stack);
    await mesRotation(stack, arn);
    await stack.orchestration.orchestrator.idle();
    const liveWhileFailing = liveKeys(stack);
    failTest = false;

    // Act
    await stack.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: value }));
    await stack.orchestration.orchestrator.idle();
    await stack.advance(60 * MINUTE_MS);
    const records = await stack.orchestration.audit.list({ secretId: arn });

    // Assess
    expect(liveWhileFailing).toBe(liveBefore + 1);
    expect(liveKeys(stack)).toBe(liveBefore);
    expect(records.map((r) => `${r.result}:${r.failure?.step}`)).toEqual(['failed:testSecret']);
    expect(names(await eventsOf(stack, arn))).toEqual([
      'Label AWSCURRENT',
      'RotationStarted',
      'RotationFailed',
      'Label AWSCURRENT',
      'RotationAbandoned',
    ]);
  });

  it('counts a manual value change as a rotation for NextRotationDate, in DescribeSecret and ListSecrets', async () => {
    // Prepare
    stack = await startOrchestratedStack();
    const { arn, name, value } = await createSecret(stack);
    await mesRotation(stack, arn, { RotateImmediately: false });
    await stack.orchestration.orchestrator.idle();
    await stack.advance(10 * DAY_MS);

    // Act
    await stack.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: value }));
    await stack.orchestration.orchestrator.idle();
    const described = await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }));
    const listed = await stack.sm.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [name] }] }),
    );

    // Assess
    expect(described.NextRotationDate?.toISOString()).toBe('2026-04-10T23:59:59.000Z');
    expect(listed.SecretList?.[0]?.NextRotationDate?.toISOString()).toBe('2026-04-10T23:59:59.000Z');
  });

  it('catches up a window the clock jumped over, unless catchUpMissedWindows is off', async () => {
    for (const catchUpMissedWindows of [true, false]) {
      // Prepare
      stack = await startOrchestratedStack({ catchUpMissedWindows });
      const { arn } = await createSecret(stack);
      await mesRotation(stack, arn, {
        RotationRules: { ScheduleExpression: 'cron(0 12 * * ? *)', Duration: '1h' },
        RotateImmediately: false,
      });
      await stack.orchestration.orchestrator.idle();

      // Act
      await stack.advance(4 * 60 * MINUTE_MS); // 14:30: the 12:00–13:00 window has passed unseen
      const records = await stack.orchestration.audit.list({ secretId: arn });

      // Assess
      expect(records.map((r) => r.trigger)).toEqual(catchUpMissedWindows ? ['test', 'schedule'] : ['test']);
      await stack.close();
      stack = undefined;
    }
  });

  it('publishes Secret Label Updated for custom labels, never for AWSPENDING or AWSPREVIOUS', async () => {
    // Prepare
    stack = await startOrchestratedStack();
    const { arn } = await createSecret(stack);
    const described = await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }));
    const current = Object.keys(described.VersionIdsToStages ?? {})[0]!;

    // Act
    await stack.sm.send(
      new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'BLUE', MoveToVersionId: current }),
    );
    await stack.sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: arn,
        VersionStage: 'AWSPENDING',
        MoveToVersionId: current,
      }),
    );
    await stack.orchestration.orchestrator.idle();
    const events = await eventsOf(stack, arn);

    // Assess
    expect(names(events)).toEqual(['Label AWSCURRENT', 'Label BLUE']);
    expect(events[1]!.event.detail).toEqual({
      name: described.Name,
      labelUpdated: 'BLUE',
      versionId: current,
    });
  });
  it('rotates every window of an hourly rate(), and stops once rotation is cancelled', async () => {
    // Prepare
    stack = await startOrchestratedStack();
    const { arn } = await createSecret(stack);
    await mesRotation(stack, arn, { RotationRules: { ScheduleExpression: 'rate(4 hours)' } });
    await stack.orchestration.orchestrator.idle();

    // Act
    await stack.advance(2 * 60 * MINUTE_MS); // 12:30: 12:00–13:00 window
    await stack.advance(4 * 60 * MINUTE_MS); // 16:30: 16:00–17:00 window
    const rotated = await stack.orchestration.audit.list({ secretId: arn });
    await stack.sm.send(new CancelRotateSecretCommand({ SecretId: arn }));
    await stack.advance(DAY_MS);
    const described = await stack.sm.send(new DescribeSecretCommand({ SecretId: arn }));

    // Assess
    expect(rotated.map((r) => `${r.trigger}@${r.startedAt.slice(11, 16)}`)).toEqual([
      'rotate-secret@10:30',
      'schedule@12:30',
      'schedule@16:30',
    ]);
    expect(await stack.orchestration.audit.list({ secretId: arn })).toHaveLength(3);
    expect(described.RotationEnabled).toBe(false);
    expect(described.NextRotationDate).toBeUndefined();
  });
});
