/** "Test connection": runs the side-effect-free preflight and shows each check. */
import { Box, Button, SpaceBetween, StatusIndicator } from '@cloudscape-design/components';
import { useState } from 'react';
import { api, type PreflightReport } from '../api.ts';

export function PreflightPanel({
  request,
}: {
  /** Builds the preflight request from the current form. */
  request(): { type: string; value: unknown; metadata: Record<string, string>; roleArn?: string };
}) {
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<PreflightReport | undefined>();
  const [error, setError] = useState<string | undefined>();
  const run = () => {
    setRunning(true);
    setError(undefined);
    api
      .preflight(request())
      .then(setReport, (e: Error) => {
        setReport(undefined);
        setError(e.message);
      })
      .finally(() => setRunning(false));
  };
  return (
    <SpaceBetween size="s">
      <SpaceBetween size="xs" direction="horizontal" alignItems="center">
        <Button onClick={run} loading={running} loadingText="Testing the connection">
          Test connection
        </Button>
        <Box color="text-body-secondary" fontSize="body-s">
          Checks the value, metadata, role, allowed hosts and authentication at the partner. Changes nothing.
        </Box>
      </SpaceBetween>
      {error ? <StatusIndicator type="error">{error}</StatusIndicator> : null}
      {report ? (
        <ul aria-label="Connection checks" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {report.checks.map((check) => (
            <li key={check.name} data-check={check.name} data-ok={String(check.ok)}>
              <StatusIndicator type={check.ok ? 'success' : 'error'}>
                <b>{check.name}</b>: {check.detail}
              </StatusIndicator>
            </li>
          ))}
        </ul>
      ) : null}
    </SpaceBetween>
  );
}
