/**
 * A loopback HTTP simulator of Snowflake's SQL API for key-pair rotation (reference
 * `partner-apis.md` §4): `POST /api/v2/statements` and `GET /api/v2/statements/{handle}`, real
 * key-pair JWT verification against each user's two key slots, and the statements a key rotation
 * needs (`DESC USER`, `ALTER USER … SET|UNSET RSA_PUBLIC_KEY[_2]`, `SELECT 1`). One server serves
 * every account: the account comes from the JWT, as the host would name it at Snowflake.
 *
 * @example
 * ```ts
 * const sim = await SnowflakeSimulator.start();
 * const value = await sim.createUser('SVC_LOADER'); // a ready SnowflakeKeyPairAuthentication value
 * console.log(sim.slots(value.account, value.user));
 * await sim.close();
 * ```
 */

import { SimulatorClock } from '../../../src/kit/simulator/clock.ts';
import type { SimulatorServer } from '../../../src/kit/simulator/http-server.ts';
import { type SimulatorRateLimit, SimulatorRateLimiter } from '../../../src/kit/simulator/rate-limit.ts';
import type { RunningSimulator, SimulatorProbe } from '../../../src/runtime/partner.ts';
import { signKeyPairJwt } from '../jwt.ts';
import { type GeneratedKeyPair, generateRsaKeyPair, loadPrivateKey, pemBody } from '../keys.ts';
import type { SnowflakeSecret } from '../types.ts';
import { DEFAULT_BEHAVIOUR, resolveBehaviour, type SnowflakeSimulatorBehaviour } from './behaviour.ts';
import { faultReply, type SimulatorFault, snowflakeFaults } from './faults.ts';
import { notFound, type Reply, type SimRequest, tooManyRequests } from './http.ts';
import { verifyKeyPairJwt } from './jwt-verify.ts';
import { snowflakeProbe } from './probe.ts';
import { type Handled, listenSnowflake, type RequestLogEntry, type SnowflakeLogFields } from './server.ts';
import { handleSqlApi } from './sql-routes.ts';
import { AccountState, parseSlotKey, type SimUser, SLOT_NAMES, type SlotName } from './state.ts';
import { statementSummary } from './statements.ts';

export type { RequestLogEntry, SimulatorFault, SlotName, SnowflakeSimulatorBehaviour };
export const DEFAULT_SNOWFLAKE_SIMULATOR_BEHAVIOUR: Readonly<SnowflakeSimulatorBehaviour> = DEFAULT_BEHAVIOUR;

/** The account every simulator serves first (any account works; users are created per account). */
export const SIMULATOR_ACCOUNT = 'rotorsim-demo';

export interface SnowflakeSimulatorOptions {
  /** 0 or undefined: a random free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** External clock; otherwise real time. `advanceTime` adds to either. */
  now?: () => Date;
  /** The "Not confirmed" behaviours; unset ones take the safe defaults. */
  behaviour?: Partial<SnowflakeSimulatorBehaviour>;
  /** Each account's request rate limit, on the simulator's clock; default none. Answered `429`. */
  rateLimit?: SimulatorRateLimit;
}

/** The demo user, as printed by `rotor simulate SnowflakeKeyPairAuthentication`. */
export interface SnowflakeSeed {
  baseUrl: string;
  account: string;
  user: string;
  privateKey: string;
  publicKey: string;
}

export class SnowflakeSimulator implements RunningSimulator {
  readonly baseUrl: string;
  readonly seed: SnowflakeSeed;
  /** Partner-agnostic test access, for the conformance suite. */
  readonly probe: SimulatorProbe;
  readonly #server: SimulatorServer<SnowflakeLogFields>;
  readonly #state = new AccountState();
  readonly #clock: SimulatorClock;
  readonly #faults = snowflakeFaults();
  readonly #answered = new Map<string, Reply>();
  readonly #handles = new Map<string, { owner: SimUser; reply: Reply }>();
  #behaviour: SnowflakeSimulatorBehaviour;
  #rateLimiter: SimulatorRateLimiter | undefined;

  private constructor(
    server: SimulatorServer<SnowflakeLogFields>,
    clock: SimulatorClock,
    behaviour: SnowflakeSimulatorBehaviour,
  ) {
    this.#server = server;
    this.#clock = clock;
    this.#behaviour = behaviour;
    this.baseUrl = server.baseUrl;
    this.probe = snowflakeProbe(this) as unknown as SimulatorProbe;
    this.seed = {
      baseUrl: server.baseUrl,
      account: SIMULATOR_ACCOUNT,
      user: '',
      privateKey: '',
      publicKey: '',
    };
  }

  /** Starts the server on loopback with one account holding a demo user with a key in slot 1. */
  static async start(options: SnowflakeSimulatorOptions = {}): Promise<SnowflakeSimulator> {
    const clock = new SimulatorClock(options.now);
    // Checked before the server listens, so a bad option leaves nothing running.
    const limiter = options.rateLimit && new SimulatorRateLimiter(options.rateLimit, () => clock.now());
    let simulator: SnowflakeSimulator | undefined;
    // Requests before `start` resolves (only possible on a fixed port) find nothing yet.
    const server = await listenSnowflake(options.host ?? '127.0.0.1', options.port ?? 0, (request) =>
      simulator ? simulator.#handle(request) : { reply: notFound() },
    );
    const created = new SnowflakeSimulator(
      server,
      clock,
      resolveBehaviour(DEFAULT_BEHAVIOUR, options.behaviour),
    );
    try {
      const demo = await created.createUser('ROTOR_DEMO');
      Object.assign(created.seed, {
        user: demo.user,
        privateKey: demo.privateKey,
        publicKey: demo.publicKey,
      });
      Object.freeze(created.seed);
    } catch (error) {
      await server.close();
      throw error;
    }
    created.#rateLimiter = limiter;
    simulator = created;
    return simulator;
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  now(): Date {
    return this.#clock.now();
  }

  advanceTime(ms: number): void {
    this.#clock.advance(ms);
  }

  /** The current behaviour options (a copy). */
  behaviour(): SnowflakeSimulatorBehaviour {
    return resolveBehaviour(this.#behaviour);
  }

  setBehaviour(overrides: Partial<SnowflakeSimulatorBehaviour>): void {
    this.#behaviour = resolveBehaviour(this.#behaviour, overrides);
  }

  /** Limits each account's requests from now on (fresh buckets), or lifts the limit (`undefined`). */
  setRateLimit(limit: SimulatorRateLimit | undefined): void {
    this.#rateLimiter =
      limit === undefined ? undefined : new SimulatorRateLimiter(limit, () => this.#clock.now());
  }

  /**
   * Creates a user with a fresh key pair in `RSA_PUBLIC_KEY` and returns a ready-to-rotate value.
   * `name` is the user as resolved (upper case for an ordinary name).
   */
  async createUser(
    name: string,
    options: {
      account?: string;
      admin?: boolean;
      canAlterSelf?: boolean;
      encrypt?: boolean;
      /** Reuse a pair instead of generating one (2048-bit generation is slow on small machines). */
      keyPair?: GeneratedKeyPair;
    } = {},
  ): Promise<SnowflakeSecret> {
    const account = options.account ?? SIMULATOR_ACCOUNT;
    const user = this.#state.addUser(account, name, options);
    const pair = options.keyPair ?? (await generateRsaKeyPair({ encrypt: options.encrypt ?? false }));
    this.setKey(account, name, 'RSA_PUBLIC_KEY', pair.publicKey);
    return { account, user: user.name, ...pair };
  }

  /** Sets (PEM or base64 SPKI) or clears (`undefined`) one key slot, as an administrator would. */
  setKey(account: string, user: string, slot: SlotName, publicKey: string | undefined): void {
    const target = this.#user(account, user);
    if (publicKey === undefined) {
      delete target.slots[slot];
      return;
    }
    const key = parseSlotKey(pemBody(publicKey));
    if (!key) throw new Error('Not an RSA public key of at least 2048 bits');
    target.slots[slot] = key;
  }

  /** Fingerprints per slot (absent when empty). */
  slots(account: string, user: string): Partial<Record<SlotName, string>> {
    const target = this.#user(account, user);
    return Object.fromEntries(
      SLOT_NAMES.flatMap((slot) => (target.slots[slot] ? [[slot, target.slots[slot].fingerprint]] : [])),
    );
  }

  /** How many key slots of the user hold a key: the live credentials. */
  liveKeys(account: string, user: string): number {
    return Object.keys(this.slots(account, user)).length;
  }

  /** Grants or withdraws the user's privilege to alter itself. */
  setCanAlterSelf(account: string, user: string, allowed: boolean): void {
    this.#user(account, user).canAlterSelf = allowed;
  }

  /** Whether a value's private key logs its user in now: a JWT it signs passes verification. */
  authenticates(value: Pick<SnowflakeSecret, 'account' | 'user' | 'privateKey' | 'passphrase'>): boolean {
    let token: string;
    try {
      const privateKey = loadPrivateKey(value);
      token = signKeyPairJwt({
        account: value.account,
        user: value.user,
        privateKey,
        algorithm: 'RS256',
        now: this.now(),
      });
    } catch {
      return false;
    }
    return verifyKeyPairJwt(token, this.#state, this.now(), this.#behaviour).ok;
  }

  requests(): RequestLogEntry[] {
    return this.#server.requests();
  }

  clearRequests(): void {
    this.#server.clearRequests();
  }

  injectFault(fault: SimulatorFault): void {
    this.#faults.add(fault);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  #user(account: string, user: string): SimUser {
    const found = this.#state.find(account.split('.')[0] ?? account, user);
    if (!found) throw new Error(`Unknown user ${user} in account ${account}`);
    return found;
  }

  #handle(request: SimRequest): Handled {
    const statement = statementOf(request);
    const fault = this.#faults.take({
      method: request.method,
      path: request.url.pathname + request.url.search,
      statement,
    });
    if (fault)
      return { reply: faultReply(fault), log: statement ? { statement: statementSummary(statement) } : {} };
    const limited = this.#rateLimiter?.take(accountOf(request));
    if (limited?.limited) {
      // Refused before authentication or execution: nothing runs, nothing is remembered by requestId.
      const reply = tooManyRequests();
      return {
        reply:
          this.#behaviour.rateLimitRetryAfter && reply.kind === 'json'
            ? { ...reply, headers: { 'Retry-After': String(limited.retryAfterSeconds) } }
            : reply,
        log: statement ? { statement: statementSummary(statement) } : {},
      };
    }
    return handleSqlApi(
      {
        state: this.#state,
        behaviour: this.#behaviour,
        now: this.#clock.now(),
        answered: this.#answered,
        handles: this.#handles,
      },
      request,
    );
  }
}

/** Same as {@link SnowflakeSimulator.start}. */
export const startSnowflakeSimulator = SnowflakeSimulator.start;

/**
 * The account a request is for, as Snowflake knows it from the host name: here the JWT's `sub`
 * (`ACCOUNT.USER`), read without verifying it — a limit is applied before authentication.
 */
function accountOf(request: SimRequest): string {
  const token = /^Bearer ([^\s.]+)\.([^\s.]+)\./.exec(request.headers.authorization ?? '')?.[2];
  if (token === undefined) return '';
  try {
    const sub = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? (sub.split('.')[0] ?? '').toUpperCase() : '';
  } catch {
    return '';
  }
}

function statementOf(request: SimRequest): string | undefined {
  if (request.method !== 'POST') return undefined;
  try {
    const statement = (JSON.parse(request.body.toString('utf8')) as { statement?: unknown }).statement;
    return typeof statement === 'string' ? statement : undefined;
  } catch {
    return undefined;
  }
}
