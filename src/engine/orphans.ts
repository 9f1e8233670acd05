/**
 * Optional plugin hooks for orphan credentials: credentials live at the source for a secret's
 * account or app that no staging label holds (e.g. minted by a rotation that died and was then
 * abandoned). Not part of `PartnerRotatorV1` yet: a plugin that can list its source's credentials
 * implements these two methods beside its hooks, and `rotor repair` finds and revokes orphans for
 * it. Plugins without them are repaired by adoption (the next rotation's `create` reuses what a
 * dead attempt minted).
 */
import type { HookContext, SecretValue } from '../runtime/partner.ts';

/** One orphan credential at the source, named without its secret part. */
export interface OrphanCredential {
  /** The source's id of the credential (a key id, a staged-set id); never the secret. */
  readonly id: string;
  /** What it is, for the operator. */
  readonly detail: string;
}

export interface OrphanAwareRotator<S extends SecretValue = SecretValue> {
  /**
   * Credentials of the secret's account or app that none of `known` (the values under
   * AWSCURRENT, AWSPREVIOUS and AWSPENDING) holds, nor the identity Rotor authenticates with.
   */
  listOrphans(request: { current: S; known: S[] }, context: HookContext): Promise<OrphanCredential[]>;
  /** Revokes one orphan; "already gone" counts as done. */
  revokeOrphan(request: { current: S; orphan: OrphanCredential }, context: HookContext): Promise<void>;
}

/** Whether a rotator implements the orphan hooks. */
export function findsOrphans(rotator: object): rotator is OrphanAwareRotator {
  const candidate = rotator as Partial<OrphanAwareRotator>;
  return typeof candidate.listOrphans === 'function' && typeof candidate.revokeOrphan === 'function';
}
