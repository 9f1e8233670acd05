/**
 * The steps of one rotation attempt, live: createSecret → setSecret → testSecret → finishSecret.
 * A test rotation (`trigger: test`) stops before finishSecret, so that step is not shown for it.
 */
import { Box, SpaceBetween, StatusIndicator } from '@cloudscape-design/components';
import type { SecretDetails } from '../api.ts';
import { statusOf } from '../format.ts';

type Attempt = NonNullable<SecretDetails['attempts']>[number];

const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** Whether the attempt is a test rotation (`RotateImmediately=false`), which never finishes a version. */
export const isTestRotation = (attempt: Attempt) => attempt.trigger === 'test';

export function RotationProgress({ attempt }: { attempt: Attempt }) {
  return (
    <SpaceBetween size="s">
      <ol
        aria-label="Rotation steps"
        style={{ listStyle: 'none', padding: 0, margin: 0, display: 'flex', gap: 24 }}
      >
        {STEPS.filter((name) => !(isTestRotation(attempt) && name === 'finishSecret')).map((name) => {
          const step = attempt.steps.find((s) => s.step === name);
          return (
            <li key={name} data-step={name} data-status={step?.status ?? 'pending'}>
              <StatusIndicator type={step ? statusOf(step.status) : 'pending'}>
                {name}
                {step ? `: ${step.status}` : ': waiting'}
              </StatusIndicator>
            </li>
          );
        })}
      </ol>
      {attempt.failure ? (
        <Box color="text-status-error">
          Failed at {attempt.failure.step} [{attempt.failure.category}] {attempt.failure.name}:{' '}
          {attempt.failure.message}
        </Box>
      ) : null}
    </SpaceBetween>
  );
}
