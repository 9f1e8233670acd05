/**
 * "Store a new secret": the Cloudscape Wizard. Each step is checked with the partner's own JSON
 * Schema before Next; Create sends everything to the console API, which validates again, creates
 * the secret and turns rotation on (rotating immediately by default).
 */
import { Alert, Container, Header, Wizard } from '@cloudscape-design/components';
import { useEffect, useState } from 'react';
import { ApiError, api, type ConsoleConfig, type PartnerInfo } from '../api.ts';
import { navigate, setFlash } from '../router.ts';
import { initialValues } from '../schema-form/mapping.ts';
import { SchemaForm } from '../schema-form/schema-form.tsx';
import { DetailsStep } from './details-step.tsx';
import { PartnerStep } from './partner-step.tsx';
import { ReviewStep } from './review-step.tsx';
import { RotationStep } from './rotation-step.tsx';
import {
  createRequestOf,
  detailsErrors,
  initialDetails,
  initialRotation,
  metadataFieldsOf,
  STEP_TITLES,
  secretFieldsOf,
  stepErrors,
  stepOfField,
  valueErrors,
  type WizardState,
} from './wizard-state.ts';

export function CreateSecretWizard({
  config,
  onCancel,
}: {
  config: ConsoleConfig | undefined;
  onCancel(): void;
}) {
  const [partners, setPartners] = useState<PartnerInfo[]>([]);
  const [loadError, setLoadError] = useState<string | undefined>();
  const [activeStep, setActiveStep] = useState(0);
  const [showErrors, setShowErrors] = useState<boolean[]>([false, false, false, false, false]);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | undefined>();
  const [state, setState] = useState<WizardState>({
    partner: undefined,
    value: {},
    metadata: {},
    rotation: initialRotation,
    details: initialDetails,
  });
  useEffect(() => {
    api.partners().then(setPartners, (e: Error) => setLoadError(e.message));
  }, []);

  const choosePartner = (partner: PartnerInfo) =>
    setState((s) =>
      s.partner?.type === partner.type
        ? s
        : {
            ...s,
            partner,
            value: initialValues(secretFieldsOf(partner)),
            metadata: initialValues(metadataFieldsOf(partner)),
          },
    );
  const reveal = (step: number) => setShowErrors((shown) => shown.map((v, i) => (i === step ? true : v)));
  const stepIsValid = (step: number) => Object.keys(stepErrors(state, step)).length === 0;

  const submit = () => {
    for (const step of [0, 1, 2, 3]) {
      if (!stepIsValid(step)) {
        reveal(step);
        setActiveStep(step);
        return;
      }
    }
    setSubmitting(true);
    setSubmitError(undefined);
    api
      .create(createRequestOf(state))
      .then((created) => {
        setFlash(
          created.versionId && state.rotation.rotateImmediately
            ? `Secret ${created.name} stored. Its first rotation is running: the credential you entered is being replaced.`
            : `Secret ${created.name} stored.`,
        );
        navigate({ page: 'details', secretId: created.name });
      })
      .catch((error: Error) => {
        setSubmitError(error.message);
        const step = error instanceof ApiError ? stepOfField(state, error.field) : undefined;
        if (step !== undefined) setActiveStep(step);
      })
      .finally(() => setSubmitting(false));
  };

  const stepError = (step: number) => {
    if (submitError && step === activeStep) return submitError;
    if (!showErrors[step] || stepIsValid(step)) return undefined;
    return 'Some fields need attention: fix the fields marked in red, then continue.';
  };

  return (
    <Wizard
      activeStepIndex={activeStep}
      isLoadingNextStep={submitting}
      onCancel={onCancel}
      onSubmit={submit}
      onNavigate={({ detail }) => {
        if (detail.requestedStepIndex > activeStep) {
          for (let step = activeStep; step < detail.requestedStepIndex; step++) {
            if (!stepIsValid(step)) {
              reveal(step);
              setActiveStep(step);
              return;
            }
          }
        }
        setSubmitError(undefined);
        setActiveStep(detail.requestedStepIndex);
      }}
      allowSkipTo={false}
      submitButtonText="Store secret"
      i18nStrings={{
        stepNumberLabel: (n) => `Step ${n}`,
        collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
        skipToButtonLabel: (step) => `Skip to ${step.title}`,
        navigationAriaLabel: 'Steps',
        cancelButton: 'Cancel',
        previousButton: 'Previous',
        nextButton: 'Next',
        optional: 'optional',
      }}
      steps={[
        {
          title: STEP_TITLES[0] as string,
          description: 'The partner whose credential this secret holds. Rotor rotates it at the source.',
          errorText: stepError(0),
          content: loadError ? (
            <Alert type="error" header="Could not load the partner catalog">
              {loadError}
            </Alert>
          ) : (
            <PartnerStep
              partners={partners}
              selected={state.partner}
              error={showErrors[0] ? stepErrors(state, 0).partner : undefined}
              onSelect={choosePartner}
            />
          ),
        },
        {
          title: STEP_TITLES[1] as string,
          description: state.partner
            ? `The ${state.partner.title} credential, in the ${state.partner.type} format.`
            : undefined,
          errorText: stepError(1),
          content: (
            <Container
              header={
                <Header description="Secret fields are masked; use Show to check what you typed.">
                  Secret value
                </Header>
              }
            >
              <SchemaForm
                fields={secretFieldsOf(state.partner)}
                values={state.value}
                errors={valueErrors(state)}
                showAllErrors={showErrors[1] === true}
                onChange={(name, value) => setState((s) => ({ ...s, value: { ...s.value, [name]: value } }))}
              />
            </Container>
          ),
        },
        {
          title: STEP_TITLES[2] as string,
          description:
            'Rotation is on by default, and the first rotation runs as soon as the secret is stored.',
          errorText: stepError(2),
          content: (
            <RotationStep
              state={state}
              config={config}
              showErrors={showErrors[2] === true}
              onMetadata={(name, value) =>
                setState((s) => ({ ...s, metadata: { ...s.metadata, [name]: value } }))
              }
              onRotation={(change) => setState((s) => ({ ...s, rotation: { ...s.rotation, ...change } }))}
            />
          ),
        },
        {
          title: STEP_TITLES[3] as string,
          errorText: stepError(3),
          content: (
            <DetailsStep
              details={state.details}
              errors={detailsErrors(state.details)}
              showErrors={showErrors[3] === true}
              onChange={(change) => setState((s) => ({ ...s, details: { ...s.details, ...change } }))}
            />
          ),
        },
        {
          title: STEP_TITLES[4] as string,
          errorText: stepError(4),
          content: <ReviewStep state={state} onEdit={setActiveStep} />,
        },
      ]}
    />
  );
}
