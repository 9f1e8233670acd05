/**
 * `RotationRules` as Secrets Manager reads them (reference §6): `AutomaticallyAfterDays` (1–1000)
 * or a `ScheduleExpression` (`rate()` every 4 hours at least, or `cron()`), plus an optional
 * `Duration` window. Parsing checks every documented rule; the result drives the scheduler and
 * `NextRotationDate`.
 */
import { type CronSchedule, parseCron } from './cron.ts';
import { CronSyntaxError, RotationRulesError } from './errors.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** The shortest `rate()` Secrets Manager accepts. */
export const MIN_RATE_HOURS = 4;
export const MAX_DAYS = 1000;

/** The rules as stored on the secret (the wire shape). */
export interface RotationRulesInput {
  AutomaticallyAfterDays?: number;
  ScheduleExpression?: string;
  Duration?: string;
}

export type Cadence =
  | { kind: 'days'; days: number }
  | { kind: 'hours'; hours: number }
  | { kind: 'cron'; cron: CronSchedule };

/** A parsed, checked schedule. */
export interface RotationSchedule {
  readonly cadence: Cadence;
  /** The window length when `Duration` is given; otherwise the documented default applies. */
  readonly durationMs: number | undefined;
  /** An "hours" schedule: its default window is one hour (a "days" one runs to the end of the UTC day). */
  readonly hourly: boolean;
}

/** A rotation window: rotation may start at any time in `[start, end)`. */
export interface RotationWindow {
  readonly start: Date;
  readonly end: Date;
}

const RATE = /^rate\((\d{1,4}) (hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const DURATION = /^(\d{1,2})h$/;

function parseCadence(rules: RotationRulesInput): Cadence | undefined {
  const expression = rules.ScheduleExpression;
  if (rules.AutomaticallyAfterDays !== undefined) {
    if (expression !== undefined) {
      throw new RotationRulesError(
        'RotationRules',
        "You can't specify both AutomaticallyAfterDays and ScheduleExpression; keep one.",
      );
    }
    const days = rules.AutomaticallyAfterDays;
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
      throw new RotationRulesError('RotationRules.AutomaticallyAfterDays', `must be 1 to ${MAX_DAYS}.`);
    }
    return { kind: 'days', days };
  }
  if (expression === undefined) return undefined;
  const rate = RATE.exec(expression);
  if (rate) {
    const count = Number(rate[1]);
    const unit = rate[2]!;
    if (count < 1 || (count === 1) !== !unit.endsWith('s')) {
      throw new RotationRulesError(
        'RotationRules.ScheduleExpression',
        `write rate(1 ${unit.replace(/s$/, '')}) or rate(N ${unit.replace(/s?$/, 's')}) with N > 1.`,
      );
    }
    if (unit.startsWith('day')) {
      if (count > MAX_DAYS) {
        throw new RotationRulesError(
          'RotationRules.ScheduleExpression',
          `rate() allows at most ${MAX_DAYS} days.`,
        );
      }
      return { kind: 'days', days: count };
    }
    if (count < MIN_RATE_HOURS) {
      throw new RotationRulesError(
        'RotationRules.ScheduleExpression',
        `rotation can run at most every ${MIN_RATE_HOURS} hours; use rate(${MIN_RATE_HOURS} hours) or longer.`,
      );
    }
    if (count > 23) {
      throw new RotationRulesError(
        'RotationRules.ScheduleExpression',
        'an hourly rate() must be under 24 hours (windows restart each UTC day); use rate(N days) instead.',
      );
    }
    return { kind: 'hours', hours: count };
  }
  const cron = CRON.exec(expression);
  if (cron) {
    try {
      return { kind: 'cron', cron: parseCron(cron[1]!) };
    } catch (error) {
      if (error instanceof CronSyntaxError) {
        throw new RotationRulesError('RotationRules.ScheduleExpression', error.message, { cause: error });
      }
      throw error;
    }
  }
  throw new RotationRulesError(
    'RotationRules.ScheduleExpression',
    'must be rate(N hours|days) or cron(Minutes Hours Day-of-month Month Day-of-week Year).',
  );
}

/** Hours of the day at which windows start, for the window-overlap checks. */
function dailyStartHours(cadence: Cadence): number[] | undefined {
  if (cadence.kind === 'days') return [0];
  if (cadence.kind === 'cron') return [...cadence.cron.hours];
  const hours: number[] = [];
  for (let hour = 0; hour < 24; hour += cadence.hours) hours.push(hour);
  return hours;
}

function checkDuration(cadence: Cadence, durationHours: number): void {
  const starts = dailyStartHours(cadence) ?? [];
  for (const [index, start] of starts.entries()) {
    if (start + durationHours > 24) {
      throw new RotationRulesError(
        'RotationRules.Duration',
        `a ${durationHours}h window starting at ${String(start).padStart(2, '0')}:00 UTC reaches into the next UTC day; shorten it.`,
      );
    }
    const next = starts[index + 1];
    if (next !== undefined && start + durationHours > next) {
      throw new RotationRulesError(
        'RotationRules.Duration',
        `a ${durationHours}h window reaches into the next rotation window (${String(next).padStart(2, '0')}:00 UTC); shorten it.`,
      );
    }
  }
}

/**
 * Parses and checks stored or requested rules. Returns undefined when they hold no schedule.
 *
 * @throws {RotationRulesError} naming the member (`RotationRules.ScheduleExpression`, ...) and the fix.
 * @example
 * ```ts
 * const schedule = parseRotationRules({ ScheduleExpression: 'cron(0 8 ? * MON *)', Duration: '2h' });
 * ```
 */
export function parseRotationRules(rules: RotationRulesInput): RotationSchedule | undefined {
  const cadence = parseCadence(rules);
  let durationMs: number | undefined;
  if (rules.Duration !== undefined) {
    const match = DURATION.exec(rules.Duration);
    const hours = match ? Number(match[1]) : 0;
    if (hours < 1) {
      throw new RotationRulesError('RotationRules.Duration', 'must be a whole number of hours such as 3h.');
    }
    if (cadence === undefined) {
      throw new RotationRulesError(
        'RotationRules.Duration',
        'needs a ScheduleExpression or AutomaticallyAfterDays to place the window.',
      );
    }
    checkDuration(cadence, hours);
    durationMs = hours * HOUR_MS;
  }
  if (cadence === undefined) return undefined;
  const hourly = cadence.kind === 'hours' || (cadence.kind === 'cron' && cadence.cron.hours.length > 1);
  return { cadence, durationMs, hourly };
}
