/** Small display helpers shared by the pages. */

/** A date as the console shows it: local date and time, or an em dash. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
}

/** A Cloudscape StatusIndicator type for a rotation result. */
export function statusOf(result: string | undefined): 'success' | 'error' | 'in-progress' | 'stopped' {
  if (result === 'succeeded') return 'success';
  if (result === 'failed') return 'error';
  if (result === 'running') return 'in-progress';
  return 'stopped';
}
