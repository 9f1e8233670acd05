/**
 * Rotation of a Snowflake user's RSA key pair through its two key slots (`RSA_PUBLIC_KEY`,
 * `RSA_PUBLIC_KEY_2`) and the SQL API (reference partner-apis.md §4). Self-rotation: every call is
 * signed with the AWSCURRENT private key (MES defines no admin secret for this type).
 *
 * Which slot is "current" is never stored: each hook reads both slots' fingerprints with
 * `DESC USER` and finds the slot holding AWSCURRENT's key; the other slot is Rotor's to write.
 *
 * - create: generate a key pair, SET it into the other slot, check its fingerprint landed.
 * - set: make sure the pending key sits in a slot (put it back into the other slot if not).
 * - test: run `SELECT 1` with a JWT signed by the pending key.
 * - promote: the same check as set; both slots authenticate, so nothing moves at Snowflake and
 *   AWSCURRENT moving is what makes the new key current.
 * - revoke: UNSET the slot holding AWSPREVIOUS's key (the engine calls it after the grace period);
 *   never the slot holding AWSCURRENT's key.
 */
import { ConflictError, InternalError } from '../../src/engine/errors.ts';
import { assertEgressAllowed } from '../../src/runtime/egress.ts';
import type {
  HookContext,
  PartnerHttpClient,
  PartnerRotatorV1,
  PreflightCheck,
} from '../../src/runtime/partner.ts';
import { SnowflakeSqlApi } from './api.ts';
import { accountUrl, SNOWFLAKE_HOSTS, SNOWFLAKE_TYPE } from './hosts.ts';
import { checkKeyPair, fingerprint, generateRsaKeyPair, loadPublicKey, spkiBase64 } from './keys.ts';
import { PING, setPublicKey, unsetPublicKey } from './sql.ts';
import {
  KEY_SLOTS,
  type KeySlot,
  type SlotFingerprints,
  type SnowflakeMetadata,
  type SnowflakeSecret,
} from './types.ts';

type Context = HookContext<SnowflakeMetadata>;

export interface SnowflakeRotatorOptions {
  /** Per HTTP request; default 30 s. */
  timeoutMs?: number;
  /** Resubmissions of one statement after a network fault or 502/503/504; default 1. */
  retries?: number;
  pollIntervalMs?: number;
  /** The HTTP client; default the runtime's egress-guarded `context.http`. */
  http?: PartnerHttpClient;
}

/** A user's key slots as the hooks see them, with the API to change them. */
interface Session {
  api: SnowflakeSqlApi;
  slots: SlotFingerprints;
}

function otherSlot(slot: KeySlot): KeySlot {
  return slot === 'RSA_PUBLIC_KEY' ? 'RSA_PUBLIC_KEY_2' : 'RSA_PUBLIC_KEY';
}

function slotHolding(slots: SlotFingerprints, fp: string): KeySlot | undefined {
  return KEY_SLOTS.find((slot) => slots[slot] === fp);
}

/**
 * The URL this rotation calls, egress-checked: the simulator's in simulator mode (the secret
 * holds an account name, not a URL), otherwise the account's host.
 */
function baseUrlOf(secret: SnowflakeSecret, context: Context): string {
  const simulator = context.simulatorMode ? context.simulatorUrl : undefined;
  const url = simulator ?? accountUrl(secret.account);
  return assertEgressAllowed(url, {
    field: simulator ? 'simulatorUrl' : 'account',
    allowedHosts: SNOWFLAKE_HOSTS,
    simulatorMode: context.simulatorMode,
    partner: SNOWFLAKE_TYPE,
  }).origin;
}

/** The HTTP client hooks use: the injected one, else the runtime's. */
function httpOf(context: Context, options: SnowflakeRotatorOptions): PartnerHttpClient {
  const http = options.http ?? context.http;
  if (!http) throw new InternalError('The runtime passed no HTTP client to the Snowflake rotator.');
  return http;
}

/**
 * A session of the rotating user, signed with AWSCURRENT's key, plus where AWSCURRENT's key and
 * the slot Rotor may write are.
 */
async function openSession(current: SnowflakeSecret, context: Context, options: SnowflakeRotatorOptions) {
  const { privateKey, fingerprint: currentFp } = checkKeyPair(current);
  const api = new SnowflakeSqlApi({
    baseUrl: baseUrlOf(current, context),
    account: current.account,
    user: current.user,
    privateKey,
    algorithm: context.metadata.cryptographicAlgorithm ?? 'RS256',
    now: context.now,
    ...options,
    http: httpOf(context, options),
  });
  const slots = await api.slots();
  const currentSlot = slotHolding(slots, currentFp);
  if (!currentSlot) {
    throw new ConflictError(
      `Neither key slot of Snowflake user ${current.user} holds AWSCURRENT's public key; set it again with ALTER USER … SET RSA_PUBLIC_KEY, then retry.`,
    );
  }
  const session: Session = { api, slots };
  return { session, currentSlot, freeSlot: otherSlot(currentSlot) };
}

/**
 * Decides whether Rotor may write the slot not holding AWSCURRENT's key. The rule:
 *
 * - empty: yes;
 * - holding a key while the last rotation's grace period runs: no — it may be AWSPREVIOUS's key,
 *   still in use by consumers (I5); retry after the grace period;
 * - holding a key after the grace period (or before any rotation): yes, overwrite it. It is
 *   AWSPREVIOUS's key past its grace, or the key of a create that crashed before its store write.
 *   That crashed key's private half was never stored and is lost, so nobody can use it; there is
 *   no way to "find" it again. Overwriting the same slot (never adding a key elsewhere) keeps the
 *   user at two live keys at most (I4), and the retried create mints exactly one usable key.
 */
function assertWritable(slot: KeySlot, slots: SlotFingerprints, user: string, context: Context): void {
  if (!slots[slot] || !context.lastRotatedAt) return;
  const graceEnds = new Date(context.lastRotatedAt.getTime() + context.gracePeriodSeconds * 1000);
  if (graceEnds.getTime() > context.now().getTime()) {
    throw new ConflictError(
      `Key slot ${slot} of Snowflake user ${user} holds the previous key, still in its grace period until ${graceEnds.toISOString()}; retry after it ends, or lower rotor:grace-period.`,
    );
  }
}

/** Puts `pending`'s public key into the writable slot unless a slot already holds it. */
async function ensureInSlot(
  current: SnowflakeSecret,
  pending: SnowflakeSecret,
  context: Context,
  options: SnowflakeRotatorOptions,
): Promise<void> {
  const pendingKey = checkKeyPair(pending);
  const { session, freeSlot } = await openSession(current, context, options);
  if (slotHolding(session.slots, pendingKey.fingerprint)) return;
  assertWritable(freeSlot, session.slots, current.user, context);
  await setAndCheck(
    session,
    current.user,
    freeSlot,
    pendingKey.fingerprint,
    spkiBase64(pendingKey.privateKey),
  );
  context.log.info('Put the pending public key back into its key slot', { slot: freeSlot });
}

async function setAndCheck(session: Session, user: string, slot: KeySlot, fp: string, spki: string) {
  await session.api.execute(setPublicKey(user, slot, spki), `ALTER USER SET ${slot}`);
  const slots = await session.api.slots();
  if (slots[slot] !== fp) {
    throw new ConflictError(
      `Key slot ${slot} of Snowflake user ${user} does not hold the key just set (changed concurrently?); retry the rotation.`,
    );
  }
  session.slots = slots;
}

/**
 * The Snowflake key-pair rotator.
 *
 * @example
 * ```ts
 * const rotator = createSnowflakeRotator({ timeoutMs: 10_000 });
 * const { pending } = await rotator.create({ current }, context);
 * ```
 */
export function createSnowflakeRotator(
  options: SnowflakeRotatorOptions = {},
): PartnerRotatorV1<SnowflakeSecret, SnowflakeMetadata> {
  return {
    async create({ current }, context) {
      const { session, freeSlot } = await openSession(current, context, options);
      assertWritable(freeSlot, session.slots, current.user, context);
      const generated = await generateRsaKeyPair({ encrypt: context.metadata.encryptPrivateKey === 'true' });
      const publicKey = loadPublicKey(generated.publicKey);
      await setAndCheck(session, current.user, freeSlot, fingerprint(publicKey), spkiBase64(publicKey));
      context.log.info('Set a new public key into the free key slot', { slot: freeSlot });
      const { passphrase: _old, ...rest } = current;
      return { pending: { ...rest, ...generated } };
    },

    async discard({ current, pending }, context) {
      const pendingFp = fingerprint(loadPublicKey(pending.publicKey));
      const { session, currentSlot } = await openSession(current, context, options);
      const slot = slotHolding(session.slots, pendingFp);
      if (!slot || slot === currentSlot) return;
      await session.api.execute(unsetPublicKey(current.user, slot), `ALTER USER UNSET ${slot}`);
    },

    async set({ current, pending }, context) {
      await ensureInSlot(current, pending, context, options);
    },

    async test({ pending }, context) {
      const { privateKey } = checkKeyPair(pending);
      const api = new SnowflakeSqlApi({
        baseUrl: baseUrlOf(pending, context),
        account: pending.account,
        user: pending.user,
        privateKey,
        algorithm: context.metadata.cryptographicAlgorithm ?? 'RS256',
        now: context.now,
        ...options,
        http: httpOf(context, options),
      });
      const result = await api.execute(PING, 'SELECT 1 with the pending key');
      if (result.data?.[0]?.[0] !== '1') {
        throw new ConflictError(
          'Snowflake answered SELECT 1 with the pending key, but not with 1; retry the test.',
        );
      }
    },

    async promote({ current, pending }, context) {
      // Both slots authenticate: the pending key is "promoted" by AWSCURRENT moving to it. All that
      // must hold at the source is that it still sits in a slot.
      await ensureInSlot(current, pending, context, options);
    },

    async revoke({ previous, current }, context) {
      const previousFp = fingerprint(loadPublicKey(previous.publicKey));
      const { session, currentSlot } = await openSession(current, context, options);
      const slot = slotHolding(session.slots, previousFp);
      // `slot === currentSlot` only if previous and current share a key: never unset that (I5).
      if (!slot || slot === currentSlot) return { revoked: false };
      await session.api.execute(unsetPublicKey(current.user, slot), `ALTER USER UNSET ${slot}`);
      return { revoked: true };
    },

    async preflight({ current }, context): Promise<PreflightCheck[]> {
      const { session, currentSlot, freeSlot } = await openSession(current, context, options);
      return [
        { name: 'authenticate', ok: true, detail: `AWSCURRENT's key logs in; it sits in ${currentSlot}.` },
        {
          name: 'slot',
          ok: true,
          detail: session.slots[freeSlot]
            ? `${freeSlot} holds another key; the next rotation overwrites it once the grace period is over.`
            : `${freeSlot} is free for the next key.`,
        },
      ];
    },
  };
}

export const snowflakeRotator = createSnowflakeRotator();
