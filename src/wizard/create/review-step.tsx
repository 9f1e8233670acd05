/** Step 5: everything on one page, secrets masked, with Edit links back to each step. */
import { Button, Container, Header, KeyValuePairs, SpaceBetween } from '@cloudscape-design/components';
import { metadataFieldsOf, secretFieldsOf, type WizardState } from './wizard-state.ts';

const MASK = '••••••••';

/** One step's answers, with an Edit button that goes back to it. */
function ReviewSection(props: {
  step: number;
  title: string;
  what: string;
  columns: number;
  items: { label: string; value: string | undefined }[];
  onEdit(step: number): void;
}) {
  return (
    <Container
      header={
        <Header
          variant="h2"
          actions={
            <Button onClick={() => props.onEdit(props.step)} ariaLabel={`Edit ${props.what}`}>
              Edit
            </Button>
          }
        >
          Step {props.step + 1}: {props.title}
        </Header>
      }
    >
      <KeyValuePairs columns={props.columns} items={props.items} />
    </Container>
  );
}

export function ReviewStep({ state, onEdit }: { state: WizardState; onEdit(step: number): void }) {
  const { partner, rotation, details } = state;
  const schedule = !rotation.automatic
    ? 'Off'
    : rotation.scheduleKind === 'days'
      ? `Every ${rotation.days} days`
      : `${rotation.cron}${rotation.window ? `, window ${rotation.window}` : ''}`;
  return (
    <SpaceBetween size="l">
      <ReviewSection
        step={0}
        title="Partner"
        what="partner"
        columns={2}
        onEdit={onEdit}
        items={[
          { label: 'Partner', value: partner?.title ?? '—' },
          { label: 'Secret type', value: partner?.type ?? '—' },
        ]}
      />
      <ReviewSection
        step={1}
        title="Secret value"
        what="secret value"
        columns={3}
        onEdit={onEdit}
        items={secretFieldsOf(partner).map((field) => ({
          label: field.label,
          value: state.value[field.name] ? (field.sensitive ? MASK : state.value[field.name]) : '—',
        }))}
      />
      <ReviewSection
        step={2}
        title="Rotation"
        what="rotation"
        columns={3}
        onEdit={onEdit}
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
      <ReviewSection
        step={3}
        title="Name and details"
        what="name and details"
        columns={3}
        onEdit={onEdit}
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
    </SpaceBetween>
  );
}
