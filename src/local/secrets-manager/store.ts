/** The secrets of one Region: lookup by name, full ARN or partial ARN, and expiry of deleted secrets. */
import { randomInt } from 'node:crypto';
import { InvalidRequestError, ResourceNotFoundError } from './errors.ts';
import { MARKED_FOR_DELETION, SECRET_NOT_FOUND } from './messages.ts';
import type { SecretRecord } from './model.ts';

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** `-` plus the 6 random characters AWS appends to the name in an ARN. */
const ARN_SUFFIX_LENGTH = 7;

/**
 * Every secret a request looks up, adds or removes is recorded as touched, so the service can
 * persist (or roll back) exactly those once the request ends.
 */
export class SecretStore {
  private readonly byArn = new Map<string, SecretRecord>();
  private readonly arnByName = new Map<string, string>();
  private readonly touched = new Set<string>();
  /**
   * The earliest `deletedDate` among the secrets, as of the last time they were handed over as
   * touched: every change to a secret is (see {@link takeTouched}), so no secret is due for
   * removal before it and {@link purgeExpired} need not look.
   */
  private nextPurgeAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  /** A fresh ARN for `name`: `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 chars>`. */
  newArn(name: string): string {
    for (;;) {
      let suffix = '';
      for (let i = 0; i < ARN_SUFFIX_LENGTH - 1; i++)
        suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
      const arn = `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${suffix}`;
      if (!this.byArn.has(arn)) return arn;
    }
  }

  private touch<T extends SecretRecord | undefined>(secret: T): T {
    if (secret !== undefined) this.touched.add(secret.arn);
    return secret;
  }

  /** Adds `secret`, or replaces the secret with its ARN (a rollback, a replica refresh). */
  add(secret: SecretRecord): void {
    const previous = this.byArn.get(secret.arn);
    if (previous !== undefined && this.arnByName.get(previous.name) === previous.arn)
      this.arnByName.delete(previous.name);
    this.byArn.set(secret.arn, secret);
    this.arnByName.set(secret.name, secret.arn);
    this.touch(secret);
  }

  remove(secret: SecretRecord): void {
    this.removeArn(secret.arn);
  }

  removeArn(arn: string): void {
    const secret = this.byArn.get(arn);
    this.touched.add(arn);
    if (secret === undefined) return;
    this.byArn.delete(arn);
    if (this.arnByName.get(secret.name) === arn) this.arnByName.delete(secret.name);
  }

  /** The secret with exactly this ARN, without marking it touched (persistence, replication). */
  peek(arn: string): SecretRecord | undefined {
    return this.byArn.get(arn);
  }

  /** ARNs touched so far, without clearing the set. */
  touchedArns(): string[] {
    return [...this.touched];
  }

  /** ARNs touched since the last call, which clears the set. */
  takeTouched(): string[] {
    const arns = [...this.touched];
    this.touched.clear();
    for (const arn of arns) {
      const deletedAt = this.byArn.get(arn)?.deletedDate?.getTime();
      if (deletedAt !== undefined && deletedAt < this.nextPurgeAt) this.nextPurgeAt = deletedAt;
    }
    return arns;
  }

  findByName(name: string): SecretRecord | undefined {
    const arn = this.arnByName.get(name);
    return this.touch(arn === undefined ? undefined : this.byArn.get(arn));
  }

  /** Resolves a name, a full ARN, or a partial ARN (an ARN without the random suffix). */
  find(secretId: string): SecretRecord | undefined {
    if (!secretId.startsWith('arn:')) return this.findByName(secretId);
    const exact = this.byArn.get(secretId);
    if (exact !== undefined) return this.touch(exact);
    for (const secret of this.byArn.values()) {
      if (secret.arn.slice(0, -ARN_SUFFIX_LENGTH) === secretId) return this.touch(secret);
    }
    return undefined;
  }

  /** The secret, deleted or not. @throws ResourceNotFoundError */
  get(secretId: string): SecretRecord {
    const secret = this.find(secretId);
    if (secret === undefined) throw new ResourceNotFoundError(SECRET_NOT_FOUND);
    return secret;
  }

  /** The secret, which must not be scheduled for deletion. @throws ResourceNotFoundError, InvalidRequestError */
  getActive(secretId: string): SecretRecord {
    const secret = this.get(secretId);
    if (secret.deletedDate !== undefined) throw new InvalidRequestError(MARKED_FOR_DELETION);
    return secret;
  }

  all(): SecretRecord[] {
    const secrets = [...this.byArn.values()];
    for (const secret of secrets) this.touch(secret);
    return secrets;
  }

  /** Every secret, without marking any touched. */
  snapshot(): SecretRecord[] {
    return [...this.byArn.values()];
  }

  /**
   * Removes the secrets whose recovery window has ended (lazily, before each operation); true when
   * it removed any. Walks the secrets only once the earliest recovery window can have ended.
   */
  purgeExpired(now: Date): boolean {
    if (now.getTime() < this.nextPurgeAt) return false;
    let removed = false;
    let next = Number.POSITIVE_INFINITY;
    for (const secret of [...this.byArn.values()]) {
      const deletedAt = secret.deletedDate?.getTime();
      if (deletedAt === undefined) continue;
      if (deletedAt <= now.getTime()) {
        this.remove(secret);
        removed = true;
      } else next = Math.min(next, deletedAt);
    }
    this.nextPurgeAt = next;
    return removed;
  }
}
