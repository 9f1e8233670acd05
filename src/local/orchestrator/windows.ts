/**
 * Rotation windows and `NextRotationDate` (reference §6). `rate()` and `AutomaticallyAfterDays`
 * windows start at midnight UTC and count from the previous rotation; hourly `rate()` windows
 * restart every UTC day; `cron()` windows start when the expression fires. A window lasts
 * `Duration`, else one hour for hourly schedules and until the end of the UTC day for daily ones.
 */
import { nextCronTime } from './cron.ts';
import { DAY_MS, HOUR_MS, type RotationSchedule, type RotationWindow } from './rotation-rules.ts';

function startOfUtcDay(time: number): number {
  return time - (((time % DAY_MS) + DAY_MS) % DAY_MS);
}

function windowStartingAt(schedule: RotationSchedule, start: number): RotationWindow {
  const end =
    schedule.durationMs !== undefined
      ? start + schedule.durationMs
      : schedule.hourly
        ? start + HOUR_MS
        : startOfUtcDay(start) + DAY_MS;
  return { start: new Date(start), end: new Date(end) };
}

/**
 * The first window that starts strictly after `after` (for day cadences: N days after the start
 * of `after`'s UTC day). Undefined when the schedule never fires again.
 *
 * @example
 * ```ts
 * windowAfter(parseRotationRules({ AutomaticallyAfterDays: 30 })!, lastRotated); // 30 days on, all day
 * ```
 */
export function windowAfter(schedule: RotationSchedule, after: Date): RotationWindow | undefined {
  const time = after.getTime();
  const cadence = schedule.cadence;
  if (cadence.kind === 'days') return windowStartingAt(schedule, startOfUtcDay(time) + cadence.days * DAY_MS);
  if (cadence.kind === 'cron') {
    const next = nextCronTime(cadence.cron, after);
    return next === undefined ? undefined : windowStartingAt(schedule, next.getTime());
  }
  const step = cadence.hours * HOUR_MS;
  for (let day = startOfUtcDay(time); ; day += DAY_MS) {
    for (let start = day; start < day + DAY_MS; start += step) {
      if (start > time) return windowStartingAt(schedule, start);
    }
  }
}

/**
 * `NextRotationDate`: the last second of the first window after `basis` (rotation happens on or
 * before it). `basis` is the last rotation or manual value change; while rotations keep failing it
 * stays put, so the date may lie in the past, as on AWS.
 */
export function nextRotationDate(schedule: RotationSchedule, basis: Date): Date | undefined {
  const window = windowAfter(schedule, basis);
  return window === undefined ? undefined : new Date(window.end.getTime() - 1000);
}
