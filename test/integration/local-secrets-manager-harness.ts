/**
 * Shared set-up for the local Secrets Manager integration tests: a service on a random loopback
 * port, a real SDK v3 client, a settable clock and a record of rotation requests.
 */
import { randomUUID } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect, vi } from 'vitest';
import {
  type RotationRequest,
  type SecretsManagerServer,
  SecretsManagerService,
  type SecretsManagerServiceOptions,
  startSecretsManagerServer,
} from '../../src/local/secrets-manager/index.ts';

export const START = new Date('2026-03-01T10:30:00.000Z');
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface Harness {
  service: SecretsManagerService;
  server: SecretsManagerServer;
  client: SecretsManagerClient;
  /** Every onRotationRequested call, in order. */
  rotations: RotationRequest[];
  /** The service's clock; `advance` moves it forward. */
  clock: { now: Date; advance(ms: number): void };
  /** A client for another Region on the same server. */
  clientFor(region: string): SecretsManagerClient;
  close(): Promise<void>;
}

export async function startHarness(
  options: Omit<SecretsManagerServiceOptions, 'now'> = {},
): Promise<Harness> {
  const rotations: RotationRequest[] = [];
  const clock = {
    now: START,
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const service = new SecretsManagerService({
    ...options,
    now: () => clock.now,
    onRotationRequested: async (request) => {
      rotations.push(request);
      await options.onRotationRequested?.(request);
    },
  });
  const server = await startSecretsManagerServer({ service, port: 0 });
  const clients: SecretsManagerClient[] = [];
  const clientFor = (region: string) => {
    const client = new SecretsManagerClient({
      endpoint: server.url,
      region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };
  return {
    service,
    server,
    client: clientFor('us-east-1'),
    rotations,
    clock,
    clientFor,
    async close() {
      for (const client of clients) client.destroy();
      await server.close();
    },
  };
}

/** A secret name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Asserts the SDK call failed with this AWS error `__type` (and message, when given). */
export async function expectAwsError(call: Promise<unknown>, name: string, message?: string): Promise<Error> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  expect(error).toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
  if (message !== undefined) expect((error as Error).message).toBe(message);
  return error as Error;
}

/** Waits (bounded) until `count` rotation requests have arrived. */
export async function waitForRotations(harness: Harness, count: number): Promise<RotationRequest[]> {
  await vi.waitFor(() => expect(harness.rotations.length).toBeGreaterThanOrEqual(count), {
    timeout: 2_000,
    interval: 5,
  });
  return harness.rotations;
}

export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/**
 * Marks a call's failure as handled now, so a call kept for the Assess step is never reported as an
 * unhandled rejection; awaiting the returned promise still rejects.
 */
export function guard<T>(call: Promise<T>): Promise<T> {
  call.catch(() => undefined);
  return call;
}
