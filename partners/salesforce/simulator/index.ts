/**
 * A loopback HTTP simulator of a Salesforce org's External Client App credential APIs: the OAuth
 * token endpoint (client credentials) and the Connect REST credentials and staged-credentials
 * routes (reference `partner-apis.md` section 3). One server is login host and My Domain at once.
 *
 * @example
 * ```ts
 * const sim = await SalesforceSimulator.start();
 * const res = await fetch(`${sim.baseUrl}/services/oauth2/token`, {
 *   method: 'POST',
 *   body: new URLSearchParams({
 *     grant_type: 'client_credentials',
 *     client_id: sim.seed.consumerKey,
 *     client_secret: sim.seed.consumerSecret,
 *   }),
 * });
 * await sim.close();
 * ```
 */

import { SimulatorClock } from '../../../src/kit/simulator/clock.ts';
import type { SimulatorServer } from '../../../src/kit/simulator/http-server.ts';
import { type SimulatorRateLimit, SimulatorRateLimiter } from '../../../src/kit/simulator/rate-limit.ts';
import type { SimulatorProbe } from '../../../src/runtime/partner.ts';
import {
  DEFAULT_BEHAVIOUR,
  type OAuthErrorSpec,
  type RestErrorSpec,
  resolveBehaviour,
  type SalesforceSimulatorBehaviour,
} from './behaviour.ts';
import { faultReply, type SimulatorFault, salesforceFaults } from './faults.ts';
import { notFound, oauthErrorFrom, type Reply, restErrorFrom, type SimRequest } from './http.ts';
import { IdFactory, matchesId, RandomSource } from './ids.ts';
import { handleOAuth } from './oauth-routes.ts';
import { salesforceProbe } from './probe.ts';
import { handleData } from './rest-routes.ts';
import { listenSalesforce, type RequestLogEntry } from './server.ts';
import { type ExternalClientApp, OrgState } from './state.ts';

export type { OAuthErrorSpec, RequestLogEntry, RestErrorSpec, SalesforceSimulatorBehaviour, SimulatorFault };
export const DEFAULT_SALESFORCE_SIMULATOR_BEHAVIOUR: Readonly<SalesforceSimulatorBehaviour> =
  DEFAULT_BEHAVIOUR;

export interface SalesforceSimulatorOptions {
  /** 0 or undefined: a random free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** External clock; otherwise real time. `advanceTime` adds to either. */
  now?: () => Date;
  /** The "Not confirmed" behaviours (reference 3.8); unset ones take the safe defaults. */
  behaviour?: Partial<SalesforceSimulatorBehaviour>;
  /** Deterministic ids, keys and secrets. */
  seed?: string;
  /**
   * The org's request rate limit (token and REST requests together), on the simulator's clock;
   * default none. Answered with `behaviour.rateLimitRestError` / `rateLimitTokenError`.
   */
  rateLimit?: SimulatorRateLimit;
}

/** The ECA pair, as printed by `rotor simulate SalesforceClientSecret`. */
export interface AppCredentials {
  appId: string;
  consumerId: string;
  consumerKey: string;
  consumerSecret: string;
}

export interface SalesforceSeed extends AppCredentials {
  baseUri: string;
  orgId: string;
  runAsUserId: string;
  /** A second ECA in the same org whose pair can call the REST API (for `adminSecretArn`). */
  admin: AppCredentials;
  apiVersion: string;
}

export interface LiveCredential {
  appId: string;
  consumerId: string;
  key: string;
  kind: 'primary' | 'staged-active' | 'rotated';
  stagedId?: string;
  expiresAt?: string;
}

export class SalesforceSimulator {
  readonly baseUrl: string;
  readonly seed: SalesforceSeed;
  /** Partner-agnostic test access, for the conformance suite. */
  readonly probe: SimulatorProbe;
  readonly #server: SimulatorServer;
  readonly #state: OrgState;
  readonly #clock: SimulatorClock;
  readonly #faults = salesforceFaults();
  readonly #apiUsage = { used: 0 };
  /** Shared with the org state, which reads it on every operation. */
  readonly #settings: { behaviour: SalesforceSimulatorBehaviour };
  #rateLimiter: SimulatorRateLimiter | undefined;

  private constructor(parts: {
    server: SimulatorServer;
    state: OrgState;
    clock: SimulatorClock;
    settings: { behaviour: SalesforceSimulatorBehaviour };
    seed: SalesforceSeed;
  }) {
    this.#server = parts.server;
    this.#state = parts.state;
    this.#clock = parts.clock;
    this.#settings = parts.settings;
    this.baseUrl = parts.server.baseUrl;
    this.seed = parts.seed;
    this.probe = salesforceProbe(this) as unknown as SimulatorProbe;
  }

  /** Starts the server on loopback with an org holding the app to rotate and an admin app. */
  static async start(options: SalesforceSimulatorOptions = {}): Promise<SalesforceSimulator> {
    const clock = new SimulatorClock(options.now);
    // Checked before the server listens, so a bad option leaves nothing running.
    const limiter = options.rateLimit && new SimulatorRateLimiter(options.rateLimit, () => clock.now());
    const settings = { behaviour: resolveBehaviour(DEFAULT_BEHAVIOUR, options.behaviour) };
    const state = new OrgState(
      new IdFactory(new RandomSource(options.seed)),
      clock,
      () => settings.behaviour,
    );
    const target = state.addApp({ developerName: 'Rotor_Target_App', label: 'Rotor Target App' });
    const admin = state.addApp({ developerName: 'Rotor_Admin_App', label: 'Rotor Admin App' });

    let simulator: SalesforceSimulator | undefined;
    // Requests before `start` resolves (only possible on a fixed port) find nothing yet.
    const server = await listenSalesforce(options.host ?? '127.0.0.1', options.port ?? 0, (request) =>
      simulator ? simulator.#handle(request) : notFound(),
    );
    const seed: SalesforceSeed = {
      baseUri: server.baseUrl,
      orgId: state.orgId,
      runAsUserId: state.runAsUserId,
      ...appCredentials(target),
      admin: Object.freeze(appCredentials(admin)),
      apiVersion: 'v65.0',
    };
    Object.freeze(seed);
    simulator = new SalesforceSimulator({ server, state, clock, settings, seed });
    simulator.#rateLimiter = limiter;
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
    this.#state.sweep();
  }

  /** The current behaviour options (a copy). */
  behaviour(): SalesforceSimulatorBehaviour {
    return resolveBehaviour(this.#settings.behaviour);
  }

  setBehaviour(overrides: Partial<SalesforceSimulatorBehaviour>): void {
    this.#settings.behaviour = resolveBehaviour(this.#settings.behaviour, overrides);
  }

  /** Limits the org's requests from now on (a fresh bucket), or lifts the limit (`undefined`). */
  setRateLimit(limit: SimulatorRateLimit | undefined): void {
    this.#rateLimiter =
      limit === undefined ? undefined : new SimulatorRateLimiter(limit, () => this.#clock.now());
  }

  /** Pairs that authenticate now (keys only, never secrets). */
  liveCredentials(appId?: string): LiveCredential[] {
    return this.#state
      .livePairs()
      .filter((live) => appId === undefined || matchesId(live.app.id, appId))
      .map((live) => ({
        appId: live.app.id,
        consumerId: live.consumer.id,
        key: live.pair.key,
        kind: live.kind,
        ...(live.staged
          ? { stagedId: live.staged.id, expiresAt: live.staged.expirationDate.toISOString() }
          : {}),
      }));
  }

  /** Whether the pair is live (primary, Active staged or unexpired Rotated), ignoring app settings. */
  authenticates(key: string, secret: string): boolean {
    return this.#state.authenticates(key, secret);
  }

  requests(): RequestLogEntry[] {
    return this.#server.requests();
  }

  clearRequests(): void {
    this.#server.clearRequests();
  }

  /** Org setting "Allow access to External Client App consumer secrets via REST API". */
  setRestSecretAccess(enabled: boolean): void {
    this.#state.restSecretAccessEnabled = enabled;
  }

  /** Whether the Run-As user has External Client App Developer and View Client Secret. */
  setUserPermissions(enabled: boolean): void {
    this.#state.userHasPermissions = enabled;
  }

  /** Turns the client-credentials flow of one app on or off. */
  setClientCredentialsEnabled(appId: string, enabled: boolean): void {
    this.#app(appId).clientCredentialsEnabled = enabled;
  }

  /** Every issued access token becomes invalid (401 `INVALID_SESSION_ID`). */
  expireAllTokens(): void {
    this.#state.expireAllTokens();
  }

  injectFault(fault: SimulatorFault): void {
    this.#faults.add(fault);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Stages an Active set created by another user of the org; the slot must be empty. */
  addStagedSetByAnotherUser(appId: string): void {
    const consumer = this.#app(appId).consumers[0];
    this.#state.sweep();
    if (!consumer || consumer.staged) throw new Error(`The staged slot of app ${appId} is occupied`);
    this.#state.stage(consumer, this.#state.otherUserId);
  }

  /** Adds another ECA to the org (for pagination tests, for instance). */
  addApp(
    developerName: string,
    options: { label?: string; clientCredentialsEnabled?: boolean } = {},
  ): AppCredentials {
    return appCredentials(this.#state.addApp({ developerName, ...options }));
  }

  #app(appId: string): ExternalClientApp {
    const app = this.#state.findApp(appId);
    if (!app) throw new Error(`Unknown app ${appId}`);
    return app;
  }

  #handle(request: SimRequest): Reply {
    const path = request.url.pathname;
    const fault = this.#faults.take({ method: request.method, path: path + request.url.search });
    if (fault) return faultReply(fault, path);
    const behaviour = this.#settings.behaviour;
    const limited = this.#rateLimiter?.take(this.#state.orgId);
    if (limited?.limited) {
      // Refused before anything runs: a rate-limited request changes nothing and is not counted.
      const reply = path.startsWith('/services/oauth2/')
        ? oauthErrorFrom(behaviour.rateLimitTokenError)
        : restErrorFrom(behaviour.rateLimitRestError);
      return behaviour.rateLimitRetryAfter && reply.kind === 'json'
        ? { ...reply, headers: { ...reply.headers, 'Retry-After': String(limited.retryAfterSeconds) } }
        : reply;
    }
    this.#state.sweep();
    const now = this.#clock.now();
    if (path.startsWith('/services/oauth2/')) {
      return handleOAuth({ state: this.#state, behaviour, baseUrl: this.baseUrl, now }, request);
    }
    if (path === '/services/data' || path.startsWith('/services/data/')) {
      return handleData({ state: this.#state, behaviour, now, apiUsage: this.#apiUsage }, request);
    }
    return notFound();
  }
}

/** Same as {@link SalesforceSimulator.start}. */
export const startSalesforceSimulator = SalesforceSimulator.start;

function appCredentials(app: ExternalClientApp): AppCredentials {
  const consumer = app.consumers[0];
  if (!consumer) throw new Error(`App ${app.id} has no consumer`);
  return {
    appId: app.id,
    consumerId: consumer.id,
    consumerKey: consumer.primary.key,
    consumerSecret: consumer.primary.secret,
  };
}
