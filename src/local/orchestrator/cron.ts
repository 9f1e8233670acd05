/**
 * The `cron()` flavour Secrets Manager rotation schedules accept (reference §6):
 * `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, UTC, minutes `0`, year `*`, `?` in one
 * of the day fields, and `*` `,` `-` `/` `L` `#` in the fields that allow them.
 *
 * Hand-written on purpose: no cron library is installed, and the general-purpose ones speak the
 * Unix/Quartz dialects (seconds field, 0-based weekdays, no `?`/year), not AWS's. The matcher only
 * works at hour resolution because Secrets Manager's minutes are always 0.
 */
import { CronSyntaxError } from './errors.ts';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** AWS numbers weekdays 1–7 from Sunday. */
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const HOUR_MS = 3_600_000;
/** How far ahead a match is looked for: past every leap-day-only schedule. */
const SEARCH_DAYS = 366 * 8;

type DayRule =
  | { kind: 'any' }
  | { kind: 'values'; values: ReadonlySet<number> }
  /** Day of month: the last day; day of week: the last `weekday` of the month. */
  | { kind: 'last'; weekday?: number }
  /** Day of week: the `nth` `weekday` of the month (`2#1`). */
  | { kind: 'nth'; weekday: number; nth: number };

/** A parsed `cron()` schedule. */
export interface CronSchedule {
  /** Hours of the day (UTC) the schedule fires, ascending. */
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  readonly dayOfMonth: DayRule;
  readonly dayOfWeek: DayRule;
}

function toNumber(token: string, field: string, min: number, max: number, names?: string[]): number {
  const upper = token.toUpperCase();
  const named = names?.indexOf(upper) ?? -1;
  const value = named >= 0 ? named + min : /^\d{1,2}$/.test(token) ? Number(token) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CronSyntaxError(`${field} value "${token}" is out of range ${min}-${max}.`);
  }
  return value;
}

/** `*`, `n`, `a-b`, `*\/s`, `a/s`, `a-b/s`, comma-separated. */
function parseValues(text: string, field: string, min: number, max: number, names?: string[]): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : toNumber(stepText, `${field} increment`, 1, max);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [min, max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [from, to] = [toNumber(a, field, min, max, names), toNumber(b, field, min, max, names)];
      if (from > to) throw new CronSyntaxError(`${field} range "${range}" runs backwards.`);
    } else {
      from = toNumber(range, field, min, max, names);
      to = stepText === undefined ? from : max;
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function parseDayOfMonth(text: string): DayRule {
  if (text === '?') return { kind: 'any' };
  if (text.toUpperCase() === 'L') return { kind: 'last' };
  return { kind: 'values', values: parseValues(text, 'Day-of-month', 1, 31) };
}

function parseDayOfWeek(text: string): DayRule {
  if (text === '?') return { kind: 'any' };
  const upper = text.toUpperCase();
  if (upper === 'L') return { kind: 'last', weekday: 7 };
  const last = /^(\w{1,3})L$/.exec(upper);
  if (last) return { kind: 'last', weekday: toNumber(last[1]!, 'Day-of-week', 1, 7, WEEKDAYS) };
  const nth = /^(\w{1,3})#([1-5])$/.exec(upper);
  if (nth) {
    return { kind: 'nth', weekday: toNumber(nth[1]!, 'Day-of-week', 1, 7, WEEKDAYS), nth: Number(nth[2]) };
  }
  return { kind: 'values', values: parseValues(text, 'Day-of-week', 1, 7, WEEKDAYS) };
}

/**
 * Parses the inside of `cron(...)`.
 *
 * @throws {CronSyntaxError} naming the field and what is wrong with it.
 * @example
 * ```ts
 * const schedule = parseCron('0 8 ? * MON#1 *'); // 08:00 UTC on the first Monday of each month
 * ```
 */
export function parseCron(body: string): CronSchedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new CronSyntaxError(
      `cron() needs 6 fields (Minutes Hours Day-of-month Month Day-of-week Year); got ${fields.length}.`,
    );
  }
  const [minutes, hours, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if (minutes !== '0')
    throw new CronSyntaxError('The Minutes field must be 0: rotation windows start on the hour.');
  if (year !== '*') throw new CronSyntaxError('The Year field must be *.');
  if ((dom === '?') === (dow === '?')) {
    throw new CronSyntaxError('Use ? in exactly one of Day-of-month and Day-of-week.');
  }
  return {
    hours: [...parseValues(hours, 'Hours', 0, 23)].sort((a, b) => a - b),
    months: parseValues(month, 'Month', 1, 12, MONTHS),
    dayOfMonth: parseDayOfMonth(dom),
    dayOfWeek: parseDayOfWeek(dow),
  };
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

function dayMatches(schedule: CronSchedule, day: Date): boolean {
  const year = day.getUTCFullYear();
  const month0 = day.getUTCMonth();
  const date = day.getUTCDate();
  const weekday = day.getUTCDay() + 1;
  if (!schedule.months.has(month0 + 1)) return false;
  const lastDay = daysInMonth(year, month0);
  const dom = schedule.dayOfMonth;
  if (dom.kind === 'values' && !dom.values.has(date)) return false;
  if (dom.kind === 'last' && date !== lastDay) return false;
  const dow = schedule.dayOfWeek;
  if (dow.kind === 'values' && !dow.values.has(weekday)) return false;
  if (dow.kind === 'last' && (weekday !== dow.weekday || date + 7 <= lastDay)) return false;
  if (dow.kind === 'nth' && (weekday !== dow.weekday || Math.ceil(date / 7) !== dow.nth)) return false;
  return true;
}

/**
 * The first time the schedule fires strictly after `after`, or undefined when it never does
 * (e.g. `cron(0 0 31 2 ? *)`).
 *
 * @example
 * ```ts
 * nextCronTime(parseCron('0 8 * * ? *'), new Date('2026-03-01T08:00:00Z')); // 2026-03-02T08:00:00Z
 * ```
 */
export function nextCronTime(schedule: CronSchedule, after: Date): Date | undefined {
  const startDay = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate());
  for (let offset = 0; offset < SEARCH_DAYS; offset++) {
    const day = new Date(startDay + offset * 24 * HOUR_MS);
    if (!dayMatches(schedule, day)) continue;
    for (const hour of schedule.hours) {
      const time = day.getTime() + hour * HOUR_MS;
      if (time > after.getTime()) return new Date(time);
    }
  }
  return undefined;
}
