/**
 * The identities the local stack knows: users with long-term access keys (from the config file)
 * and assumed-role sessions with temporary credentials (issued by the local STS, persisted
 * encrypted so they survive a restart until they expire).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RequestCaller } from '../secrets-manager/context.ts';
import type { DurableCollection } from '../storage/index.ts';
import { type AccountConfig, type IdentityConfig, newAccessKey, type RoleConfig } from './config.ts';
import { AccessDeniedError, IdentityValidationError } from './errors.ts';
import { decide, type PolicyDocument } from './policy.ts';

/** A verified identity: a user, or a session of an assumed role. */
export interface Principal {
  accountId: string;
  /** `arn:aws:iam::<acct>:user/<name>` or `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  arn: string;
  /** GetCallerIdentity's `UserId`. */
  userId: string;
  policies: readonly PolicyDocument[];
  /** For a session: the role's ARN (what trust policies name). */
  roleArn?: string;
}

/** What verifying a signature needs for an access key. */
export interface SigningIdentity {
  secretAccessKey: string;
  /** Present for temporary credentials: the request must carry it. */
  sessionToken?: string;
  expiration?: Date;
  principal: Principal;
}

/** A stored session (the collection is encrypted: it holds secret keys and tokens). */
export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
  accountId: string;
  roleName: string;
  sessionName: string;
}

export interface AssumeRoleRequest {
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
  durationSeconds?: number;
}

export interface AssumeRoleResult {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date };
  assumedRoleUser: { assumedRoleId: string; arn: string };
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const CHAINED_MAX_SECONDS = 3600;

/** Stable IAM-style unique ids (`AIDA…`, `AROA…`) derived from the ARN. */
function uniqueId(prefix: string, arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  return (
    prefix + [...digest.subarray(0, 17)].map((byte) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[byte % 32]).join('')
  );
}

/**
 * @example
 * ```ts
 * const directory = new IdentityDirectory(loadIdentityConfig('.rotor', types), { sessions });
 * const identity = directory.signingIdentity(accessKeyId);
 * ```
 */
export class IdentityDirectory {
  readonly config: IdentityConfig;
  readonly #now: () => Date;
  readonly #users = new Map<string, SigningIdentity>();
  readonly #sessions: DurableCollection<SessionRecord> | undefined;
  readonly #memorySessions = new Map<string, SessionRecord>();

  constructor(
    config: IdentityConfig,
    options: { now?: () => Date; sessions?: DurableCollection<SessionRecord> } = {},
  ) {
    this.config = config;
    this.#now = options.now ?? (() => new Date());
    this.#sessions = options.sessions;
    for (const account of config.accounts) {
      for (const user of account.users) {
        const arn = `arn:aws:iam::${account.accountId}:user/${user.userName}`;
        const principal: Principal = {
          accountId: account.accountId,
          arn,
          userId: uniqueId('AIDA', arn),
          policies: user.policies,
        };
        for (const key of user.accessKeys) {
          this.#users.set(key.accessKeyId, { secretAccessKey: key.secretAccessKey, principal });
        }
      }
    }
  }

  #account(accountId: string): AccountConfig | undefined {
    return this.config.accounts.find((account) => account.accountId === accountId);
  }

  #role(accountId: string, roleName: string): RoleConfig | undefined {
    return this.#account(accountId)?.roles.find((role) => role.roleName === roleName);
  }

  #session(accessKeyId: string): SessionRecord | undefined {
    return this.#sessions?.get(accessKeyId) ?? this.#memorySessions.get(accessKeyId);
  }

  /** The long-term access key of a configured user (the stack signs its own calls with these). */
  accessKeyOf(accountId: string, userName: string): { accessKeyId: string; secretAccessKey: string } {
    const key = this.#account(accountId)?.users.find((user) => user.userName === userName)?.accessKeys[0];
    if (key === undefined) throw new TypeError(`No access key for user ${userName} in account ${accountId}.`);
    return { ...key };
  }

  /** Who signs with `accessKeyId`, or undefined for a key the stack never issued. */
  signingIdentity(accessKeyId: string): SigningIdentity | undefined {
    const user = this.#users.get(accessKeyId);
    if (user !== undefined) return user;
    const session = this.#session(accessKeyId);
    if (session === undefined) return undefined;
    const role = this.#role(session.accountId, session.roleName);
    const roleArn = `arn:aws:iam::${session.accountId}:role/${session.roleName}`;
    return {
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      expiration: new Date(session.expiration),
      principal: {
        accountId: session.accountId,
        arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
        userId: `${uniqueId('AROA', roleArn)}:${session.sessionName}`,
        // A role deleted from the config since keeps its sessions but loses every permission.
        policies: role?.policies ?? [],
        roleArn,
      },
    };
  }

  /** The principal as the Secrets Manager service sees it. */
  callerFor(principal: Principal): RequestCaller {
    return {
      accountId: principal.accountId,
      principalArn: principal.arn,
      decide: (action, resource, conditions) => decide(principal.policies, action, resource, conditions),
    };
  }

  /**
   * STS AssumeRole: the caller's policies must allow `sts:AssumeRole` on the role, and the role's
   * trust policy must name the caller (account or ARN) with every condition met (`sts:ExternalId`).
   *
   * @throws IdentityValidationError for malformed members, AccessDeniedError otherwise.
   */
  assumeRole(caller: Principal, request: AssumeRoleRequest): AssumeRoleResult {
    const { roleArn, roleSessionName, externalId } = request;
    if (!SESSION_NAME.test(roleSessionName)) {
      throw new IdentityValidationError(
        "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64",
      );
    }
    if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
      throw new IdentityValidationError(
        "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]* and have length between 2 and 1224",
      );
    }
    const denied = () =>
      new AccessDeniedError(
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    const match = ROLE_ARN.exec(roleArn);
    if (match === null) {
      throw new IdentityValidationError(
        `${roleArn} is invalid; a role ARN looks like arn:aws:iam::<account>:role/<name>.`,
      );
    }
    const [, accountId, roleName] = match as unknown as [string, string, string];
    const role = this.#role(accountId, roleName);
    if (role === undefined) throw denied();
    if (decide(caller.policies, 'sts:AssumeRole', roleArn, {}) !== 'allow') throw denied();
    const trustContext: Record<string, string> = {
      'aws:PrincipalAccount': caller.accountId,
      'aws:PrincipalArn': caller.roleArn ?? caller.arn,
      ...(externalId === undefined ? {} : { 'sts:ExternalId': externalId }),
    };
    const trusted = decide([role.trustPolicy], 'sts:AssumeRole', roleArn, trustContext, {
      accountId: caller.accountId,
      arn: caller.roleArn ?? caller.arn,
    });
    if (trusted !== 'allow') throw denied();

    const chained = caller.roleArn !== undefined;
    const max = chained ? CHAINED_MAX_SECONDS : (role.maxSessionDuration ?? 3600);
    const duration = request.durationSeconds ?? 3600;
    if (duration < 900 || duration > max) {
      throw new IdentityValidationError(
        chained && duration > CHAINED_MAX_SECONDS
          ? 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'
          : `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
      );
    }
    const key = newAccessKey('ASIA');
    const expiration = new Date(this.#now().getTime() + duration * 1000);
    const session: SessionRecord = {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      sessionToken: randomBytes(96).toString('base64'),
      expiration: expiration.toISOString(),
      accountId,
      roleName,
      sessionName: roleSessionName,
    };
    this.#forgetExpiredSessions();
    if (this.#sessions !== undefined) this.#sessions.put(session.accessKeyId, session);
    else this.#memorySessions.set(session.accessKeyId, session);
    return {
      credentials: {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        expiration,
      },
      assumedRoleUser: {
        assumedRoleId: `${uniqueId('AROA', `arn:aws:iam::${accountId}:role/${roleName}`)}:${roleSessionName}`,
        arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${roleSessionName}`,
      },
    };
  }

  /** Drops sessions that expired (checked as each new one is issued, so the store stays small). */
  #forgetExpiredSessions(): void {
    const stored = this.#sessions?.all().map((record) => record.value) ?? [...this.#memorySessions.values()];
    for (const session of stored) {
      if (!this.isExpired(new Date(session.expiration))) continue;
      this.#sessions?.delete(session.accessKeyId);
      this.#memorySessions.delete(session.accessKeyId);
    }
  }

  /** Is `expiration` past on the stack's clock? */
  isExpired(expiration: Date | undefined): boolean {
    return expiration !== undefined && expiration.getTime() <= this.#now().getTime();
  }
}
