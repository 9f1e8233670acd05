/**
 * What a write's label moves mean (reference §3, §5, §9): which labels to report in "Secret Label
 * Updated", whether a write other than a rotation moved AWSCURRENT (it counts as a rotation for
 * next-date purposes), and which pending rotation that write abandoned.
 */
import { UNREPORTED_LABELS } from './events.ts';

/** A label move seen on one secret, from the service observer. */
export interface LabelChange {
  secretArn: string;
  name: string;
  region: string;
  /** Label → version before and after the operation. */
  before: Record<string, string>;
  after: Record<string, string>;
}

export interface LabelChangeMeaning {
  /** Labels now on a new version, AWSPENDING and AWSPREVIOUS left out. */
  reported: { label: string; versionId: string }[];
  /** AWSCURRENT moved to a version that was not the pending one. */
  manualWrite: boolean;
  /** The pending version whose AWSPENDING that manual write removed. */
  abandonedVersionId?: string;
}

/**
 * @example
 * ```ts
 * const { reported, manualWrite, abandonedVersionId } = meaningOf(change);
 * ```
 */
export function meaningOf({ before, after }: LabelChange): LabelChangeMeaning {
  const reported = Object.entries(after)
    .filter(([label, versionId]) => !UNREPORTED_LABELS.has(label) && before[label] !== versionId)
    .map(([label, versionId]) => ({ label, versionId }));
  const currentMoved =
    before.AWSCURRENT !== undefined &&
    after.AWSCURRENT !== undefined &&
    after.AWSCURRENT !== before.AWSCURRENT;
  const manualWrite = currentMoved && after.AWSCURRENT !== before.AWSPENDING;
  const pending = before.AWSPENDING;
  const abandoned =
    manualWrite && pending !== undefined && pending !== before.AWSCURRENT && after.AWSPENDING !== pending;
  return { reported, manualWrite, ...(abandoned ? { abandonedVersionId: pending } : {}) };
}
