/** Step 5: everything on one page, secrets masked, with Edit links back to each step. */
import { Button, Container, Header, KeyValuePairs, SpaceBetween } from '@cloudscape-design/components';
import { metadataFieldsOf, secretFieldsOf, type WizardState } from './wizard-state.ts';

const MASK = '••••••••';

export function ReviewStep({ state, onEdit }: { state: WizardState; onEdit(step: number): void }) {
  const { partner, rotation, details } = state;
  const edit = (step: number, what: string) => (
    <Button onClick={() => onEdit(step)} ariaLabel={`Edit ${what}`}>
      Edit
    </Button>
  );
  const schedule = !rotation.automatic
    ? 'Off'
    : rotation.scheduleKind === 'days'
      ? `Every ${rotation.days} days`
      : `${rotation.cron}${rotation.window ? `, window ${rotation.window}` : ''}`;
  return (
    <SpaceBetween size="l">
      <Container
        header={
          <Header variant="h2" actions={edit(0, 'partner')}>
            Step 1: Partner
          </Header>
        }
      >
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Partner', value: partner?.title ?? '—' },
            { label: 'Secret type', value: partner?.type ?? '—' },
          ]}
        />
      </Container>
      <Container
        header={
          <Header variant="h2" actions={edit(1, 'secret value')}>
            Step 2: Secret value
          </Header>
        }
      >
        <KeyValuePairs
          columns={3}
          items={secretFieldsOf(partner).map((field) => ({
            label: field.label,
            value: state.value[field.name] ? (field.sensitive ? MASK : state.value[field.name]) : '—',
          }))}
        />
      </Container>
      <Container
        header={
          <Header variant="h2" actions={edit(2, 'rotation')}>
            Step 3: Rotation
          </Header>
        }
      >
        <KeyValuePairs
          columns={3}
          items={[
            ...metadataFieldsOf(partner).map((field) => ({
              label: field.label,
              value: state.metadata[field.name] || '—',
            })),
            { label: 'Role', value: rotation.roleArn || 'None' },
            { label: 'Automatic rotation', value: rotation.automatic ? 'On' : 'Off' },
            { label: 'Schedule', value: schedule },
            { label: 'Grace period', value: `${rotation.gracePeriod} seconds` },
            {
              label: 'Rotate immediately',
              value: rotation.automatic && rotation.rotateImmediately ? 'Yes' : 'No',
            },
          ]}
        />
      </Container>
      <Container
        header={
          <Header variant="h2" actions={edit(3, 'name and details')}>
            Step 4: Name and details
          </Header>
        }
      >
        <KeyValuePairs
          columns={3}
          items={[
            { label: 'Secret name', value: details.name || '—' },
            { label: 'Description', value: details.description || '—' },
            { label: 'Encryption key', value: details.kmsKeyId || 'aws/secretsmanager' },
            {
              label: 'Tags',
              value: details.tags.length ? details.tags.map((t) => `${t.key}=${t.value}`).join(', ') : '—',
            },
          ]}
        />
      </Container>
    </SpaceBetween>
  );
}
