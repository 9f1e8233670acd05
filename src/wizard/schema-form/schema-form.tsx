/**
 * Renders {@link FieldSpec}s with Cloudscape: a labelled `FormField` per property, description and
 * limits under it, secret fields masked with a reveal button, and a picker of secrets for
 * secret-ARN fields. Errors appear once Next was pressed and then follow every keystroke; they do
 * not appear on blur, because text appearing under a field as focus leaves it shifts the page
 * under the pointer and swallows the click on Next.
 */
import {
  Autosuggest,
  Box,
  Button,
  FormField,
  Input,
  Select,
  SpaceBetween,
} from '@cloudscape-design/components';
import { useState } from 'react';
import type { FieldSpec } from './mapping.ts';

export interface SecretChoice {
  name: string;
  arn: string;
}

export interface SchemaFormProps {
  fields: readonly FieldSpec[];
  values: Record<string, string>;
  errors: Record<string, string>;
  /** Show the errors (after Next was pressed). */
  showAllErrors: boolean;
  onChange(name: string, value: string): void;
  /** Choices for secret-ARN fields. */
  secretChoices?: readonly SecretChoice[];
}

function FieldControl({
  field,
  value,
  invalid,
  revealed,
  onChange,
  secretChoices,
}: {
  field: FieldSpec;
  value: string;
  invalid: boolean;
  revealed: boolean;
  onChange(value: string): void;
  secretChoices: readonly SecretChoice[];
}) {
  if (field.secretPicker) {
    return (
      <Autosuggest
        value={value}
        onChange={(event) => onChange(event.detail.value)}
        options={secretChoices.map((s) => ({ value: s.arn, label: s.name, description: s.arn }))}
        enteredTextLabel={(text) => `Use: ${text}`}
        placeholder={field.placeholder ?? 'Choose a secret or paste its ARN'}
        empty="No secrets of this type yet"
        ariaRequired={field.required}
        invalid={invalid}
      />
    );
  }
  if (field.options) {
    const selected = value ? { label: value, value } : null;
    return (
      <Select
        selectedOption={selected}
        onChange={(event) => onChange(event.detail.selectedOption.value ?? '')}
        options={field.options.map((option) => ({ label: option, value: option }))}
        placeholder="Choose a value"
        invalid={invalid}
      />
    );
  }
  return (
    <Input
      value={value}
      onChange={(event) => onChange(event.detail.value)}
      type={field.sensitive && !revealed ? 'password' : field.inputType === 'url' ? 'url' : field.inputType}
      placeholder={field.placeholder}
      ariaRequired={field.required}
      invalid={invalid}
      autoComplete={false}
      spellcheck={false}
    />
  );
}

/**
 * @example
 * ```tsx
 * <SchemaForm fields={fields} values={values} errors={errors} showAllErrors={false} onChange={set} />
 * ```
 */
export function SchemaForm({
  fields,
  values,
  errors,
  showAllErrors,
  onChange,
  secretChoices = [],
}: SchemaFormProps) {
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const toggle = (set: Set<string>, name: string) => {
    const next = new Set(set);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    return next;
  };
  return (
    <SpaceBetween size="l">
      {fields.map((field) => {
        const shown = showAllErrors ? errors[field.name] : undefined;
        const isRevealed = revealed.has(field.name);
        return (
          <FormField
            key={field.name}
            label={
              <span>
                {field.label}
                {field.required ? null : (
                  <Box variant="span" color="text-body-secondary" fontWeight="normal">
                    {' '}
                    - <i>optional</i>
                  </Box>
                )}
              </span>
            }
            description={field.description}
            constraintText={field.constraintText}
            errorText={shown}
            i18nStrings={{ errorIconAriaLabel: 'Error' }}
            secondaryControl={
              field.sensitive ? (
                <Button
                  ariaLabel={`${isRevealed ? 'Hide' : 'Show'} ${field.label}`}
                  onClick={() => setRevealed((set) => toggle(set, field.name))}
                >
                  {isRevealed ? 'Hide' : 'Show'}
                </Button>
              ) : undefined
            }
          >
            <FieldControl
              field={field}
              value={values[field.name] ?? ''}
              invalid={shown !== undefined}
              revealed={isRevealed}
              onChange={(value) => onChange(field.name, value)}
              secretChoices={secretChoices}
            />
          </FormField>
        );
      })}
    </SpaceBetween>
  );
}
