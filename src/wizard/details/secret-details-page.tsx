/**
 * One secret: configuration, versions with their stages, the running rotation step by step,
 * rotation history, events and audit, and the Rotate now / Test rotation actions. Polls while a
 * rotation runs.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Container,
  Header,
  KeyValuePairs,
  SpaceBetween,
  StatusIndicator,
  Table,
} from '@cloudscape-design/components';
import { useCallback, useEffect, useState } from 'react';
import { api, type ConsoleConfig, type SecretDetails } from '../api.ts';
import { formatDate, statusOf } from '../format.ts';
import { takeFlash } from '../router.ts';
import { AuditTable, EventsTable } from './records-table.tsx';
import { isTestRotation, RotationProgress } from './rotation-progress.tsx';

const FAST_POLL_MS = 700;
const SLOW_POLL_MS = 5000;

function isBusy(details: SecretDetails | undefined): boolean {
  if (!details) return false;
  if (details.attempts?.at(-1)?.result === 'running') return true;
  return details.versions.some((v) => v.stages.includes('AWSPENDING')) && details.attempts === undefined;
}

function stageColor(stage: string): 'green' | 'blue' | 'grey' {
  if (stage === 'AWSCURRENT') return 'green';
  if (stage === 'AWSPENDING') return 'blue';
  return 'grey';
}

export function SecretDetailsPage({
  secretId,
  config,
}: {
  secretId: string;
  config: ConsoleConfig | undefined;
}) {
  const [details, setDetails] = useState<SecretDetails | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ type: 'success' | 'error' | 'info'; text: string } | undefined>(
    () => {
      const flash = takeFlash();
      return flash ? { type: 'success', text: flash } : undefined;
    },
  );
  const [acting, setActing] = useState<'rotate' | 'test' | undefined>();

  const load = useCallback(
    () =>
      api.secret(secretId).then(
        (loaded) => {
          setDetails(loaded);
          setError(undefined);
        },
        (e: Error) => setError(e.message),
      ),
    [secretId],
  );
  useEffect(() => {
    load();
  }, [load]);
  const busy = isBusy(details);
  useEffect(() => {
    const timer = setInterval(load, busy ? FAST_POLL_MS : SLOW_POLL_MS);
    return () => clearInterval(timer);
  }, [busy, load]);

  const rotate = (test: boolean) => {
    setActing(test ? 'test' : 'rotate');
    api
      .rotate(secretId, test)
      .then(
        (started) =>
          setNotice({
            type: 'info',
            text: test
              ? `Test rotation requested (version ${started.versionId ?? 'unknown'}); the stored value does not change.`
              : `Rotation started (version ${started.versionId ?? 'unknown'}).`,
          }),
        (e: Error) => setNotice({ type: 'error', text: e.message }),
      )
      .then(load)
      .finally(() => setActing(undefined));
  };

  if (error && !details) {
    return (
      <Alert type="error" header={`Could not load ${secretId}`}>
        {error}
      </Alert>
    );
  }
  const latest = details?.attempts?.at(-1);
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={details?.description}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button
              onClick={() => rotate(true)}
              loading={acting === 'test'}
              disabled={!details || busy || config?.testRotations === false}
              disabledReason="This endpoint does not run test rotations; use Rotate now."
            >
              Test rotation
            </Button>
            <Button
              variant="primary"
              onClick={() => rotate(false)}
              loading={acting === 'rotate'}
              disabled={!details || busy}
            >
              Rotate now
            </Button>
          </SpaceBetween>
        }
      >
        {secretId}
      </Header>
      {notice ? (
        <div data-testid="notice">
          <Alert type={notice.type} dismissible onDismiss={() => setNotice(undefined)}>
            {notice.text}
          </Alert>
        </div>
      ) : null}
      <Container header={<Header variant="h2">Rotation configuration</Header>}>
        <KeyValuePairs
          columns={3}
          items={[
            { label: 'Partner type', value: details?.type ?? '—' },
            {
              label: 'Rotation',
              value: details?.rotationEnabled ? (
                <StatusIndicator type="success">Enabled</StatusIndicator>
              ) : (
                <StatusIndicator type="stopped">Disabled</StatusIndicator>
              ),
            },
            {
              label: 'Schedule',
              value: details?.rotationRules?.ScheduleExpression
                ? `${details.rotationRules.ScheduleExpression}${details.rotationRules.Duration ? `, window ${details.rotationRules.Duration}` : ''}`
                : details?.rotationRules?.AutomaticallyAfterDays
                  ? `Every ${details.rotationRules.AutomaticallyAfterDays} days`
                  : '—',
            },
            { label: 'Last rotated', value: formatDate(details?.lastRotatedDate) },
            { label: 'Next rotation', value: formatDate(details?.nextRotationDate) },
            {
              label: 'Grace period',
              value:
                details?.gracePeriodSeconds !== undefined
                  ? `${details.gracePeriodSeconds} seconds`
                  : 'Default',
            },
            ...Object.entries(details?.metadata ?? {}).map(([key, value]) => ({ label: key, value })),
            { label: 'Role', value: details?.roleArn ?? '—' },
            { label: 'ARN', value: details?.arn ?? '—' },
          ]}
        />
      </Container>
      <Container
        header={
          <Header
            variant="h2"
            description={
              config?.liveProgress
                ? 'Step by step, as the rotation runs.'
                : 'Live steps need the local stack; on AWS, watch the version stages.'
            }
          >
            Rotation progress
          </Header>
        }
      >
        {latest ? (
          <SpaceBetween size="s">
            <StatusIndicator type={statusOf(latest.result)}>
              {isTestRotation(latest) ? 'Test rotation of version' : 'Version'} {latest.versionId}:{' '}
              {latest.result}
            </StatusIndicator>
            <RotationProgress attempt={latest} />
          </SpaceBetween>
        ) : (
          <Box color="text-body-secondary">No rotation recorded yet.</Box>
        )}
      </Container>
      <Table
        header={
          <Header variant="h2" counter={`(${details?.versions.length ?? 0})`}>
            Versions
          </Header>
        }
        ariaLabels={{ tableLabel: 'Versions' }}
        items={details?.versions ?? []}
        trackBy="versionId"
        loading={!details}
        loadingText="Loading versions"
        columnDefinitions={[
          {
            id: 'id',
            header: 'Version id',
            cell: (v) => <Box variant="code">{v.versionId}</Box>,
            isRowHeader: true,
          },
          {
            id: 'stages',
            header: 'Staging labels',
            cell: (v) =>
              v.stages.length ? (
                <SpaceBetween size="xxs" direction="horizontal">
                  {v.stages.map((stage) => (
                    <Badge key={stage} color={stageColor(stage)}>
                      {stage}
                    </Badge>
                  ))}
                </SpaceBetween>
              ) : (
                '—'
              ),
          },
          { id: 'created', header: 'Created', cell: (v) => formatDate(v.createdDate) },
        ]}
      />
      <Table
        header={<Header variant="h2">Rotation history</Header>}
        ariaLabels={{ tableLabel: 'Rotation history' }}
        items={[...(details?.attempts ?? [])].reverse()}
        empty={
          <Box color="text-body-secondary" textAlign="center">
            {details?.attempts === undefined
              ? 'This endpoint keeps no rotation records.'
              : 'No rotations yet.'}
          </Box>
        }
        columnDefinitions={[
          { id: 'started', header: 'Started', cell: (a) => formatDate(a.startedAt) },
          { id: 'version', header: 'Version', cell: (a) => <Box variant="code">{a.versionId}</Box> },
          { id: 'kind', header: 'Kind', cell: (a) => (isTestRotation(a) ? 'Test rotation' : 'Rotation') },
          {
            id: 'result',
            header: 'Result',
            cell: (a) => (
              <StatusIndicator type={statusOf(a.result)}>
                {a.result}
                {a.failure ? ` at ${a.failure.step} (${a.failure.category})` : ''}
              </StatusIndicator>
            ),
          },
          { id: 'finished', header: 'Finished', cell: (a) => formatDate(a.finishedAt) },
        ]}
      />
      <Container header={<Header variant="h2">Events</Header>}>
        <EventsTable items={details?.events} />
      </Container>
      <Container header={<Header variant="h2">Audit records</Header>}>
        <AuditTable items={details?.audit} />
      </Container>
    </SpaceBetween>
  );
}
