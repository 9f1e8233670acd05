/**
 * Events and audit records. Their shape belongs to the endpoint that keeps them, so the table
 * reads the usual keys (time, type, outcome) and shows the rest as text.
 */
import { Box, Table } from '@cloudscape-design/components';
import { formatDate } from '../format.ts';

type RecordItem = Record<string, unknown>;

const first = (item: RecordItem, keys: string[]) => {
  const detail = (item.detail ?? {}) as RecordItem;
  for (const key of keys) {
    const value = item[key] ?? detail[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
};

export function RecordsTable({ label, items }: { label: string; items: RecordItem[] | undefined }) {
  return (
    <Table
      variant="embedded"
      ariaLabels={{ tableLabel: label }}
      items={items ?? []}
      empty={
        <Box color="text-body-secondary" textAlign="center">
          {items === undefined
            ? `This endpoint keeps no ${label.toLowerCase()}.`
            : `No ${label.toLowerCase()} yet.`}
        </Box>
      }
      columnDefinitions={[
        {
          id: 'time',
          header: 'Time',
          cell: (item) => formatDate(first(item, ['time', 'timestamp', 'at', 'createdAt'])),
        },
        {
          id: 'type',
          header: 'Type',
          cell: (item) => first(item, ['detail-type', 'detailType', 'type', 'action', 'event']) ?? '—',
        },
        {
          id: 'outcome',
          header: 'Outcome',
          cell: (item) => first(item, ['outcome', 'result', 'category', 'step']) ?? '—',
        },
        {
          id: 'detail',
          header: 'Detail',
          cell: (item) => first(item, ['message', 'summary', 'versionId']) ?? '—',
        },
      ]}
    />
  );
}
