/** Step 4: name, description, tags and encryption key. */
import {
  Box,
  Button,
  Container,
  FormField,
  Header,
  Input,
  SpaceBetween,
  Textarea,
} from '@cloudscape-design/components';
import type { DetailsForm } from './wizard-state.ts';

const optional = (
  <Box variant="span" color="text-body-secondary" fontWeight="normal">
    {' '}
    - <i>optional</i>
  </Box>
);

export function DetailsStep({
  details,
  errors,
  showErrors,
  onChange,
}: {
  details: DetailsForm;
  errors: Record<string, string>;
  showErrors: boolean;
  onChange(change: Partial<DetailsForm>): void;
}) {
  const shown = (name: string) => (showErrors ? errors[name] : undefined);
  const setTag = (index: number, change: Partial<{ key: string; value: string }>) =>
    onChange({ tags: details.tags.map((tag, i) => (i === index ? { ...tag, ...change } : tag)) });
  return (
    <SpaceBetween size="l">
      <Container header={<Header>Secret</Header>}>
        <SpaceBetween size="l">
          <FormField
            label="Secret name"
            description="How applications find the secret, e.g. prod/billing/salesforce."
            constraintText="Required. 1–512 characters: letters, digits and / _ + = . @ -"
            errorText={shown('name')}
            i18nStrings={{ errorIconAriaLabel: 'Error' }}
          >
            <Input
              value={details.name}
              onChange={(event) => onChange({ name: event.detail.value })}
              ariaRequired
              invalid={shown('name') !== undefined}
              placeholder="prod/app/partner-credential"
            />
          </FormField>
          <FormField
            label={<span>Description{optional}</span>}
            constraintText="Up to 2048 characters."
            errorText={shown('description')}
            i18nStrings={{ errorIconAriaLabel: 'Error' }}
          >
            <Textarea
              value={details.description}
              onChange={(event) => onChange({ description: event.detail.value })}
              rows={2}
            />
          </FormField>
          <FormField
            label={<span>Encryption key{optional}</span>}
            description="A KMS key id, alias or ARN. Empty: the AWS managed key aws/secretsmanager."
          >
            <Input
              value={details.kmsKeyId}
              onChange={(event) => onChange({ kmsKeyId: event.detail.value })}
              placeholder="aws/secretsmanager"
            />
          </FormField>
        </SpaceBetween>
      </Container>
      <Container header={<Header description="Key-value labels for the secret.">Tags{optional}</Header>}>
        <SpaceBetween size="s">
          {details.tags.map((tag, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position.
            <SpaceBetween key={index} size="s" direction="horizontal" alignItems="end">
              <FormField
                label={`Tag ${index + 1} key`}
                errorText={shown(`tag-${index}`)}
                i18nStrings={{ errorIconAriaLabel: 'Error' }}
              >
                <Input value={tag.key} onChange={(event) => setTag(index, { key: event.detail.value })} />
              </FormField>
              <FormField label={`Tag ${index + 1} value`}>
                <Input value={tag.value} onChange={(event) => setTag(index, { value: event.detail.value })} />
              </FormField>
              <Button
                ariaLabel={`Remove tag ${index + 1}`}
                onClick={() => onChange({ tags: details.tags.filter((_, i) => i !== index) })}
              >
                Remove
              </Button>
            </SpaceBetween>
          ))}
          <Button
            disabled={details.tags.length >= 40}
            onClick={() => onChange({ tags: [...details.tags, { key: '', value: '' }] })}
          >
            Add tag
          </Button>
        </SpaceBetween>
      </Container>
    </SpaceBetween>
  );
}
