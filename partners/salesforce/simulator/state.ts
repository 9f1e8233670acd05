/**
 * The simulated org: External Client Apps with one OAuth consumer each, the consumer's primary pair
 * and its single staged slot, and the access tokens issued so far. All time comes from the clock.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SimulatorClock } from '../../../src/kit/simulator/clock.ts';
import type { SalesforceSimulatorBehaviour } from './behaviour.ts';
import { type IdFactory, matchesId } from './ids.ts';

export type StagedState = 'Active' | 'Expired' | 'Rotated';

export interface CredentialPair {
  key: string;
  secret: string;
}

export interface StagedSet extends CredentialPair {
  id: string;
  state: StagedState;
  createdBy: string;
  createdDate: Date;
  expirationDate: Date;
}

export interface Consumer {
  id: string;
  name: string;
  primary: CredentialPair;
  /** One slot: an Active set, the Rotated-out old primary, or an Expired leftover. */
  staged: StagedSet | null;
}

export interface ExternalClientApp {
  id: string;
  developerName: string;
  label: string;
  clientCredentialsEnabled: boolean;
  runAsUserId: string;
  consumers: Consumer[];
}

export interface Session {
  appId: string;
  consumerId: string;
  userId: string;
  expiresAt: Date;
}

export type PairKind = 'primary' | 'staged-active' | 'rotated';

/** A pair that authenticates right now. */
export interface LivePair {
  app: ExternalClientApp;
  consumer: Consumer;
  pair: CredentialPair;
  kind: PairKind;
  staged?: StagedSet;
}

export interface NewAppOptions {
  developerName: string;
  label?: string;
  clientCredentialsEnabled?: boolean;
}

export class OrgState {
  readonly orgId: string;
  readonly runAsUserId: string;
  /** Another user of the org, creator of sets made by `addStagedSetByAnotherUser`. */
  readonly otherUserId: string;
  restSecretAccessEnabled = true;
  userHasPermissions = true;
  readonly apps: ExternalClientApp[] = [];
  readonly #sessions = new Map<string, Session>();
  /** Apps by 15-character id and by lower-cased 18-character id (ids match as `matchesId` says). */
  readonly #appsById15 = new Map<string, ExternalClientApp>();
  readonly #appsById18 = new Map<string, ExternalClientApp>();
  /** Where each consumer key was issued; checked on lookup, so a key that died since is not found by it. */
  readonly #consumerOfKey = new Map<string, { app: ExternalClientApp; consumer: Consumer }>();
  readonly #appOfConsumer = new Map<Consumer, ExternalClientApp>();
  /** The earliest `expirationDate` of a set not yet Expired: until then, a sweep has nothing to do. */
  #nextExpiry = Number.POSITIVE_INFINITY;
  readonly #ids: IdFactory;
  readonly #clock: SimulatorClock;
  readonly #behaviour: () => SalesforceSimulatorBehaviour;

  constructor(ids: IdFactory, clock: SimulatorClock, behaviour: () => SalesforceSimulatorBehaviour) {
    this.#ids = ids;
    this.#clock = clock;
    this.#behaviour = behaviour;
    this.orgId = ids.recordId('00D');
    this.runAsUserId = ids.recordId('005');
    this.otherUserId = ids.recordId('005');
  }

  addApp(options: NewAppOptions): ExternalClientApp {
    const app: ExternalClientApp = {
      id: this.#ids.recordId('0xI'),
      developerName: options.developerName,
      label: options.label ?? options.developerName.replaceAll('_', ' '),
      clientCredentialsEnabled: options.clientCredentialsEnabled ?? true,
      runAsUserId: this.runAsUserId,
      consumers: [
        {
          id: this.#ids.recordId('0Hn'),
          name: `${options.developerName}_oauth`,
          primary: { key: this.#ids.consumerKey(), secret: this.#ids.consumerSecret() },
          staged: null,
        },
      ],
    };
    this.apps.push(app);
    for (const consumer of app.consumers) {
      this.#consumerOfKey.set(consumer.primary.key, { app, consumer });
      this.#appOfConsumer.set(consumer, app);
    }
    this.#appsById15.set(app.id.slice(0, 15), app);
    this.#appsById18.set(app.id.toLowerCase(), app);
    return app;
  }

  findApp(id: string): ExternalClientApp | undefined {
    const app = id.length === 15 ? this.#appsById15.get(id) : this.#appsById18.get(id.toLowerCase());
    return app !== undefined && matchesId(app.id, id) ? app : undefined;
  }

  findConsumer(app: ExternalClientApp, id: string): Consumer | undefined {
    return app.consumers.find((consumer) => matchesId(consumer.id, id));
  }

  /** Moves sets past their `expirationDate` to `Expired` (or drops them); they stop authenticating. */
  sweep(): void {
    const now = this.#clock.now().getTime();
    // Runs before every request: with many apps, walking them all each time was the simulator's cost.
    if (now < this.#nextExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (const consumer of this.#consumers()) {
      const set = consumer.staged;
      if (!set || set.state === 'Expired') continue;
      if (set.expirationDate.getTime() > now) {
        next = Math.min(next, set.expirationDate.getTime());
        continue;
      }
      if (this.#behaviour().expiredStaged === 'remove') consumer.staged = null;
      else set.state = 'Expired';
    }
    this.#nextExpiry = next;
  }

  /** Every pair that authenticates now: primaries, Active staged sets and unexpired Rotated sets. */
  livePairs(): LivePair[] {
    this.sweep();
    const pairs: LivePair[] = [];
    for (const app of this.apps) {
      for (const consumer of app.consumers) {
        pairs.push({ app, consumer, pair: consumer.primary, kind: 'primary' });
        const set = consumer.staged;
        if (set?.state === 'Active')
          pairs.push({ app, consumer, pair: set, kind: 'staged-active', staged: set });
        if (set?.state === 'Rotated') pairs.push({ app, consumer, pair: set, kind: 'rotated', staged: set });
      }
    }
    return pairs;
  }

  /** The live pair with consumer key `key` (what {@link livePairs} would list, without listing all). */
  findLiveKey(key: string): LivePair | undefined {
    this.sweep();
    const issued = this.#consumerOfKey.get(key);
    const live = issued && liveAt(issued.app, issued.consumer, key);
    if (live) return live;
    // A key no longer where it was issued (or never seen): look everywhere, as livePairs would.
    for (const app of this.apps) {
      for (const consumer of app.consumers) {
        const found = liveAt(app, consumer, key);
        if (found) return found;
      }
    }
    return undefined;
  }

  authenticates(key: string, secret: string): boolean {
    const live = this.findLiveKey(key);
    return live !== undefined && secretsEqual(live.pair.secret, secret);
  }

  issueToken(app: ExternalClientApp, consumer: Consumer): { token: string; session: Session } {
    const token = this.#ids.accessToken(this.orgId);
    const expiresAt = new Date(this.#clock.now().getTime() + this.#behaviour().sessionLifetimeMs);
    const session: Session = { appId: app.id, consumerId: consumer.id, userId: app.runAsUserId, expiresAt };
    this.#sessions.set(token, session);
    return { token, session };
  }

  /** The session of a bearer token, if it is known and not expired. */
  session(token: string): Session | undefined {
    const session = this.#sessions.get(token);
    if (!session) return undefined;
    if (session.expiresAt.getTime() <= this.#clock.now().getTime()) {
      this.#sessions.delete(token);
      return undefined;
    }
    return session;
  }

  revokeToken(token: string): boolean {
    return this.#sessions.delete(token);
  }

  expireAllTokens(): void {
    this.#sessions.clear();
  }

  /** Mints a new Active set into an empty slot. The caller checks that the slot is empty. */
  stage(consumer: Consumer, createdBy: string): StagedSet {
    const now = this.#clock.now();
    const set: StagedSet = {
      id: this.#ids.recordId('0Sc'),
      key: this.#ids.consumerKey(),
      secret: this.#ids.consumerSecret(),
      state: 'Active',
      createdBy,
      createdDate: now,
      expirationDate: new Date(now.getTime() + this.#behaviour().stagedLifetimeMs),
    };
    consumer.staged = set;
    this.#nextExpiry = Math.min(this.#nextExpiry, set.expirationDate.getTime());
    const app = this.#appOfConsumer.get(consumer);
    if (app) this.#consumerOfKey.set(set.key, { app, consumer });
    return set;
  }

  /** Promotes the Active set: it becomes the primary; the old primary takes the slot as Rotated. */
  rotate(consumer: Consumer, set: StagedSet): StagedSet {
    const behaviour = this.#behaviour();
    const oldPrimary = consumer.primary;
    consumer.primary = { key: set.key, secret: set.secret };
    const rotated: StagedSet = {
      ...set,
      ...oldPrimary,
      id: behaviour.rotatedSetId === 'new' ? this.#ids.recordId('0Sc') : set.id,
      state: 'Rotated',
      expirationDate:
        behaviour.rotatedExpiryFrom === 'rotation'
          ? new Date(this.#clock.now().getTime() + behaviour.stagedLifetimeMs)
          : set.expirationDate,
    };
    consumer.staged = rotated;
    this.#nextExpiry = Math.min(this.#nextExpiry, rotated.expirationDate.getTime());
    return rotated;
  }

  *#consumers(): Iterable<Consumer> {
    for (const app of this.apps) yield* app.consumers;
  }
}

/** The pair of `consumer` with `key`, if it authenticates now. */
function liveAt(app: ExternalClientApp, consumer: Consumer, key: string): LivePair | undefined {
  if (consumer.primary.key === key) return { app, consumer, pair: consumer.primary, kind: 'primary' };
  const set = consumer.staged;
  if (set?.key !== key) return undefined;
  if (set.state === 'Active') return { app, consumer, pair: set, kind: 'staged-active', staged: set };
  if (set.state === 'Rotated') return { app, consumer, pair: set, kind: 'rotated', staged: set };
  return undefined;
}

/** Constant-time comparison: hashing first makes both inputs the same length. */
function secretsEqual(expected: string, actual: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(actual));
}
