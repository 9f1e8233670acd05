/** RotationRules parsing, the AWS cron dialect, rotation windows and NextRotationDate. */
import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron } from '../../src/local/orchestrator/cron.ts';
import { CronSyntaxError, RotationRulesError } from '../../src/local/orchestrator/errors.ts';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../src/local/orchestrator/retry-policy.ts';
import { parseRotationRules } from '../../src/local/orchestrator/rotation-rules.ts';
import { nextRotationDate, windowAfter } from '../../src/local/orchestrator/windows.ts';

const at = (iso: string) => new Date(iso);

describe('Function: parseCron', () => {
  it.each([
    ['0 8 * * ? *', '2026-03-01T08:00:00Z', '2026-03-02T08:00:00.000Z'],
    ['0 8 * * ? *', '2026-03-01T07:59:00Z', '2026-03-01T08:00:00.000Z'],
    ['0 */6 * * ? *', '2026-03-01T06:00:00Z', '2026-03-01T12:00:00.000Z'],
    ['0 1,13 ? * MON-FRI *', '2026-03-06T14:00:00Z', '2026-03-09T01:00:00.000Z'],
    ['0 0 L * ? *', '2026-02-10T00:00:00Z', '2026-02-28T00:00:00.000Z'],
    ['0 0 ? * 6L *', '2026-03-01T00:00:00Z', '2026-03-27T00:00:00.000Z'],
    ['0 9 ? * 2#1 *', '2026-03-03T00:00:00Z', '2026-04-06T09:00:00.000Z'],
    ['0 0 1/10 * ? *', '2026-03-02T00:00:00Z', '2026-03-11T00:00:00.000Z'],
    ['0 0 29 FEB ? *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('cron(%s) after %s fires at %s', (body, after, expected) => {
    // Prepare
    const schedule = parseCron(body);

    // Act
    const next = nextCronTime(schedule, at(after));

    // Assess
    expect(next?.toISOString()).toBe(expected);
  });

  it.each([
    ['15 8 * * ? *', 'Minutes'],
    ['0 8 * * ? 2027', 'Year'],
    ['0 8 * * * *', 'exactly one'],
    ['0 8 ? * ? *', 'exactly one'],
    ['0 24 * * ? *', 'Hours'],
    ['0 8 * 13 ? *', 'Month'],
    ['0 8 * *', '6 fields'],
  ])('refuses cron(%s), naming %s', (body, named) => {
    // Act
    const parse = () => parseCron(body);

    // Assess
    expect(parse).toThrow(CronSyntaxError);
    expect(parse).toThrow(named);
  });
});

describe('Function: parseRotationRules', () => {
  it.each([
    [{ AutomaticallyAfterDays: 1, ScheduleExpression: 'rate(4 hours)' }, 'RotationRules'],
    [{ ScheduleExpression: 'rate(3 hours)' }, 'RotationRules.ScheduleExpression'],
    [{ ScheduleExpression: 'rate(1 days)' }, 'RotationRules.ScheduleExpression'],
    [{ ScheduleExpression: 'rate(2 weeks)' }, 'RotationRules.ScheduleExpression'],
    [{ ScheduleExpression: 'cron(30 8 * * ? *)' }, 'RotationRules.ScheduleExpression'],
    [{ ScheduleExpression: 'rate(4 hours)', Duration: '5h' }, 'RotationRules.Duration'],
    [{ ScheduleExpression: 'cron(0 22 * * ? *)', Duration: '3h' }, 'RotationRules.Duration'],
    [{ ScheduleExpression: 'cron(0 8,10 * * ? *)', Duration: '3h' }, 'RotationRules.Duration'],
    [{ AutomaticallyAfterDays: 1001 }, 'RotationRules.AutomaticallyAfterDays'],
    [{ Duration: '2h' }, 'RotationRules.Duration'],
    [{ ScheduleExpression: 'rate(1 day)', Duration: '0h' }, 'RotationRules.Duration'],
  ])('refuses %j, naming %s', (rules, field) => {
    // Act
    let caught: unknown;
    try {
      parseRotationRules(rules);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(RotationRulesError);
    expect((caught as RotationRulesError).field).toBe(field);
  });

  it('accepts the documented forms', () => {
    // Act
    const parsed = [
      parseRotationRules({ AutomaticallyAfterDays: 30 }),
      parseRotationRules({ ScheduleExpression: 'rate(4 hours)', Duration: '4h' }),
      parseRotationRules({ ScheduleExpression: 'rate(1 day)' }),
      parseRotationRules({ ScheduleExpression: 'cron(0 16 ? * SAT#2 *)', Duration: '8h' }),
    ];

    // Assess
    expect(parsed.map((p) => p?.hourly)).toEqual([false, true, false, false]);
    expect(parseRotationRules({})).toBeUndefined();
  });
});

describe('Function: windowAfter', () => {
  it('opens AutomaticallyAfterDays windows at midnight N days on, until the end of the UTC day', () => {
    // Prepare
    const schedule = parseRotationRules({ AutomaticallyAfterDays: 30 })!;

    // Act
    const window = windowAfter(schedule, at('2026-03-01T10:30:00Z'));

    // Assess
    expect(window?.start.toISOString()).toBe('2026-03-31T00:00:00.000Z');
    expect(window?.end.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(nextRotationDate(schedule, at('2026-03-01T10:30:00Z'))?.toISOString()).toBe(
      '2026-03-31T23:59:59.000Z',
    );
  });

  it('restarts hourly rate() windows each UTC day, one hour long by default', () => {
    // Prepare
    const schedule = parseRotationRules({ ScheduleExpression: 'rate(5 hours)' })!;

    // Act
    const late = windowAfter(schedule, at('2026-03-01T20:00:00Z'));
    const early = windowAfter(schedule, at('2026-03-01T04:20:00Z'));

    // Assess
    expect(late?.start.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(early?.start.toISOString()).toBe('2026-03-01T05:00:00.000Z');
    expect(early?.end.toISOString()).toBe('2026-03-01T06:00:00.000Z');
  });

  it('uses Duration for cron() windows', () => {
    // Prepare
    const schedule = parseRotationRules({ ScheduleExpression: 'cron(0 8 ? * MON *)', Duration: '2h' })!;

    // Act
    const window = windowAfter(schedule, at('2026-03-01T00:00:00Z'));

    // Assess
    expect(window?.start.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    expect(window?.end.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });
});

describe('Function: retryDelay', () => {
  it('backs off exponentially, then gives up', () => {
    // Act
    const delays = [1, 2, 3, 4].map((retry) => retryDelay(DEFAULT_RETRY_POLICY, retry));

    // Assess
    expect(delays).toEqual([60_000, 120_000, 240_000, undefined]);
  });
});
