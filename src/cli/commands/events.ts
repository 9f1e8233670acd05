/**
 * `rotor events [--follow] [--secret S] [--endpoint URL]`: prints the local stack's events —
 * Secrets Manager's rotation and label events and Rotor's own — from its `/_rotor/events` route.
 * `--follow` keeps polling until Ctrl-C.
 */
import type { Command } from 'commander';
import type { BusEntry, BusEvent } from '../../local/orchestrator/event-bus.ts';
import { CONTROL_PREFIX } from '../../local/stack.ts';
import { CliError, resolveEndpoint } from '../output.ts';

export interface FollowEventsOptions {
  endpoint: string;
  /** Only events about this secret (name or ARN). */
  secret?: string;
  follow?: boolean;
  /** Poll interval with `follow`. Default 1000 ms. */
  intervalMs?: number;
  /** One JSON event per line instead of the readable form. */
  json?: boolean;
  write: (line: string) => void;
  /** Ends `follow`. */
  signal?: AbortSignal;
}

/** One readable line per event: time, name, secret, and what changed. Never a value. */
export function formatEvent(event: BusEvent): string {
  const detail = event.detail as Record<string, unknown>;
  let name = event['detail-type'];
  let secret = event.resources[0] ?? '';
  let extra = '';
  if (event['detail-type'] === 'AWS Service Event via CloudTrail') {
    name = String(detail.eventName);
    secret = String((detail.additionalEventData as { SecretId?: string } | undefined)?.SecretId ?? '');
    if (detail.errorMessage) extra = String(detail.errorMessage);
  } else if (event['detail-type'] === 'Secret Label Updated') {
    secret = String(detail.name ?? secret);
    extra = `${String(detail.labelUpdated)} -> ${String(detail.versionId)}`;
  } else if (event.source === 'rotor') {
    secret = String(detail.secretArn ?? secret);
    extra = [detail.partnerType, detail.step, detail.category, detail.message]
      .filter((part) => part !== undefined)
      .join(' ');
  }
  return [event.time, event.source.padEnd(18), name.padEnd(24), secret, extra].join('  ').trimEnd();
}

const delay = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

async function fetchEvents(
  endpoint: string,
  since: number,
  secret?: string,
): Promise<{ events: BusEntry[]; next: number }> {
  const url = new URL(`${CONTROL_PREFIX}events`, endpoint);
  url.searchParams.set('since', String(since));
  if (secret) url.searchParams.set('secretId', secret);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new CliError(`Cannot reach ${endpoint}: ${(error as Error).message}. Is \`rotor local\` running?`);
  }
  if (response.status === 404) {
    throw new CliError(
      `${endpoint} serves no ${CONTROL_PREFIX}events route; \`rotor events\` needs the Rotor local stack.`,
    );
  }
  if (!response.ok) throw new CliError(`${url.pathname} answered HTTP ${response.status}.`);
  return (await response.json()) as { events: BusEntry[]; next: number };
}

/**
 * Prints the events once, or keeps printing new ones with `follow` until `signal` aborts.
 *
 * @example
 * ```ts
 * await followEvents({ endpoint: 'http://127.0.0.1:7566', follow: true, write: console.log, signal });
 * ```
 */
export async function followEvents(options: FollowEventsOptions): Promise<void> {
  let since = 0;
  for (;;) {
    const { events, next } = await fetchEvents(options.endpoint, since, options.secret);
    for (const { event } of events) options.write(options.json ? JSON.stringify(event) : formatEvent(event));
    since = Math.max(since, next);
    if (!options.follow || options.signal?.aborted) return;
    await delay(options.intervalMs ?? 1000, options.signal);
    if (options.signal?.aborted) return;
  }
}

export function registerEvents(program: Command): void {
  program
    .command('events')
    .description("Show the local stack's rotation, label and Rotor events (with --follow, until Ctrl-C).")
    .option('--secret <secret>', 'only events about this secret (name or ARN)')
    .option('--follow', 'keep printing new events until Ctrl-C', false)
    .option('--json', 'print each event as one JSON line', false)
    .option(
      '--endpoint <url>',
      'local stack endpoint (default: AWS_ENDPOINT_URL[_SECRETS_MANAGER], else the local stack)',
    )
    .option('--interval <ms>', 'poll interval with --follow', (v) => Number(v), 1000)
    .action(
      async (options: {
        secret?: string;
        follow: boolean;
        json: boolean;
        endpoint?: string;
        interval: number;
      }) => {
        if (!Number.isInteger(options.interval) || options.interval < 50) {
          throw new CliError('--interval must be a whole number of milliseconds, at least 50.');
        }
        const { endpoint } = resolveEndpoint({ endpoint: options.endpoint });
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await followEvents({
            endpoint,
            secret: options.secret,
            follow: options.follow,
            json: options.json,
            intervalMs: options.interval,
            write: (line) => process.stdout.write(`${line}\n`),
            signal: controller.signal,
          });
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      },
    );
}
