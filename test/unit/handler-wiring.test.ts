import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { WRITE_BUDGET_MIDDLEWARE } from '../../src/aws/write-budget.ts';
import { createRotationHandler } from '../../src/handlers/rotation.ts';
import { silentLogger } from '../../src/runtime/logger.ts';

/** A client no call ever leaves: every event below is refused before any request. */
function idleClient(): SecretsManagerClient {
  return new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  });
}

describe('Function: createRotationHandler (write budget)', () => {
  it('paces the Secrets Manager client when ROTOR_SM_WRITES_PER_SECOND is set, and only then', async () => {
    // Prepare
    const paced = idleClient();
    const unpaced = idleClient();
    const invalidEvent = { Step: 'bogus' };

    // Act: the first invocation wires the handler, then refuses the event.
    await createRotationHandler({
      secretsManager: paced,
      env: { ROTOR_SM_WRITES_PER_SECOND: '5' },
      logger: silentLogger,
    })(invalidEvent).catch(() => {});
    await createRotationHandler({ secretsManager: unpaced, env: {}, logger: silentLogger })(
      invalidEvent,
    ).catch(() => {});

    // Assess
    expect(paced.middlewareStack.identify().join('\n')).toContain(WRITE_BUDGET_MIDDLEWARE.name);
    expect(unpaced.middlewareStack.identify().join('\n')).not.toContain(WRITE_BUDGET_MIDDLEWARE.name);
  });
});
