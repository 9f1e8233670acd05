/** The orchestrator in process, with a recording handler instead of the engine. */
import { describe, expect, it } from 'vitest';
import { createLocalOrchestration, VirtualClock } from '../../src/local/orchestrator/index.ts';
import { SecretsManagerService } from '../../src/local/secrets-manager/index.ts';

const REGION = 'us-east-1';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:rotor-rotation';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/rotation';
const CALLER = 'arn:aws:sts::000000000000:assumed-role/admin/alice';

describe('Class: RotationOrchestrator', () => {
  it('invokes the handler step by step with the role and one RotationToken, and audits the caller', async () => {
    // Prepare
    const clock = new VirtualClock(new Date('2026-03-01T10:30:00Z'));
    // No onRotationRequested hook: the test delivers the request itself, with a caller identity.
    const service = new SecretsManagerService({ now: () => clock.now() });
    const calls: { event: Record<string, string>; context: object }[] = [];
    const orchestration = createLocalOrchestration({
      service,
      clock,
      functionArn: FUNCTION_ARN,
      handler: async (event, context) => {
        calls.push({ event: event as Record<string, string>, context: { ...context } });
      },
    });
    const ctx = { region: REGION };
    const { ARN: arn } = (await service.handle(
      'CreateSecret',
      { Name: 'app', SecretString: '{}', Type: 'SalesforceClientSecret' },
      ctx,
    )) as { ARN: string };
    const { VersionId: versionId } = (await service.handle(
      'RotateSecret',
      { SecretId: arn, ExternalSecretRotationRoleArn: ROLE_ARN },
      ctx,
    )) as { VersionId: string };

    // Act
    await orchestration.orchestrator.onRotationRequested({
      secretArn: arn,
      versionId,
      rotateImmediately: true,
      region: REGION,
      principal: CALLER,
    } as Parameters<typeof orchestration.orchestrator.onRotationRequested>[0]);
    const records = await orchestration.audit.list({ secretId: arn });
    await orchestration.close();

    // Assess
    expect(calls.map((c) => `${c.event.Step}:${c.event.ClientRequestToken === versionId}`)).toEqual([
      'createSecret:true',
      'setSecret:true',
      'testSecret:true',
      'finishSecret:true',
    ]);
    expect(calls[0]!.context).toEqual({ invokedFunctionArn: FUNCTION_ARN, roleArn: ROLE_ARN });
    expect(calls[0]!.event.RotationToken).toMatch(/^[a-zA-Z0-9-]{36,256}$/);
    expect(new Set(calls.map((c) => c.event.RotationToken)).size).toBe(1);
    expect(records).toEqual([
      expect.objectContaining({
        trigger: 'rotate-secret',
        principal: CALLER,
        roleArn: ROLE_ARN,
        result: 'succeeded',
      }),
    ]);
  });

  it('looks at a scheduled secret again only once its next window can open, or once RotateSecret changes it', async () => {
    // Prepare
    const clock = new VirtualClock(new Date('2026-03-01T10:30:00Z'));
    let orchestration: ReturnType<typeof createLocalOrchestration> | undefined;
    const service = new SecretsManagerService({
      now: () => clock.now(),
      onRotationRequested: (request) => orchestration?.orchestrator.onRotationRequested(request),
    });
    let describes = 0;
    const handle = service.handle.bind(service);
    service.handle = (operation, input, ctx) => {
      if (operation === 'DescribeSecret') describes += 1;
      return handle(operation, input, ctx);
    };
    const rotations: string[] = [];
    orchestration = createLocalOrchestration({
      service,
      clock,
      functionArn: FUNCTION_ARN,
      handler: async (event) => {
        const { Step, ClientRequestToken } = event as Record<string, string>;
        if (Step === 'createSecret') {
          await service.handle(
            'PutSecretValue',
            { SecretId: 'app', ClientRequestToken, SecretString: '{}', VersionStages: ['AWSPENDING'] },
            { region: REGION },
          );
        }
        if (Step === 'finishSecret') {
          rotations.push(ClientRequestToken!);
          const described = (await service.handle(
            'DescribeSecret',
            { SecretId: 'app' },
            { region: REGION },
          )) as {
            VersionIdsToStages: Record<string, string[]>;
          };
          const current = Object.entries(described.VersionIdsToStages).find(([, s]) =>
            s.includes('AWSCURRENT'),
          )?.[0];
          await service.handle(
            'UpdateSecretVersionStage',
            {
              SecretId: 'app',
              VersionStage: 'AWSCURRENT',
              MoveToVersionId: ClientRequestToken,
              RemoveFromVersionId: current,
            },
            { region: REGION },
          );
        }
      },
    });
    const ctx = { region: REGION };
    await service.handle(
      'CreateSecret',
      { Name: 'app', SecretString: '{}', Type: 'SalesforceClientSecret' },
      ctx,
    );
    await service.handle(
      'RotateSecret',
      {
        SecretId: 'app',
        ExternalSecretRotationRoleArn: ROLE_ARN,
        RotationRules: { AutomaticallyAfterDays: 7 },
      },
      ctx,
    );
    await orchestration.orchestrator.idle();

    // Act: ticks within the week, then the week's window, then a new schedule
    const before = describes;
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      await orchestration.orchestrator.idle();
    }
    const duringTheWeek = describes - before;
    clock.set(new Date('2026-03-08T00:00:01Z'));
    await orchestration.orchestrator.idle();
    const afterTheWeek = rotations.length;
    await service.handle(
      'RotateSecret',
      { SecretId: 'app', RotationRules: { ScheduleExpression: 'rate(1 day)' }, RotateImmediately: false },
      ctx,
    );
    await orchestration.orchestrator.idle();
    clock.set(new Date('2026-03-09T00:00:01Z'));
    await orchestration.orchestrator.idle();
    await orchestration.close();

    // Assess
    expect(rotations).toHaveLength(3);
    expect(afterTheWeek).toBe(2);
    // The first tick looks and learns the next window; the other four skip the secret.
    expect(duringTheWeek).toBe(1);
  });

  it('invokes the handler for at most maxConcurrentRotations rotations at once; the others wait their turn', async () => {
    // Prepare
    const clock = new VirtualClock(new Date('2026-03-01T10:30:00Z'));
    let orchestration: ReturnType<typeof createLocalOrchestration> | undefined;
    const service = new SecretsManagerService({
      now: () => clock.now(),
      onRotationRequested: (request) => orchestration?.orchestrator.onRotationRequested(request),
    });
    let invoking = 0;
    let mostAtOnce = 0;
    orchestration = createLocalOrchestration({
      service,
      clock,
      functionArn: FUNCTION_ARN,
      maxConcurrentRotations: 2,
      handler: async (event) => {
        const { Step } = event as Record<string, string>;
        if (Step !== 'createSecret') return;
        invoking += 1;
        mostAtOnce = Math.max(mostAtOnce, invoking);
        // Let every other rotation that could start, start.
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        invoking -= 1;
      },
    });
    const ctx = { region: REGION };
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const name of names) {
      await service.handle(
        'CreateSecret',
        { Name: name, SecretString: '{}', Type: 'SalesforceClientSecret' },
        ctx,
      );
    }

    // Act
    await Promise.all(
      names.map((name) =>
        service.handle('RotateSecret', { SecretId: name, ExternalSecretRotationRoleArn: ROLE_ARN }, ctx),
      ),
    );
    await orchestration.orchestrator.idle();
    const attempts = orchestration.runner.attempts();
    await orchestration.close();

    // Assess
    expect(mostAtOnce).toBe(2);
    expect(attempts).toHaveLength(5);
    expect(attempts.map((attempt) => attempt.steps.map((step) => step.step).join(','))).toEqual(
      names.map(() => 'createSecret,setSecret,testSecret,finishSecret'),
    );
  });

  it('refuses a maxConcurrentRotations that admits no rotation', () => {
    // Act
    const create = () =>
      createLocalOrchestration({
        service: new SecretsManagerService(),
        functionArn: FUNCTION_ARN,
        handler: async () => {},
        maxConcurrentRotations: 0,
      });

    // Assess
    expect(create).toThrow(/maxConcurrentRotations must be a whole number ≥ 1/);
  });
});
