/**
 * A secret's events and audit records, as the console API flattens them (`src/console/records.ts`):
 * events with their name and a short summary; one audit row per rotation attempt with its trigger,
 * result, failure category, duration and steps.
 */
import { Box, StatusIndicator, Table } from '@cloudscape-design/components';
import type { ReactNode } from 'react';
import type { SecretDetails } from '../api.ts';
import { formatDate, statusOf } from '../format.ts';

type ConsoleEvent = NonNullable<SecretDetails['events']>[number];
type ConsoleAuditRecord = NonNullable<SecretDetails['audit']>[number];

function emptyText(label: string, items: unknown[] | undefined): ReactNode {
  return (
    <Box color="text-body-secondary" textAlign="center">
      {items === undefined ? `This endpoint keeps no ${label}.` : `No ${label} yet.`}
    </Box>
  );
}

export function EventsTable({ items }: { items: ConsoleEvent[] | undefined }) {
  return (
    <Table
      variant="embedded"
      ariaLabels={{ tableLabel: 'Events' }}
      items={items ?? []}
      empty={emptyText('events', items)}
      columnDefinitions={[
        { id: 'time', header: 'Time', cell: (event) => formatDate(event.time) },
        { id: 'name', header: 'Event', cell: (event) => event.name, isRowHeader: true },
        { id: 'source', header: 'Source', cell: (event) => event.source ?? '—' },
        { id: 'summary', header: 'Summary', cell: (event) => event.summary },
      ]}
    />
  );
}

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

export function AuditTable({ items }: { items: ConsoleAuditRecord[] | undefined }) {
  return (
    <Table
      variant="embedded"
      ariaLabels={{ tableLabel: 'Audit records' }}
      wrapLines
      items={items ?? []}
      empty={emptyText('audit records', items)}
      columnDefinitions={[
        { id: 'started', header: 'Started', cell: (record) => formatDate(record.startedAt) },
        {
          id: 'kind',
          header: 'Kind',
          cell: (record) => (record.kind === 'test-rotation' ? 'Test rotation' : 'Rotation'),
        },
        { id: 'trigger', header: 'Trigger', cell: (record) => record.trigger ?? '—' },
        {
          id: 'result',
          header: 'Result',
          cell: (record) => (
            <StatusIndicator type={statusOf(record.result)}>{record.result ?? 'unknown'}</StatusIndicator>
          ),
        },
        {
          id: 'failure',
          header: 'Failure category',
          cell: (record) =>
            record.failureCategory
              ? `${record.failureCategory}${record.failureStep ? ` at ${record.failureStep}` : ''}`
              : '—',
        },
        { id: 'duration', header: 'Duration', cell: (record) => seconds(record.durationMs) },
        {
          id: 'steps',
          header: 'Steps',
          cell: (record) => (record.steps.length ? record.steps.join(', ') : '—'),
        },
        { id: 'version', header: 'Version', cell: (record) => <Box variant="code">{record.versionId}</Box> },
      ]}
    />
  );
}
