/**
 * Repair of stuck rotations (`rotor repair`). A rotation is stuck when `AWSPENDING` sits on another
 * version than `AWSCURRENT` for longer than a threshold: Secrets Manager refuses new rotations
 * until it is resolved. The safe fix never touches the credential under `AWSCURRENT`:
 *
 * - a pending version with a value: run the remaining steps (set, test) through the engine; when
 *   the pending credential tests good at the source, finish the rotation (finishSecret);
 *   when the source rejects it, discard it there (the plugin's `discard`) and clear the label;
 * - a pending version without a value (the rotation died before createSecret stored one): clear
 *   the label. Whatever the dead attempt minted is adopted by the next rotation's `create`
 *   (idempotent per slot), so nothing stays behind once the secret rotates again.
 *
 * Transient failures (partner unavailable, throttled) change nothing and say "retry later".
 */
import {
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { TYPE_TAG } from '../aws/resolver.ts';
import type { SecretsManagerClients } from '../aws/roles.ts';
import { AWSCURRENT, AWSPENDING, SecretStore } from '../aws/secret-store.ts';
import type { RotationEngine } from './engine.ts';
import { RotorError } from './errors.ts';
import type { OrphanCredential } from './orphans.ts';

/** Default age after which a pending rotation counts as stuck: well past any step's Lambda timeout. */
export const DEFAULT_STUCK_AFTER_SECONDS = 3600;

export type FindingKind = 'stuck-rotation' | 'pending-without-value' | 'orphan-credential';

/** One stuck rotation, as `rotor repair` shows it. Never holds a secret value. */
export interface RepairFinding {
  secretArn: string;
  name: string;
  /** The version under AWSPENDING (empty for an orphan credential). */
  versionId: string;
  /** The orphan credential at the source, for `orphan-credential`. */
  orphan?: OrphanCredential;
  kind: FindingKind;
  /** Seconds since the pending version was created. */
  ageSeconds: number;
  /** The fix `--apply` would make, in words. */
  fix: string;
}

export type RepairOutcome =
  | 'finished'
  | 'discarded'
  | 'label-cleared'
  | 'revoked'
  | 'retry-later'
  | 'needs-operator';

export interface RepairResult {
  finding: RepairFinding;
  outcome: RepairOutcome;
  /** The failure that decided the outcome (category and a message free of secrets). */
  reason?: { category: string; message: string };
}

export interface RotationRepairOptions {
  engine: RotationEngine;
  clients: SecretsManagerClients;
  /** The engine's own account client, to list secrets when no secret is named. */
  secretsManager: SecretsManagerClient;
  now?: () => Date;
  stuckAfterSeconds?: number;
}

const FIXES: Record<FindingKind, string> = {
  'stuck-rotation':
    'finish the rotation if the pending credential tests good at the source; otherwise discard it at the source and clear AWSPENDING',
  'pending-without-value': 'clear AWSPENDING (no pending credential was stored)',
  'orphan-credential': 'revoke the orphan credential at the source (no staging label holds it)',
};

/**
 * @example
 * ```ts
 * const repair = new RotationRepair({ engine, clients, secretsManager });
 * for (const finding of await repair.find()) console.log(finding.name, finding.fix);
 * const results = await repair.applyAll(await repair.find('app/salesforce'));
 * ```
 */
export class RotationRepair {
  readonly #options: RotationRepairOptions;

  constructor(options: RotationRepairOptions) {
    this.#options = options;
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  /**
   * Stuck rotations and orphan credentials of one secret (name or ARN), or of every secret the
   * engine's account lists. Orphans are looked for only where no rotation is pending (a running
   * rotation's fresh credential is not an orphan) and only where the plugin can tell.
   */
  async find(secretId?: string): Promise<RepairFinding[]> {
    const ids = secretId === undefined ? await this.#partnerSecrets() : [secretId];
    const findings: RepairFinding[] = [];
    for (const id of ids) {
      const pending = await this.#inspect(id);
      if (pending === 'pending') continue;
      if (pending) {
        findings.push(pending);
        continue;
      }
      findings.push(...(await this.#orphans(id, secretId !== undefined)));
    }
    return findings;
  }

  /** Secrets with a partner type (from ListSecrets, all pages). */
  async #partnerSecrets(): Promise<string[]> {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#options.secretsManager.send(new ListSecretsCommand({ NextToken: nextToken }));
      for (const entry of page.SecretList ?? []) {
        const typed = entry.Type || entry.Tags?.some((tag) => tag.Key === TYPE_TAG);
        if (typed && entry.ARN) ids.push(entry.ARN);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return ids;
  }

  async #orphans(secretId: string, named: boolean): Promise<RepairFinding[]> {
    let orphans: OrphanCredential[] | undefined;
    try {
      orphans = await this.#options.engine.findOrphans(secretId);
    } catch (error) {
      // Scanning the whole account skips secrets it cannot read; a named secret reports why.
      if (named) throw error;
      return [];
    }
    return (orphans ?? []).map((orphan) => ({
      secretArn: secretId,
      name: secretId,
      versionId: '',
      orphan,
      kind: 'orphan-credential' as const,
      ageSeconds: 0,
      fix: `${FIXES['orphan-credential']}: ${orphan.detail}`,
    }));
  }

  /** The stuck rotation of a secret; 'pending' for a rotation younger than the threshold. */
  async #inspect(secretId: string): Promise<RepairFinding | 'pending' | undefined> {
    const client = await this.#options.clients.forSecret(secretId);
    const store = new SecretStore(client);
    const describe = await store.describe(secretId);
    const arn = describe.ARN ?? secretId;
    const stages = describe.VersionIdsToStages ?? {};
    const versionId = Object.keys(stages).find(
      (id) => stages[id]?.includes(AWSPENDING) && !stages[id]?.includes(AWSCURRENT),
    );
    if (!versionId) return undefined;
    const versions = await client.send(new ListSecretVersionIdsCommand({ SecretId: arn }));
    const created = versions.Versions?.find((v) => v.VersionId === versionId)?.CreatedDate;
    const ageSeconds = Math.max(0, Math.floor((this.#now().getTime() - (created?.getTime() ?? 0)) / 1000));
    if (ageSeconds < (this.#options.stuckAfterSeconds ?? DEFAULT_STUCK_AFTER_SECONDS)) return 'pending';
    const stored = await store.findVersion(arn, { versionId, stage: AWSPENDING });
    const kind: FindingKind = stored ? 'stuck-rotation' : 'pending-without-value';
    return { secretArn: arn, name: describe.Name ?? arn, versionId, kind, ageSeconds, fix: FIXES[kind] };
  }

  /** Applies the safe fix of each finding, one after the other. */
  async applyAll(findings: RepairFinding[]): Promise<RepairResult[]> {
    const results: RepairResult[] = [];
    for (const finding of findings) results.push(await this.apply(finding));
    return results;
  }

  /** Applies the safe fix of one finding. Failures become outcomes; nothing is thrown for them. */
  async apply(finding: RepairFinding): Promise<RepairResult> {
    const { engine } = this.#options;
    const event = (Step: string) => ({
      Step,
      SecretId: finding.secretArn,
      ClientRequestToken: finding.versionId,
    });
    try {
      if (finding.kind === 'orphan-credential' && finding.orphan) {
        await engine.revokeOrphan(finding.secretArn, finding.orphan);
        return { finding, outcome: 'revoked' };
      }
      if (finding.kind === 'pending-without-value') {
        await engine.discardPending(finding.secretArn, finding.versionId);
        return { finding, outcome: 'label-cleared' };
      }
      try {
        await engine.run(event('setSecret'));
        await engine.run(event('testSecret'));
      } catch (error) {
        if (!(error instanceof RotorError) || error.category !== 'credential-rejected') throw error;
        await engine.discardPending(finding.secretArn, finding.versionId);
        return { finding, outcome: 'discarded', reason: reasonOf(error) };
      }
      await engine.run(event('finishSecret'));
      return { finding, outcome: 'finished' };
    } catch (error) {
      const retryable = error instanceof RotorError && error.retryable;
      return { finding, outcome: retryable ? 'retry-later' : 'needs-operator', reason: reasonOf(error) };
    }
  }
}

function reasonOf(error: unknown): { category: string; message: string } {
  // Engine errors are already scrubbed of secret values; anything else is reported by name only.
  if (error instanceof RotorError) return { category: error.category, message: error.message };
  return { category: 'internal', message: error instanceof Error ? error.name : 'Unknown failure' };
}
