/**
 * The create wizard's state, its checks per step and the request it sends. Pure functions: the
 * view (`create-secret-wizard.tsx`) only renders and dispatches.
 */
import type { CreateSecretRequest } from '../../console/create-request.ts';
import {
  CRON_PATTERN,
  ROLE_ARN_PATTERN,
  SECRET_NAME_PATTERN,
  WINDOW_PATTERN,
} from '../../console/create-request.ts';
import type { PartnerInfo } from '../api.ts';
import { documentFrom, type FieldSpec, fieldsFromSchema } from '../schema-form/mapping.ts';
import { fieldErrors } from '../schema-form/validate.ts';

/** Engine metadata key for the grace period: set by the rotation step, not the metadata form. */
export const GRACE_PERIOD_KEY = 'rotor:grace-period';
export const DEFAULT_GRACE_PERIOD_SECONDS = '3600';
const MAX_GRACE_PERIOD_SECONDS = 30 * 24 * 3600;

export const STEP_TITLES = [
  'Choose partner',
  'Secret value',
  'Rotation',
  'Name and details',
  'Review and create',
];

export interface RotationForm {
  roleArn: string;
  automatic: boolean;
  rotateImmediately: boolean;
  scheduleKind: 'days' | 'cron';
  days: string;
  cron: string;
  window: string;
  gracePeriod: string;
}

export interface DetailsForm {
  name: string;
  description: string;
  kmsKeyId: string;
  tags: { key: string; value: string }[];
}

export interface WizardState {
  partner: PartnerInfo | undefined;
  value: Record<string, string>;
  metadata: Record<string, string>;
  rotation: RotationForm;
  details: DetailsForm;
}

export const initialRotation: RotationForm = {
  roleArn: '',
  automatic: true,
  rotateImmediately: true,
  scheduleKind: 'days',
  days: '30',
  cron: 'cron(0 4 ? * SUN *)',
  window: '3h',
  gracePeriod: DEFAULT_GRACE_PERIOD_SECONDS,
};

export const initialDetails: DetailsForm = { name: '', description: '', kmsKeyId: '', tags: [] };

export function secretFieldsOf(partner: PartnerInfo | undefined): FieldSpec[] {
  return partner ? fieldsFromSchema(partner.secretSchema, { sensitiveFields: partner.sensitiveFields }) : [];
}

export function metadataFieldsOf(partner: PartnerInfo | undefined): FieldSpec[] {
  return partner ? fieldsFromSchema(partner.metadataSchema, { omit: [GRACE_PERIOD_KEY] }) : [];
}

export function valueErrors(state: WizardState): Record<string, string> {
  const fields = secretFieldsOf(state.partner);
  if (!state.partner) return {};
  return fieldErrors(state.partner.secretSchema, fields, documentFrom(fields, state.value));
}

export function metadataErrors(state: WizardState): Record<string, string> {
  const fields = metadataFieldsOf(state.partner);
  if (!state.partner) return {};
  return fieldErrors(state.partner.metadataSchema, fields, documentFrom(fields, state.metadata));
}

const wholeNumber = (raw: string, min: number, max: number) =>
  /^[0-9]{1,8}$/.test(raw) && Number(raw) >= min && Number(raw) <= max;

/** The rotation step's own fields (role, schedule, grace period); keys are form field ids. */
export function rotationErrors(rotation: RotationForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (rotation.roleArn && !new RegExp(ROLE_ARN_PATTERN).test(rotation.roleArn)) {
    errors.roleArn =
      'Enter an IAM role ARN: arn:aws:iam::<12-digit account id>:role/<role name>, or leave it empty.';
  }
  if (rotation.automatic && rotation.scheduleKind === 'days' && !wholeNumber(rotation.days, 1, 1000)) {
    errors.days = 'Enter a whole number of days from 1 to 1000.';
  }
  if (rotation.automatic && rotation.scheduleKind === 'cron') {
    if (!new RegExp(CRON_PATTERN).test(rotation.cron) || rotation.cron.length > 256) {
      errors.cron =
        'Enter a schedule expression such as cron(0 4 ? * SUN *): minutes 0, year *, ? in one day field.';
    }
    if (rotation.window && !new RegExp(WINDOW_PATTERN).test(rotation.window)) {
      errors.window = 'Enter the window in hours, such as 3h, or leave it empty.';
    }
  }
  if (!wholeNumber(rotation.gracePeriod, 0, MAX_GRACE_PERIOD_SECONDS)) {
    errors.gracePeriod = `Enter a whole number of seconds from 0 to ${MAX_GRACE_PERIOD_SECONDS} (30 days).`;
  }
  return errors;
}

export function detailsErrors(details: DetailsForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!details.name) errors.name = 'Enter a secret name.';
  else if (details.name.length > 512 || !new RegExp(SECRET_NAME_PATTERN).test(details.name)) {
    errors.name = 'Use 1–512 characters: letters, digits and / _ + = . @ -';
  }
  if (details.description.length > 2048) errors.description = 'Use at most 2048 characters.';
  details.tags.forEach((tag, index) => {
    if (!tag.key || tag.key.length > 128) errors[`tag-${index}`] = 'Enter a tag key of 1–128 characters.';
    else if (tag.key.toLowerCase().startsWith('aws:'))
      errors[`tag-${index}`] = 'Tag keys must not start with aws:.';
    else if (tag.value.length > 256) errors[`tag-${index}`] = 'Use a tag value of at most 256 characters.';
  });
  return errors;
}

/** Errors of one step (index as in {@link STEP_TITLES}); empty when the step is complete. */
export function stepErrors(state: WizardState, step: number): Record<string, string> {
  switch (step) {
    case 0:
      return state.partner ? {} : { partner: 'Choose the partner whose credential this secret holds.' };
    case 1:
      return valueErrors(state);
    case 2:
      return { ...metadataErrors(state), ...rotationErrors(state.rotation) };
    case 3:
      return detailsErrors(state.details);
    default:
      return {};
  }
}

/** The partner metadata with the grace period, as the preflight and `RotateSecret` take it. */
export function metadataOf(state: WizardState): Record<string, string> {
  const fields = metadataFieldsOf(state.partner);
  const metadata = documentFrom(fields, state.metadata) as Record<string, string>;
  return metadata;
}

export function createRequestOf(state: WizardState): CreateSecretRequest {
  const { rotation, details } = state;
  const secretFields = secretFieldsOf(state.partner);
  return {
    type: state.partner?.type ?? '',
    name: details.name,
    ...(details.description ? { description: details.description } : {}),
    ...(details.kmsKeyId ? { kmsKeyId: details.kmsKeyId } : {}),
    ...(details.tags.length ? { tags: details.tags } : {}),
    value: documentFrom(secretFields, state.value),
    metadata: metadataOf(state),
    rotation: {
      automatic: rotation.automatic,
      rotateImmediately: rotation.automatic && rotation.rotateImmediately,
      ...(rotation.roleArn ? { roleArn: rotation.roleArn } : {}),
      schedule:
        rotation.scheduleKind === 'days'
          ? { kind: 'days', days: Number(rotation.days) }
          : {
              kind: 'cron',
              expression: rotation.cron,
              ...(rotation.window ? { window: rotation.window } : {}),
            },
      gracePeriodSeconds: Number(rotation.gracePeriod),
    },
  };
}

/** Which step shows a field the server refused, so the wizard can jump back to it. */
export function stepOfField(state: WizardState, field: string | undefined): number | undefined {
  if (!field) return undefined;
  const name = field.replace(/^(value|metadata|rotation)\./, '');
  if (field === 'name' || field === 'description' || field === 'kmsKeyId' || field.startsWith('tags'))
    return 3;
  if (secretFieldsOf(state.partner).some((f) => f.name === name)) return 1;
  if (metadataFieldsOf(state.partner).some((f) => f.name === name) || field.startsWith('rotation')) return 2;
  return undefined;
}
