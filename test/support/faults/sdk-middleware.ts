/**
 * Fault injection for AWS SDK v3 clients (Secrets Manager, STS), as a middleware (no wrapper around the client). It sits
 * in the `deserialize` step below the SDK's deserializer, so every fault goes through the SDK's own
 * error parsing: a 5xx or a throttling answer is a real HTTP response the SDK turns into its
 * exception, and a malformed answer is a real body the SDK fails to parse.
 */
import { Readable } from 'node:stream';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import type { FaultPlan } from './fault-plan.ts';

/** Thrown when the invocation is dead: what a crashed process's caller would see. */
export class SimulatedCrashError extends Error {
  constructor(call: string) {
    super(`Simulated crash: the invocation died at ${call}`);
    this.name = 'SimulatedCrashError';
  }
}

function httpResponse(statusCode: number, errorType: string, message: string) {
  return {
    statusCode,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': errorType },
    body: Readable.from([Buffer.from(JSON.stringify({ __type: errorType, message }))]),
  };
}

/**
 * Adds the fault middleware to a client. Give the client `maxAttempts: 1` so one command is one
 * call (the SDK's retries would otherwise absorb a one-shot fault, which is fine in production
 * but makes "call k" ambiguous).
 *
 * @example
 * ```ts
 * const sm = new SecretsManagerClient({ endpoint, maxAttempts: 1 });
 * injectSdkFaults(sm, plan);
 * ```
 */
export function injectSdkFaults(client: SecretsManagerClient | STSClient, plan: FaultPlan): void {
  const stack = client.middlewareStack as SecretsManagerClient['middlewareStack'];
  stack.add(
    // Raw HTTP responses are handed to the deserializer below this step; the types want parsed output.
    (next, context) =>
      async (args): Promise<never> => {
        const name = context.commandName ?? 'Command';
        const verdict = plan.next('secrets-manager', name);
        if (verdict.action === 'pass') return (await next(args)) as never;
        if (verdict.action === 'crash') throw new SimulatedCrashError(name);
        switch (verdict.kind) {
          case 'server-error':
            return { response: httpResponse(500, 'InternalServiceError', 'Injected server fault.') } as never;
          case 'throttle':
            return { response: httpResponse(400, 'ThrottlingException', 'Rate exceeded') } as never;
          case 'timeout': {
            // The request reaches the service (it may have acted on it); the answer never arrives.
            await next(args);
            throw Object.assign(new Error(`${name} timed out waiting for the response`), {
              name: 'TimeoutError',
              code: 'ETIMEDOUT',
            });
          }
          case 'malformed': {
            const result = await next(args);
            const response = result.response as { statusCode: number; headers: Record<string, string> };
            return {
              ...result,
              response: {
                ...response,
                statusCode: 200,
                body: Readable.from([Buffer.from('{"ARN": "arn:aws:secretsmanager:trunc')]),
              },
            } as never;
          }
        }
      },
    { step: 'deserialize', priority: 'low', name: 'rotorFaultInjection' },
  );
}
