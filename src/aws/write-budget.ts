/**
 * A client-side budget for Secrets Manager's write quota: `PutSecretValue`, `UpdateSecret` and
 * `UpdateSecretVersionStage` share 50 requests per second per account and Region, and AWS answers
 * `ThrottlingException` beyond it. Retrying with back-off after the fact spends attempts and lets
 * the SDK's adaptive mode settle far below the quota; pacing the writes before they leave keeps a
 * fleet of rotations at the quota instead. An SDK middleware, so every client that shares one
 * {@link WriteBudget} — the engine's own client and each client under an assumed customer role —
 * is paced together.
 *
 * The token bucket is hand-written (the GCRA form of it, "virtual scheduling"): it is a dozen lines
 * that take an injected clock, so it is tested without waiting, and a rate-limiter package would
 * add weight to the Lambda bundle for no gain.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { FinalizeRequestMiddleware, Pluggable, RelativeMiddlewareOptions } from '@smithy/types';
import { InvalidConfigurationError } from '../engine/errors.ts';
import { parseSecretArn, type SecretsManagerClientsOptions } from './roles.ts';

/** The commands Secrets Manager's write quota counts ("combined rate" of the three). */
export const QUOTA_COUNTED_COMMANDS: ReadonlySet<string> = new Set([
  'PutSecretValueCommand',
  'UpdateSecretCommand',
  'UpdateSecretVersionStageCommand',
]);

const DEFAULT_JITTER_MS = 50;
/** Past this many scopes, those with nothing reserved ahead are forgotten (they would start afresh anyway). */
const MAX_SCOPES = 10_000;

export interface WriteBudgetOptions {
  /** The quota paced to: writes per second per account and Region (AWS: 50). */
  writesPerSecond: number;
  /**
   * How many writes the quota admits at once (its bucket). Not confirmed by AWS; default one
   * second's worth (at least one), which is what the local stack enforces.
   */
  burst?: number;
  /**
   * How much the time from leaving the budget to being counted by Secrets Manager may vary, in ms
   * (default 50). The budget keeps that much in hand: a write that left on time but arrives early
   * relative to the one before would otherwise be throttled.
   */
  jitterMs?: number;
  /** Milliseconds since the epoch; injected in tests. */
  now?: () => number;
  /** Waits `ms` milliseconds; injected in tests. */
  wait?: (ms: number) => Promise<void>;
}

function invalid(field: string, fix: string): InvalidConfigurationError {
  return new InvalidConfigurationError(`writeBudget.${field} ${fix}`, { field: `writeBudget.${field}` });
}

/**
 * Paces quota-counted writes per scope (`<account>/<region>`): a write waits for its slot rather
 * than failing. Slots are handed out in call order.
 *
 * @example
 * ```ts
 * const budget = new WriteBudget({ writesPerSecond: 50 });
 * const client = applyWriteBudget(new SecretsManagerClient({}), budget);
 * await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: value })); // paced
 * ```
 */
export class WriteBudget {
  /** Milliseconds between two writes of one scope. */
  readonly intervalMs: number;
  /** How far ahead of its slot a write may go: the burst the budget admits, less the jitter kept in hand. */
  readonly toleranceMs: number;
  readonly #now: () => number;
  readonly #wait: (ms: number) => Promise<void>;
  /** Per scope, when the next write is due if the scope paced exactly at the rate. */
  readonly #due = new Map<string, number>();

  constructor(options: WriteBudgetOptions) {
    const { writesPerSecond, burst = Math.max(1, writesPerSecond), jitterMs = DEFAULT_JITTER_MS } = options;
    if (!(Number.isFinite(writesPerSecond) && writesPerSecond > 0))
      throw invalid('writesPerSecond', 'must be a positive number of writes per second, e.g. 50.');
    if (!(Number.isFinite(burst) && burst >= 1))
      throw invalid(
        'burst',
        'must be a number of writes ≥ 1, e.g. 50; leave it unset for one second’s worth.',
      );
    if (!(Number.isFinite(jitterMs) && jitterMs >= 0))
      throw invalid('jitterMs', 'must be a number of milliseconds ≥ 0, e.g. 50.');
    const interval = 1000 / writesPerSecond;
    const tolerance = (Math.floor(burst) - 1) * interval;
    // Writes arrive up to `jitterMs` later than they left. With a bucket big enough, keeping that
    // much of it unused absorbs the variation at the full rate; with a bucket of one (a low quota)
    // nothing can be kept, so the writes are spaced `jitterMs` further apart instead.
    if (tolerance >= jitterMs) {
      this.intervalMs = interval;
      this.toleranceMs = tolerance - jitterMs;
    } else {
      this.intervalMs = interval + jitterMs;
      this.toleranceMs = 0;
    }
    this.#now = options.now ?? Date.now;
    this.#wait = options.wait ?? ((ms) => delay(ms));
  }

  /**
   * Takes the next slot of `scope` and returns how many milliseconds the write must wait for it
   * (0: go now). The slot is taken even if the caller then gives up, which only errs on the safe side.
   */
  reserve(scope: string): number {
    const now = this.#now();
    const due = Math.max(this.#due.get(scope) ?? now, now);
    const at = Math.max(now, due - this.toleranceMs);
    if (this.#due.size >= MAX_SCOPES) this.#forgetIdle(now);
    this.#due.set(scope, due + this.intervalMs);
    return at - now;
  }

  /** Resolves when the write may go. */
  async acquire(scope: string): Promise<void> {
    const wait = this.reserve(scope);
    if (wait > 0) await this.#wait(wait);
  }

  /** Scopes with nothing reserved ahead start afresh anyway: dropping them changes no decision. */
  #forgetIdle(now: number): void {
    for (const [scope, due] of this.#due) if (due <= now) this.#due.delete(scope);
  }
}

/**
 * The scope a write counts against: the account and Region of its `SecretId` ARN. A secret named
 * without an ARN (Rotor always has the ARN: Secrets Manager passes it) counts against one shared
 * scope, which can only make the budget stricter.
 *
 * @example
 * ```ts
 * writeScopeOf({ SecretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-AbCdEf' }); // '111122223333/eu-west-1'
 * ```
 */
export function writeScopeOf(input: unknown): string {
  const secretId = (input as { SecretId?: unknown } | undefined)?.SecretId;
  const arn = typeof secretId === 'string' ? parseSecretArn(secretId) : undefined;
  return arn ? `${arn.accountId}/${arn.region}` : 'unscoped';
}

/**
 * Inside the SDK's retry loop (after `retryMiddleware`) and before signing, so a retried write
 * waits for a slot of its own and is signed when it actually leaves.
 */
export const WRITE_BUDGET_MIDDLEWARE: RelativeMiddlewareOptions = {
  name: 'rotorWriteBudget',
  relation: 'before',
  toMiddleware: 'httpSigningMiddleware',
  override: true,
};

/**
 * The middleware: quota-counted commands wait for their slot in `budget`; everything else passes.
 *
 * @example
 * ```ts
 * client.middlewareStack.use(writeBudgetPlugin(new WriteBudget({ writesPerSecond: 50 })));
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: a middleware for any client's input and output types.
export function writeBudgetPlugin(budget: WriteBudget): Pluggable<any, any> {
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const middleware: FinalizeRequestMiddleware<any, any> = (next, context) => async (args) => {
    if (QUOTA_COUNTED_COMMANDS.has(String(context.commandName)))
      await budget.acquire(writeScopeOf(args.input));
    return next(args);
  };
  return {
    applyToStack: (stack) => {
      stack.addRelativeTo(middleware, WRITE_BUDGET_MIDDLEWARE);
    },
  };
}

/**
 * Adds the budget to a client (or leaves it as it is without one) and returns the client.
 *
 * @example
 * ```ts
 * const budget = new WriteBudget({ writesPerSecond: 50 });
 * const createClient = (config) => applyWriteBudget(new SecretsManagerClient(config), budget);
 * ```
 */
export function applyWriteBudget<C extends SecretsManagerClient>(
  client: C,
  budget: WriteBudget | undefined,
): C {
  if (budget) client.middlewareStack.use(writeBudgetPlugin(budget));
  return client;
}

/**
 * A `createClient` for {@link SecretsManagerClients} whose clients (one per assumed customer role)
 * share `budget`; without a budget, `create` as it is.
 *
 * @example
 * ```ts
 * new SecretsManagerClients({ secretsManager, sts, createClient: budgetedClientFactory(undefined, budget) });
 * ```
 */
export function budgetedClientFactory(
  create: SecretsManagerClientsOptions['createClient'],
  budget: WriteBudget | undefined,
): SecretsManagerClientsOptions['createClient'] {
  if (!budget) return create;
  const build = create ?? ((config) => new SecretsManagerClient(config));
  return (config) => applyWriteBudget(build(config), budget);
}
