import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeEventSink, ROTOR_EVENT_SCHEMAS } from '../../src/aws/event-publisher.ts';
import type { RotorError } from '../../src/engine/errors.ts';
import type { RotorEvent } from '../../src/engine/events.ts';
import { fanOut, lazySink } from '../../src/engine/events.ts';
import { assertValid } from '../../src/runtime/validation.ts';

const eventBridge = mockClient(EventBridgeClient);
const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:sf/app-AbCdEf';
const succeeded: RotorEvent = {
  detailType: 'Rotation Succeeded',
  detail: {
    secretArn: ARN,
    partnerType: 'SalesforceClientSecret',
    versionId: 'v-1',
    gracePeriodSeconds: 3600,
    attempt: 1,
  },
};

beforeEach(() => {
  eventBridge.reset();
});

describe('Class: EventBridgeEventSink', () => {
  it('puts the event on Rotor bus with source rotor, its detail type and the secret as resource', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const sink = new EventBridgeEventSink({
      client: new EventBridgeClient({}),
      eventBusName: 'rotor-events',
    });

    // Act
    await sink.publish(succeeded);

    // Assess
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        {
          Source: 'rotor',
          DetailType: 'Rotation Succeeded',
          Detail: JSON.stringify(succeeded.detail),
          EventBusName: 'rotor-events',
          Resources: [ARN],
        },
      ],
    });
    const sent = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(() =>
      assertValid(ROTOR_EVENT_SCHEMAS['Rotation Succeeded'], JSON.parse(sent?.Detail ?? ''), 'detail'),
    ).not.toThrow();
  });

  it('fails with an internal error when EventBridge rejects the entry', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const sink = new EventBridgeEventSink({
      client: new EventBridgeClient({}),
      eventBusName: 'rotor-events',
    });

    // Act
    const error = await sink.publish(succeeded).catch((thrown: RotorError) => thrown);

    // Assess
    expect(error).toMatchObject({ category: 'internal' });
    expect((error as Error).message).toBe(
      'EventBridge rejected the Rotation Succeeded event on rotor-events (InternalFailure).',
    );
  });

  it('classifies a denied call as permission-denied', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .rejects(
        Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $fault: 'client' }),
      );
    const sink = new EventBridgeEventSink({
      client: new EventBridgeClient({}),
      eventBusName: 'rotor-events',
    });

    // Act
    const error = await sink.publish(succeeded).catch((thrown: RotorError) => thrown);

    // Assess
    expect(error).toMatchObject({ category: 'permission-denied' });
  });
});

describe('Function: fanOut', () => {
  it('delivers to every sink and reports, without throwing, the ones that fail', async () => {
    // Prepare
    const delivered: string[] = [];
    const reported: string[] = [];
    const sink = fanOut(
      [
        { publish: async (event) => void delivered.push(event.detailType) },
        {
          publish: async () => {
            throw new Error('bus down');
          },
        },
      ],
      (error, event) => reported.push(`${event.detailType}:${error.category}`),
    );

    // Act
    await sink.publish(succeeded);

    // Assess
    expect(delivered).toEqual(['Rotation Succeeded']);
    expect(reported).toEqual(['Rotation Succeeded:internal']);
  });
});

describe('Function: lazySink', () => {
  it('builds its sink on the first event only, once, and again after a failed build', async () => {
    // Prepare
    const delivered: string[] = [];
    let builds = 0;
    const sink = lazySink(async () => {
      builds += 1;
      if (builds === 1) throw new Error('module not loadable');
      return { publish: async (event) => void delivered.push(event.detailType) };
    });
    const before = builds;

    // Act
    const first = sink.publish(succeeded).catch((error: Error) => error.message);
    const firstOutcome = await first;
    await sink.publish(succeeded);
    await sink.publish(succeeded);

    // Assess
    expect(before).toBe(0);
    expect(firstOutcome).toBe('module not loadable');
    expect(builds).toBe(2);
    expect(delivered).toEqual(['Rotation Succeeded', 'Rotation Succeeded']);
  });
});
