/**
 * Pure scheduling decisions over a described secret and its {@link ScheduleEntry}: which version is
 * pending, what the schedule is, where the next-date count starts, and which window is due.
 */
import type { DescribedSecret } from './port.ts';
import { versionWithLabel } from './port.ts';
import { parseRotationRules, type RotationSchedule, type RotationWindow } from './rotation-rules.ts';
import type { ScheduleEntry } from './schedule-store.ts';
import { windowAfter } from './windows.ts';

/** A bound on windows walked in one decision after a long jump of the clock. */
const MAX_WINDOWS_WALKED = 100_000;

/** The version AWSPENDING marks while a rotation is in progress (not AWSCURRENT's). */
export function pendingVersion(described: DescribedSecret): string | undefined {
  const pending = versionWithLabel(described, 'AWSPENDING');
  return pending !== undefined && pending !== versionWithLabel(described, 'AWSCURRENT') ? pending : undefined;
}

/** The secret's schedule; undefined without rules (stored rules were checked when RotateSecret stored them). */
export function scheduleOf(described: DescribedSecret): RotationSchedule | undefined {
  if (described.RotationRules === undefined) return undefined;
  try {
    return parseRotationRules(described.RotationRules);
  } catch {
    return undefined;
  }
}

/** The last rotation or manual value change; before either, when rotation was enabled (else creation). */
export function basisOf(described: DescribedSecret, entry: ScheduleEntry | undefined): Date {
  const candidates = [
    described.LastRotatedDate === undefined ? undefined : described.LastRotatedDate * 1000,
    entry?.lastManualWriteAt === undefined ? undefined : Date.parse(entry.lastManualWriteAt),
  ].filter((time): time is number => time !== undefined);
  if (candidates.length > 0) return new Date(Math.max(...candidates));
  return new Date(
    entry?.enabledAt === undefined ? described.CreatedDate * 1000 : Date.parse(entry.enabledAt),
  );
}

/**
 * The latest window that has opened since `basis` and was not acted on yet (`handledStart`), or
 * undefined. A window that has already closed counts only when `catchUp` is on.
 *
 * @example
 * ```ts
 * const window = dueWindow(schedule, basisOf(described, entry), entry.handledWindowStart, now, true);
 * ```
 */
export function dueWindow(
  schedule: RotationSchedule,
  basis: Date,
  handledStart: string | undefined,
  now: Date,
  catchUp: boolean,
): RotationWindow | undefined {
  let window = windowAfter(schedule, basis);
  if (window && handledStart !== undefined && window.start.getTime() <= Date.parse(handledStart)) {
    window = windowAfter(schedule, new Date(handledStart));
  }
  if (window === undefined || window.start > now) return undefined;
  for (let i = 0; i < MAX_WINDOWS_WALKED; i++) {
    const next = windowAfter(schedule, window.start);
    if (next === undefined || next.start > now) break;
    window = next;
  }
  if (now >= window.end && !catchUp) return undefined;
  return window;
}
