/**
 * Step 3: rotation. Role (pick one used before, paste one, or create one from the template),
 * partner metadata (schema-driven, with a secret picker for admin-secret fields), schedule, grace
 * period, automatic rotation and rotate-immediately (both on by default), Test connection.
 */
import {
  Autosuggest,
  Box,
  Container,
  ExpandableSection,
  FormField,
  Header,
  Input,
  RadioGroup,
  SpaceBetween,
  Toggle,
} from '@cloudscape-design/components';
import { useEffect, useState } from 'react';
import { api, type ConsoleConfig, type RoleTemplate } from '../api.ts';
import { documentFrom } from '../schema-form/mapping.ts';
import { SchemaForm, type SecretChoice } from '../schema-form/schema-form.tsx';
import { PreflightPanel } from './preflight-panel.tsx';
import {
  GRACE_PERIOD_KEY,
  metadataErrors,
  metadataFieldsOf,
  metadataOf,
  type RotationForm,
  rotationErrors,
  secretFieldsOf,
  type WizardState,
} from './wizard-state.ts';

/** The form's free-text fields. */
type TextField = 'days' | 'cron' | 'window' | 'gracePeriod';

/** A labelled text input of the rotation form, with its constraint and, once shown, its error. */
function RotationInput(props: {
  label: string;
  description?: string;
  constraintText: string;
  value: string;
  errorText: string | undefined;
  numeric?: boolean;
  onChange(value: string): void;
}) {
  return (
    <FormField
      label={props.label}
      description={props.description}
      constraintText={props.constraintText}
      errorText={props.errorText}
      i18nStrings={{ errorIconAriaLabel: 'Error' }}
    >
      <Input
        {...(props.numeric ? { type: 'number', inputMode: 'numeric' } : {})}
        value={props.value}
        onChange={(event) => props.onChange(event.detail.value)}
        invalid={props.errorText !== undefined}
      />
    </FormField>
  );
}

/** Preformatted text to copy (a policy document, commands). */
function CodeBlock({ text }: { text: string }) {
  return (
    <Box variant="code">
      <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{text}</pre>
    </Box>
  );
}

export function RotationStep({
  state,
  config,
  showErrors,
  onMetadata,
  onRotation,
}: {
  state: WizardState;
  config: ConsoleConfig | undefined;
  showErrors: boolean;
  onMetadata(name: string, value: string): void;
  onRotation(change: Partial<RotationForm>): void;
}) {
  const { rotation, partner } = state;
  const [roles, setRoles] = useState<string[]>([]);
  const [template, setTemplate] = useState<RoleTemplate | undefined>();
  const [sameType, setSameType] = useState<SecretChoice[]>([]);
  useEffect(() => {
    api.roles().then(setRoles, () => setRoles([]));
    if (!partner) return;
    api.roleTemplate(partner.type).then(setTemplate, () => setTemplate(undefined));
    api.secrets(partner.type).then(
      (secrets) => setSameType(secrets.map((s) => ({ name: s.name, arn: s.arn }))),
      () => setSameType([]),
    );
  }, [partner]);
  const errors = rotationErrors(rotation);
  const shown = (name: keyof RotationForm) => (showErrors ? errors[name] : undefined);
  const inputProps = (name: TextField) => ({
    value: rotation[name],
    errorText: shown(name),
    onChange: (value: string) => onRotation({ [name]: value }),
  });
  const metadataFields = metadataFieldsOf(partner);

  return (
    <SpaceBetween size="l">
      <Container
        header={<Header description="Partner settings the rotation needs.">Rotation metadata</Header>}
      >
        <SchemaForm
          fields={metadataFields}
          values={state.metadata}
          errors={metadataErrors(state)}
          showAllErrors={showErrors}
          onChange={onMetadata}
          secretChoices={sameType}
        />
      </Container>

      <Container
        header={
          <Header description="The IAM role Secrets Manager uses to rotate this secret.">
            Rotation role
          </Header>
        }
      >
        <SpaceBetween size="m">
          <FormField
            label={
              <span>
                Role ARN{' '}
                <Box variant="span" color="text-body-secondary" fontWeight="normal">
                  - <i>optional</i>
                </Box>
              </span>
            }
            description={
              config?.mode === 'local'
                ? 'The local stack rotates with its own identity; a role is stored but not needed.'
                : 'Pick a role used by your other secrets, or paste the ARN of the role you created.'
            }
            constraintText="arn:aws:iam::<account id>:role/<name>"
            errorText={shown('roleArn')}
            i18nStrings={{ errorIconAriaLabel: 'Error' }}
          >
            <Autosuggest
              value={rotation.roleArn}
              onChange={(event) => onRotation({ roleArn: event.detail.value })}
              options={roles.map((role) => ({ value: role }))}
              enteredTextLabel={(text) => `Use: ${text}`}
              placeholder="arn:aws:iam::111122223333:role/RotorRotation"
              empty="No roles in use yet"
              invalid={shown('roleArn') !== undefined}
            />
          </FormField>
          {template ? (
            <ExpandableSection headerText="Create a role for this partner" variant="footer">
              <SpaceBetween size="s">
                <Box>
                  Trust policy (<Box variant="code">trust.json</Box>): Secrets Manager, scoped to your
                  account.
                </Box>
                <CodeBlock text={JSON.stringify(template.trustPolicy, null, 2)} />
                <Box>
                  Permissions (<Box variant="code">permissions.json</Box>): the four rotation calls, only on
                  secrets of this type.
                </Box>
                <CodeBlock text={JSON.stringify(template.permissionsPolicy, null, 2)} />
                <CodeBlock text={template.commands.join('\n')} />
              </SpaceBetween>
            </ExpandableSection>
          ) : null}
        </SpaceBetween>
      </Container>

      <Container header={<Header description="When Rotor rotates the credential.">Rotation schedule</Header>}>
        <SpaceBetween size="m">
          <Toggle
            checked={rotation.automatic}
            onChange={(event) => onRotation({ automatic: event.detail.checked })}
          >
            Automatic rotation
          </Toggle>
          {rotation.automatic ? (
            <>
              <FormField label="Schedule">
                <RadioGroup
                  value={rotation.scheduleKind}
                  onChange={(event) =>
                    onRotation({ scheduleKind: event.detail.value as RotationForm['scheduleKind'] })
                  }
                  items={[
                    { value: 'days', label: 'Every N days', description: 'Counted from the last rotation.' },
                    {
                      value: 'cron',
                      label: 'Schedule expression',
                      description: 'A cron() expression in UTC, with a rotation window.',
                    },
                  ]}
                />
              </FormField>
              {rotation.scheduleKind === 'days' ? (
                <RotationInput
                  {...inputProps('days')}
                  label="Rotate every (days)"
                  constraintText="1 to 1000 days."
                  numeric
                />
              ) : (
                <SpaceBetween size="m" direction="horizontal">
                  <RotationInput
                    {...inputProps('cron')}
                    label="Schedule expression"
                    constraintText="e.g. cron(0 4 ? * SUN *): minutes 0, year *."
                  />
                  <RotationInput
                    {...inputProps('window')}
                    label="Window duration"
                    constraintText="Hours, e.g. 3h."
                  />
                </SpaceBetween>
              )}
            </>
          ) : null}
          <RotationInput
            {...inputProps('gracePeriod')}
            label="Grace period (seconds)"
            description="How long the previous credential keeps working after a rotation, so every consumer picks up the new one first."
            constraintText="0 to 2592000 (30 days). Default 3600 (1 hour)."
            numeric
          />
          <Toggle
            checked={rotation.automatic && rotation.rotateImmediately}
            disabled={!rotation.automatic}
            onChange={(event) => onRotation({ rotateImmediately: event.detail.checked })}
            description="The first rotation replaces the credential you entered, so no person keeps knowing it."
          >
            Rotate immediately when the secret is stored
          </Toggle>
        </SpaceBetween>
      </Container>

      <Container
        header={
          <Header description="A dry run against the partner, with no side effects.">Connection</Header>
        }
      >
        <PreflightPanel
          request={() => ({
            type: partner?.type ?? '',
            value: documentFrom(secretFieldsOf(partner), state.value),
            metadata: { ...metadataOf(state), [GRACE_PERIOD_KEY]: rotation.gracePeriod },
            ...(rotation.roleArn ? { roleArn: rotation.roleArn } : {}),
          })}
        />
      </Container>
    </SpaceBetween>
  );
}
