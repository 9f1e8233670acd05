/** The secrets list: name, partner, rotation state, filter by partner, link to details. */
import {
  Box,
  Button,
  Header,
  Link,
  Select,
  type SelectProps,
  SpaceBetween,
  StatusIndicator,
  Table,
} from '@cloudscape-design/components';
import { useCallback, useEffect, useState } from 'react';
import { api, type ConsoleConfig, type PartnerInfo, type SecretSummary } from '../api.ts';
import { formatDate, statusOf } from '../format.ts';
import { hrefOf, navigate } from '../router.ts';

const ALL: SelectProps.Option = { label: 'All partners', value: '' };

export function SecretsListPage({ config }: { config: ConsoleConfig | undefined }) {
  const [secrets, setSecrets] = useState<SecretSummary[]>([]);
  const [partners, setPartners] = useState<PartnerInfo[]>([]);
  const [filter, setFilter] = useState<SelectProps.Option>(ALL);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(() => {
    setLoading(true);
    Promise.all([api.secrets(), api.partners()])
      .then(([loadedSecrets, loadedPartners]) => {
        setSecrets(loadedSecrets);
        setPartners(loadedPartners);
        setError(undefined);
      })
      .catch((e: Error) => setError(e.message))
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);

  const titleOf = (type: string | undefined) => partners.find((p) => p.type === type)?.title ?? type ?? '—';
  const shown = filter.value ? secrets.filter((s) => s.type === filter.value) : secrets;

  return (
    <Table
      variant="full-page"
      loading={loading}
      loadingText="Loading secrets"
      items={shown}
      trackBy="arn"
      ariaLabels={{ tableLabel: 'Secrets' }}
      header={
        <Header
          variant="awsui-h1-sticky"
          counter={`(${shown.length})`}
          description={
            config
              ? `Secrets Manager in ${config.region}${config.mode === 'local' ? ' (local stack)' : ''}. Rotor rotates partner credentials at the source first.`
              : undefined
          }
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button iconName="refresh" ariaLabel="Refresh" onClick={load} />
              <Button variant="primary" href={hrefOf({ page: 'create' })}>
                Store a new secret
              </Button>
            </SpaceBetween>
          }
        >
          Secrets
        </Header>
      }
      filter={
        <Select
          selectedOption={filter}
          onChange={(event) => setFilter(event.detail.selectedOption)}
          options={[ALL, ...partners.map((p) => ({ label: p.title, value: p.type, description: p.type }))]}
          ariaLabel="Filter by partner"
          inlineLabelText="Partner"
        />
      }
      empty={
        <Box textAlign="center" color="inherit">
          <SpaceBetween size="m">
            <b>{error ? `Could not load secrets: ${error}` : 'No secrets'}</b>
            <Button onClick={() => navigate({ page: 'create' })}>Store a new secret</Button>
          </SpaceBetween>
        </Box>
      }
      columnDefinitions={[
        {
          id: 'name',
          header: 'Secret name',
          cell: (item) => <Link href={hrefOf({ page: 'details', secretId: item.name })}>{item.name}</Link>,
          isRowHeader: true,
        },
        { id: 'partner', header: 'Partner', cell: (item) => titleOf(item.type) },
        {
          id: 'rotation',
          header: 'Rotation',
          cell: (item) =>
            item.rotationEnabled ? (
              <StatusIndicator type="success">Enabled</StatusIndicator>
            ) : (
              <StatusIndicator type="stopped">Disabled</StatusIndicator>
            ),
        },
        { id: 'last', header: 'Last rotated', cell: (item) => formatDate(item.lastRotatedDate) },
        { id: 'next', header: 'Next rotation', cell: (item) => formatDate(item.nextRotationDate) },
        {
          id: 'result',
          header: 'Last result',
          cell: (item) =>
            item.lastResult ? (
              <StatusIndicator type={statusOf(item.lastResult)}>
                {item.lastResult}
                {item.failureCategory ? ` (${item.failureCategory})` : ''}
              </StatusIndicator>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
