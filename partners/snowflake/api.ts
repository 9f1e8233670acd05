/**
 * A small client of Snowflake's SQL API (`POST /api/v2/statements`, polling
 * `GET /api/v2/statements/{handle}`), authenticated with a key-pair JWT per request. Hand-written
 * on the runtime's HTTP client because the Snowflake SDK is not installed and four statements need no driver.
 * A `429` is retried a few times (`retryThrottled`), after its `Retry-After` when it has one: the
 * statement was refused before it ran, and it is resubmitted under the same `requestId` anyway.
 */
import { type KeyObject, randomUUID } from 'node:crypto';
import type { PartnerHttpClient } from '../../src/runtime/partner.ts';
import { retryThrottled, type ThrottleRetryOptions } from '../../src/runtime/throttle-retry.ts';
import { classifySnowflakeError, SnowflakeMalformedResponseError, SnowflakeResponseError } from './errors.ts';
import { signKeyPairJwt } from './jwt.ts';
import { describeUser } from './sql.ts';
import { KEY_SLOTS, type SigningAlgorithm, type SlotFingerprints } from './types.ts';

export const USER_AGENT = 'Rotor/1.0.0 (SnowflakeKeyPairAuthentication)';
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_POLLS = 20;

/** The part of a `ResultSet` the rotator reads. */
export interface ResultSet {
  statementHandle?: string;
  resultSetMetaData?: { rowType?: { name?: string }[] };
  data?: (string | null)[][];
}

export interface SnowflakeApiOptions {
  /** `https://<account>.snowflakecomputing.com`, or the simulator's URL. Already egress-checked. */
  baseUrl: string;
  account: string;
  user: string;
  privateKey: KeyObject;
  algorithm: SigningAlgorithm;
  now: () => Date;
  /** Per HTTP request; default 30 s. */
  timeoutMs?: number;
  /** Resubmissions (same `requestId`, `retry=true`) after a network fault or 502/503/504; default 1. */
  retries?: number;
  /** Pause between polls of a statement still running (ms); default 250. */
  pollIntervalMs?: number;
  /** The runtime's egress-guarded HTTP client (`context.http`): it checks every host and redirect. */
  http: PartnerHttpClient;
  /** The retry of a `429` (default: `retryThrottled`'s, 3 retries); injected in tests. */
  throttleRetry?: ThrottleRetryOptions;
}

const RETRY_STATUSES = new Set([502, 503, 504]);

/** One HTTP answer of the SQL API. */
interface Answer {
  status: number;
  body: Record<string, unknown>;
  retryAfterSeconds?: number;
}

/**
 * Runs statements as one user, signed with one private key.
 *
 * @example
 * ```ts
 * const api = new SnowflakeSqlApi({ baseUrl, account, user, privateKey, algorithm: 'RS256', now: () => new Date() });
 * const slots = await api.slots();
 * ```
 */
export class SnowflakeSqlApi {
  readonly #options: SnowflakeApiOptions;

  constructor(options: SnowflakeApiOptions) {
    this.#options = options;
  }

  /**
   * Executes one statement and returns its result set.
   *
   * @param action - names the call in errors, e.g. `ALTER USER SET`.
   * @throws {RotorError} categorised: 401 rejected, 403/insufficient privileges denied, 429 throttled, 5xx/timeouts unavailable.
   */
  async execute(statement: string, action: string): Promise<ResultSet> {
    const requestId = randomUUID();
    let submitted = false;
    return retryThrottled(async () => {
      try {
        return await this.#execute(statement, requestId, submitted);
      } catch (error) {
        throw classifySnowflakeError(error, action);
      } finally {
        submitted = true;
      }
    }, this.#options.throttleRetry);
  }

  /** The user's key slots and the fingerprint each holds, from `DESC USER`. */
  async slots(): Promise<SlotFingerprints> {
    const result = await this.execute(describeUser(this.#options.user), 'DESC USER');
    try {
      return slotsFromDescribe(result);
    } catch (error) {
      throw classifySnowflakeError(error, 'DESC USER');
    }
  }

  /** Submits `statement` (a resubmission when `resubmit`), retrying network faults and 5xx. */
  async #execute(statement: string, requestId: string, resubmit: boolean): Promise<ResultSet> {
    const retries = this.#options.retries ?? 1;
    for (let attempt = 0; ; attempt += 1) {
      const query = new URLSearchParams({ requestId, ...(resubmit || attempt > 0 ? { retry: 'true' } : {}) });
      try {
        const response = await this.#request('POST', `/api/v2/statements?${query}`, {
          statement,
          timeout: 60,
        });
        return await this.#settle(response);
      } catch (error) {
        const transient = !(error instanceof SnowflakeResponseError) || RETRY_STATUSES.has(error.status);
        if (!transient || error instanceof SnowflakeMalformedResponseError || attempt >= retries) throw error;
      }
    }
  }

  /** Follows a 202 (still running) to the final result, a bounded number of times. */
  async #settle(first: Answer): Promise<ResultSet> {
    let response = first;
    for (let polls = 0; response.status === 202; polls += 1) {
      const handle = response.body.statementHandle;
      if (typeof handle !== 'string' || !/^[A-Za-z0-9-]+$/.test(handle) || polls >= MAX_POLLS) {
        throw new SnowflakeResponseError(408, { message: 'statement did not finish in time' });
      }
      await new Promise((resolve) => setTimeout(resolve, this.#options.pollIntervalMs ?? 250));
      response = await this.#request('GET', `/api/v2/statements/${handle}`);
    }
    if (response.status !== 200)
      throw new SnowflakeResponseError(response.status, response.body, response.retryAfterSeconds);
    return response.body as ResultSet;
  }

  async #request(method: 'GET' | 'POST', path: string, body?: object): Promise<Answer> {
    const { baseUrl, account, user, privateKey, algorithm, now } = this.#options;
    const jwt = signKeyPairJwt({ account, user, privateKey, algorithm, now: now() });
    const response = await this.#options.http.fetch(new URL(path, baseUrl), {
      method,
      timeoutMs: this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      headers: {
        Authorization: `Bearer ${jwt}`,
        'X-Snowflake-Authorization-Token-Type': 'KEYPAIR_JWT',
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // No cause: the parse error would quote the body.
      throw new SnowflakeMalformedResponseError(response.status);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new SnowflakeMalformedResponseError(response.status);
    }
    const retryAfter = response.headers.get('retry-after');
    return {
      status: response.status,
      body: parsed as Record<string, unknown>,
      // Seconds only; an HTTP date is ignored (the back-off applies then).
      ...(retryAfter !== null && /^\d{1,5}$/.test(retryAfter)
        ? { retryAfterSeconds: Number(retryAfter) }
        : {}),
    };
  }
}

/**
 * Reads `RSA_PUBLIC_KEY_FP` / `RSA_PUBLIC_KEY_2_FP` from `DESC USER` rows of `property`/`value`,
 * both matched case-insensitively; `null`, `"null"` and empty mean an empty slot.
 */
export function slotsFromDescribe(result: ResultSet): SlotFingerprints {
  const columns = (result.resultSetMetaData?.rowType ?? []).map((column) => column.name?.toLowerCase());
  const propertyAt = columns.indexOf('property');
  const valueAt = columns.indexOf('value');
  if (propertyAt < 0 || valueAt < 0) {
    throw new SnowflakeMalformedResponseError(200);
  }
  const values = new Map<string, string | null | undefined>();
  for (const row of result.data ?? []) values.set(String(row[propertyAt] ?? '').toUpperCase(), row[valueAt]);
  const slots = {} as SlotFingerprints;
  for (const slot of KEY_SLOTS) {
    const value = values.get(`${slot}_FP`);
    slots[slot] = value && value.toLowerCase() !== 'null' ? value : undefined;
  }
  return slots;
}
