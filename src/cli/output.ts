/** Shared bits of the CLI: its error type and how it reaches a Secrets Manager endpoint. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Command } from 'commander';
import { DEFAULT_PORT, DEFAULT_REGION, LOCAL_CREDENTIALS } from '../local/stack.ts';

/** An error the CLI reports as one line, with an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface EndpointOptions {
  endpoint?: string;
  region?: string;
}

/** Adds the `--endpoint` and `--region` options every command that reaches Secrets Manager takes. */
export function withEndpointOptions(command: Command): Command {
  return command
    .option(
      '--endpoint <url>',
      'Secrets Manager endpoint (default: AWS_ENDPOINT_URL[_SECRETS_MANAGER], else the local stack)',
    )
    .option('--region <region>', 'region (default: AWS_REGION, else us-east-1)');
}

/**
 * The endpoint the CLI talks to: `--endpoint`, else the SDK's own variables, else the local stack's
 * default address.
 */
export function resolveEndpoint(options: EndpointOptions): { endpoint: string; region: string } {
  const endpoint =
    options.endpoint ??
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ??
    process.env.AWS_ENDPOINT_URL ??
    `http://127.0.0.1:${DEFAULT_PORT}`;
  return { endpoint, region: options.region ?? process.env.AWS_REGION ?? DEFAULT_REGION };
}

/** True when the endpoint is on this machine (the local stack), where simulators are expected. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/** A Secrets Manager client for the endpoint; on loopback, the local stack's credentials unless the environment has some. */
export function secretsManagerFor(endpoint: string, region: string): SecretsManagerClient {
  const useLocal = isLoopbackEndpoint(endpoint) && !process.env.AWS_ACCESS_KEY_ID;
  return new SecretsManagerClient({
    endpoint,
    region,
    ...(useLocal ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
}

/**
 * The local stack's simulators (partner type → base URL), so an engine run from the CLI reaches
 * them as the stack's own rotations do. Undefined for an endpoint that is not the local stack.
 */
export async function localSimulatorUrls(endpoint: string): Promise<Record<string, string> | undefined> {
  if (!isLoopbackEndpoint(endpoint)) return undefined;
  try {
    const response = await fetch(new URL('/_rotor/simulators', endpoint));
    if (!response.ok) return undefined;
    return ((await response.json()) as { simulators?: Record<string, string> }).simulators;
  } catch {
    return undefined;
  }
}

/** Commander parser for a port option: an integer 0–65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^[0-9]{1,5}$/.test(value) || port > 65535)
    throw new CliError(`Invalid port "${value}"; use 0–65535.`);
  return port;
}
