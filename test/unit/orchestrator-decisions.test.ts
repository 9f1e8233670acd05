/** The orchestrator's pure decisions: what a label move means, and which window is due. */
import { describe, expect, it } from 'vitest';
import { dueWindow, meaningOf, parseRotationRules } from '../../src/local/orchestrator/index.ts';

const change = (before: Record<string, string>, after: Record<string, string>) => ({
  secretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:s-AbCdEf',
  name: 's',
  region: 'us-east-1',
  before,
  after,
});

describe('Function: meaningOf', () => {
  it('reports a finished rotation as label moves only', () => {
    // Act
    const meaning = meaningOf(
      change({ AWSCURRENT: 'v1', AWSPENDING: 'v2' }, { AWSCURRENT: 'v2', AWSPREVIOUS: 'v1' }),
    );

    // Assess
    expect(meaning).toEqual({ reported: [{ label: 'AWSCURRENT', versionId: 'v2' }], manualWrite: false });
  });

  it('reads a manual write over a pending rotation as its abandonment', () => {
    // Act
    const meaning = meaningOf(
      change({ AWSCURRENT: 'v1', AWSPENDING: 'v2' }, { AWSCURRENT: 'v3', AWSPREVIOUS: 'v1' }),
    );

    // Assess
    expect(meaning).toEqual({
      reported: [{ label: 'AWSCURRENT', versionId: 'v3' }],
      manualWrite: true,
      abandonedVersionId: 'v2',
    });
  });

  it('does not abandon when AWSPENDING stays (or only AWSPENDING goes) and reports creation', () => {
    // Act
    const kept = meaningOf(
      change(
        { AWSCURRENT: 'v1', AWSPENDING: 'v2' },
        { AWSCURRENT: 'v3', AWSPENDING: 'v2', AWSPREVIOUS: 'v1' },
      ),
    );
    const testCleanup = meaningOf(change({ AWSCURRENT: 'v1', AWSPENDING: 'v2' }, { AWSCURRENT: 'v1' }));
    const created = meaningOf(change({}, { AWSCURRENT: 'v1' }));

    // Assess
    expect(kept.abandonedVersionId).toBeUndefined();
    expect(kept.manualWrite).toBe(true);
    expect(testCleanup).toEqual({ reported: [], manualWrite: false });
    expect(created).toEqual({ reported: [{ label: 'AWSCURRENT', versionId: 'v1' }], manualWrite: false });
  });
});

describe('Function: dueWindow', () => {
  const daily = parseRotationRules({ ScheduleExpression: 'cron(0 6 * * ? *)', Duration: '2h' })!;
  const basis = new Date('2026-03-01T10:00:00Z');

  it('is the open window, once', () => {
    // Act
    const open = dueWindow(daily, basis, undefined, new Date('2026-03-02T06:30:00Z'), true);
    const handled = dueWindow(
      daily,
      basis,
      open?.start.toISOString(),
      new Date('2026-03-02T07:30:00Z'),
      true,
    );

    // Assess
    expect(open?.start.toISOString()).toBe('2026-03-02T06:00:00.000Z');
    expect(handled).toBeUndefined();
  });

  it('is nothing before the first window, and the latest window after a long jump', () => {
    // Act
    const early = dueWindow(daily, basis, undefined, new Date('2026-03-02T05:59:00Z'), true);
    const late = dueWindow(daily, basis, undefined, new Date('2026-03-09T09:00:00Z'), true);
    const lateNoCatchUp = dueWindow(daily, basis, undefined, new Date('2026-03-09T09:00:00Z'), false);

    // Assess
    expect(early).toBeUndefined();
    expect(late?.start.toISOString()).toBe('2026-03-09T06:00:00.000Z');
    expect(lateNoCatchUp).toBeUndefined();
  });

  it('moves on to the window after a handled one while the rotation keeps failing', () => {
    // Act
    const next = dueWindow(daily, basis, '2026-03-02T06:00:00.000Z', new Date('2026-03-03T06:10:00Z'), true);

    // Assess
    expect(next?.start.toISOString()).toBe('2026-03-03T06:00:00.000Z');
  });
});
