/**
 * Secrets Manager's write quota: PutSecretValue, UpdateSecret and UpdateSecretVersionStage share
 * one rate per account and Region (AWS: 50 per second); beyond it AWS answers ThrottlingException.
 * A token bucket per account and Region, hand-written because it is a few lines on the service's
 * own clock (an injected clock makes it testable without waiting).
 */
import { ThrottlingError } from './errors.ts';

/** The operations the write quota counts (AWS's "combined rate of PutSecretValue, UpdateSecret, UpdateSecretVersionStage"). */
export const QUOTA_WRITES: ReadonlySet<string> = new Set([
  'PutSecretValue',
  'UpdateSecret',
  'UpdateSecretVersionStage',
]);

export interface WriteQuotaOptions {
  /** Sustained writes per second per account and Region (AWS: 50). */
  writesPerSecond: number;
  /** Not confirmed by AWS: how many writes may arrive at once. Default one second's worth. */
  burst?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class WriteQuota {
  private readonly rate: number;
  private readonly burst: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: WriteQuotaOptions) {
    const { writesPerSecond, burst = writesPerSecond } = options;
    if (!(Number.isFinite(writesPerSecond) && writesPerSecond > 0)) {
      throw new TypeError('writeQuota.writesPerSecond must be a positive number, e.g. 50.');
    }
    if (!(Number.isFinite(burst) && burst >= 1)) {
      throw new TypeError('writeQuota.burst must be a number ≥ 1, e.g. 50.');
    }
    this.rate = writesPerSecond;
    this.burst = burst;
  }

  /**
   * Takes one write from the account's bucket in that Region.
   *
   * @throws ThrottlingError when the bucket is empty; nothing is taken then.
   */
  take(accountId: string, region: string, nowMs: number): void {
    const key = `${accountId}/${region}`;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    const refilled = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.rate);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at: nowMs });
      throw new ThrottlingError();
    }
    this.buckets.set(key, { tokens: refilled - 1, at: nowMs });
  }
}
