/**
 * The local EventBridge endpoint on the stack's one port: PutEvents through the real SDK v3
 * client, errors per entry, the durable event feed the stack serves at /_rotor/events.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ demoSecrets: false });
});
afterAll(async () => {
  await t.close();
});

async function feed(
  after: number,
): Promise<{ events: { seq: number; event: Record<string, unknown> }[]; last: number }> {
  // The stack's one event feed (`rotor events` polls it): entries after the `since` cursor, and `next`.
  const response = await fetch(`${t.stack.endpoint}/_rotor/events?since=${after}`);
  const body = (await response.json()) as {
    events: { seq: number; event: Record<string, unknown> }[];
    next: number;
  };
  return { events: body.events, last: body.next };
}

describe('Class: LocalEventBus', () => {
  it('stores valid entries as EventBridge events and reports each invalid one', async () => {
    // Prepare
    const { last } = await feed(0);

    // Act
    const output = await t.events().send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'rotor.test',
            DetailType: 'Something Happened',
            Detail: JSON.stringify({ secretId: 'app' }),
            Resources: ['arn:aws:secretsmanager:us-east-1:000000000000:secret:app-AbCdEf'],
          },
          { Source: 'rotor.test', DetailType: 'Broken', Detail: 'not json' },
          { Source: 'rotor.test', Detail: '{}' },
        ],
      }),
    );
    const after = await feed(last);

    // Assess
    expect(output.FailedEntryCount).toBe(2);
    expect(output.Entries?.[1]).toEqual({
      ErrorCode: 'MalformedDetail',
      ErrorMessage: 'Detail is malformed.',
    });
    expect(output.Entries?.[2]?.ErrorCode).toBe('InvalidArgument');
    expect(after.events).toHaveLength(1);
    expect(after.events[0]?.event).toMatchObject({
      version: '0',
      id: output.Entries?.[0]?.EventId,
      source: 'rotor.test',
      'detail-type': 'Something Happened',
      account: t.stack.accountId,
      region: t.stack.region,
      detail: { secretId: 'app' },
      'event-bus-name': 'default',
    });
  });

  it('takes events published in process into the same feed, in order', async () => {
    // Prepare
    const { last } = await feed(0);

    // Act
    t.stack.events.publish(
      { Source: 'rotor', DetailType: 'RotationSucceeded', Detail: '{"n":1}' },
      { accountId: t.stack.accountId, region: t.stack.region },
    );
    t.stack.events.publish(
      { Source: 'rotor', DetailType: 'RotationSucceeded', Detail: '{"n":2}' },
      { accountId: t.stack.accountId, region: t.stack.region },
    );
    const after = await feed(last);

    // Assess
    expect(after.events.map((e) => (e.event.detail as { n: number }).n)).toEqual([1, 2]);
    expect(after.last).toBe(after.events[1]?.seq);
  });

  it('refuses a request with more than 10 entries as a whole', async () => {
    // Act
    const error = await t
      .events()
      .send(
        new PutEventsCommand({
          Entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' })),
        }),
      )
      .then(
        () => undefined,
        (caught: unknown) => caught as { name: string },
      );

    // Assess
    expect(error?.name).toBe('ValidationException');
  });
});

describe('Function: createGatewayListener', () => {
  it('serves Secrets Manager, STS and EventBridge clients configured by AWS_ENDPOINT_URL alone', async () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: t.stack.endpoint,
      AWS_ACCESS_KEY_ID: t.stack.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: t.stack.credentials.secretAccessKey,
      AWS_REGION: t.stack.region,
    });
    const { SecretsManagerClient, ListSecretsCommand } = await import('@aws-sdk/client-secrets-manager');
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const { EventBridgeClient } = await import('@aws-sdk/client-eventbridge');
    const clients = [new SecretsManagerClient({}), new STSClient({}), new EventBridgeClient({})] as const;

    // Act
    try {
      const listed = await clients[0].send(new ListSecretsCommand({}));
      const identity = await clients[1].send(new GetCallerIdentityCommand({}));
      const put = await clients[2].send(
        new PutEventsCommand({ Entries: [{ Source: 'env', DetailType: 'Env', Detail: '{}' }] }),
      );

      // Assess
      expect(listed.SecretList).toEqual([]);
      expect(identity.Account).toBe(t.stack.accountId);
      expect(put.FailedEntryCount).toBe(0);
    } finally {
      for (const client of clients) client.destroy();
      process.env = saved;
    }
  });
});
