import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerClients } from '../../src/aws/roles.ts';
import { RotationEngine } from '../../src/engine/engine.ts';
import {
  ConflictError,
  CredentialRejectedError,
  InvalidConfigurationError,
  RotorError,
} from '../../src/engine/errors.ts';
import type { RotorEvent } from '../../src/engine/events.ts';
import { PartnerCatalog } from '../../src/runtime/catalog.ts';
import type { LogAttributes } from '../../src/runtime/logger.ts';
import { FAKE_TYPE, fakeManifest, fakeRotator } from '../support/fake-partner.ts';

const ACCOUNT = '111111111111';
const ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/key-AbCdEf`;
const TOKEN = '11111111-2222-3333-4444-555555555555';
const CURRENT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const ROTATION_TOKEN = 'rotation-token-0123456789-abcdef-0123456789';
const CURRENT = { apiKey: 'current-key-0001', url: 'https://api.example.com' };

const sm = mockClient(SecretsManagerClient);
const sts = mockClient(STSClient);

function describeOutput(stages: Record<string, string[]>, extra: Record<string, unknown> = {}) {
  return {
    ARN,
    Name: 'app/key',
    RotationEnabled: true,
    Type: FAKE_TYPE,
    VersionIdsToStages: stages,
    ...extra,
  };
}

const ROTATING = { [CURRENT_ID]: ['AWSCURRENT'], [TOKEN]: ['AWSPENDING'] };

function setup(
  options: { logs?: { message: string; attributes?: LogAttributes }[]; events?: RotorEvent[] } = {},
) {
  const rotator = fakeRotator();
  const record = (message: string, attributes?: LogAttributes) => options.logs?.push({ message, attributes });
  const engine = new RotationEngine({
    clients: new SecretsManagerClients({
      secretsManager: new SecretsManagerClient({ region: 'us-east-1' }),
      sts: new STSClient({ region: 'us-east-1' }),
      engineAccountId: ACCOUNT,
    }),
    catalog: new PartnerCatalog([fakeManifest(rotator)]),
    logger: { debug: record, info: record, warn: record, error: record },
    events: { publish: async (event) => void options.events?.push(event) },
  });
  return { engine, rotator };
}

function event(step: string, extra: Record<string, unknown> = {}) {
  return { Step: step, SecretId: ARN, ClientRequestToken: TOKEN, ...extra };
}

function stubValues(pending?: Record<string, unknown>) {
  sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({
    ARN,
    VersionId: CURRENT_ID,
    SecretString: JSON.stringify(CURRENT),
  });
  const pendingStub = sm.on(GetSecretValueCommand, { VersionId: TOKEN, VersionStage: 'AWSPENDING' });
  if (pending) pendingStub.resolves({ ARN, VersionId: TOKEN, SecretString: JSON.stringify(pending) });
  else
    pendingStub.rejects(
      Object.assign(new Error("Secrets Manager can't find the specified secret value"), {
        name: 'ResourceNotFoundException',
        $fault: 'client',
      }),
    );
}

beforeEach(() => {
  sm.reset();
  sts.reset();
});
afterEach(() => {
  sm.reset();
  sts.reset();
});

describe('Class: RotationEngine', () => {
  describe('Method: run (pre-checks)', () => {
    it('fails closed when rotation is disabled, before any hook or write', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING, { RotationEnabled: false }));

      // Act
      const run = engine.run(event('createSecret'));

      // Assess
      await expect(run).rejects.toBeInstanceOf(InvalidConfigurationError);
      expect(rotator.create).not.toHaveBeenCalled();
      expect(sm).not.toHaveReceivedCommand(PutSecretValueCommand);
    });

    it('fails when the token is not a version of the secret', async () => {
      // Prepare
      const { engine } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput({ [CURRENT_ID]: ['AWSCURRENT'] }));

      // Act
      const run = engine.run(event('createSecret'));

      // Assess
      await expect(run).rejects.toThrow(/has no stage for rotation/);
      await expect(run).rejects.toBeInstanceOf(ConflictError);
    });

    it('succeeds without work when the token is already AWSCURRENT', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput({ [TOKEN]: ['AWSCURRENT'] }));

      // Act
      await engine.run(event('finishSecret'));

      // Assess
      expect(rotator.promote).not.toHaveBeenCalled();
      expect(sm).not.toHaveReceivedCommand(GetSecretValueCommand);
      expect(sm).not.toHaveReceivedCommand(UpdateSecretVersionStageCommand);
    });

    it('fails when the token is not AWSPENDING', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(
        describeOutput({ [CURRENT_ID]: ['AWSCURRENT'], [TOKEN]: ['AWSPREVIOUS'] }),
      );

      // Act
      const run = engine.run(event('setSecret'));

      // Assess
      await expect(run).rejects.toThrow(/not set as AWSPENDING/);
      expect(rotator.set).not.toHaveBeenCalled();
    });

    it.each([
      ['an unknown step', { Step: 'rotateEverything' }, /Invalid step parameter/],
      ['a missing token', { ClientRequestToken: undefined }, /ClientRequestToken/],
      ['a malformed RotationToken', { RotationToken: 'bad token!' }, /RotationToken/],
      ['an extra field', { Surprise: 1 }, /Surprise/],
    ])('rejects an event with %s before any AWS call', async (_name, change, message) => {
      // Prepare
      const { engine } = setup();

      // Act
      const run = engine.run({ ...event('createSecret'), ...change });

      // Assess
      await expect(run).rejects.toThrow(message);
      await expect(run).rejects.toBeInstanceOf(InvalidConfigurationError);
      expect(sm.calls()).toHaveLength(0);
    });

    it('rejects an unknown partner type before reading the value', async () => {
      // Prepare
      const { engine } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING, { Type: 'NoSuchPartner' }));

      // Act
      const run = engine.run(event('createSecret'));

      // Assess
      await expect(run).rejects.toThrow(/Unknown partner type "NoSuchPartner"/);
      expect(sm).not.toHaveReceivedCommand(GetSecretValueCommand);
    });

    it('rejects metadata that does not match the partner schema', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(
        describeOutput(ROTATING, { ExternalSecretRotationMetadata: [{ Key: 'region', Value: 'EU-1' }] }),
      );

      // Act
      const run = engine.run(event('createSecret'));

      // Assess
      await expect(run).rejects.toThrow(/field "region"/);
      expect(rotator.create).not.toHaveBeenCalled();
    });

    it('rejects a current value that fails the schema, naming the field and not the value', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      sm.on(GetSecretValueCommand).resolves({
        ARN,
        VersionId: CURRENT_ID,
        SecretString: JSON.stringify({ apiKey: 'short', url: 'https://api.example.com', extra: 'x' }),
      });

      // Act
      const error = await engine.run(event('createSecret')).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(InvalidConfigurationError);
      expect((error as Error).message).toMatch(/field "apiKey"/);
      expect((error as Error).message).toMatch(/field "extra" is not allowed/);
      expect((error as Error).message).not.toContain('short');
      expect(rotator.create).not.toHaveBeenCalled();
    });

    it('rejects a value whose URL leaves the allowed hosts (I8)', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      sm.on(GetSecretValueCommand).resolves({
        ARN,
        VersionId: CURRENT_ID,
        SecretString: JSON.stringify({ ...CURRENT, url: 'http://169.254.169.254/latest' }),
      });

      // Act
      const run = engine.run(event('createSecret'));

      // Assess
      await expect(run).rejects.toThrow(/private, loopback or metadata address/);
      expect(rotator.create).not.toHaveBeenCalled();
    });
  });

  describe('Method: run (createSecret)', () => {
    it('mints, then stores AWSPENDING with the tokens', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues();
      sm.on(PutSecretValueCommand).resolves({ ARN, VersionId: TOKEN });

      // Act
      await engine.run(event('createSecret', { RotationToken: ROTATION_TOKEN }));

      // Assess
      expect(rotator.create).toHaveBeenCalledTimes(1);
      expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 1);
      expect(sm).toHaveReceivedCommandWith(PutSecretValueCommand, {
        SecretId: ARN,
        ClientRequestToken: TOKEN,
        VersionStages: ['AWSPENDING'],
        RotationToken: ROTATION_TOKEN,
        SecretString: JSON.stringify({ ...CURRENT, apiKey: 'minted-key-0001' }),
      });
    });

    it('omits RotationToken when the event has none', async () => {
      // Prepare
      const { engine } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues();
      sm.on(PutSecretValueCommand).resolves({ ARN, VersionId: TOKEN });

      // Act
      await engine.run(event('createSecret'));

      // Assess
      const input = sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input;
      expect(input).toBeDefined();
      expect(input).not.toHaveProperty('RotationToken');
    });

    it('does nothing when AWSPENDING already holds a value for the token (I3)', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues({ ...CURRENT, apiKey: 'minted-key-0001' });

      // Act
      await engine.run(event('createSecret'));

      // Assess
      expect(rotator.create).not.toHaveBeenCalled();
      expect(sm).not.toHaveReceivedCommand(PutSecretValueCommand);
    });

    it('discards the minted credential and rethrows when the write fails (I4)', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues();
      sm.on(PutSecretValueCommand).rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' }),
      );

      // Act
      const error = await engine.run(event('createSecret')).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(RotorError);
      expect((error as RotorError).category).toBe('throttled');
      expect(rotator.discard).toHaveBeenCalledTimes(1);
      expect(rotator.discard.mock.calls[0]?.[0]).toMatchObject({ pending: { apiKey: 'minted-key-0001' } });
    });

    it('keeps the credential when a failed write in fact landed', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues();
      const stored = JSON.stringify({ ...CURRENT, apiKey: 'minted-key-0001' });
      sm.on(PutSecretValueCommand).callsFake(() => {
        sm.on(GetSecretValueCommand, { VersionId: TOKEN, VersionStage: 'AWSPENDING' }).resolves({
          ARN,
          VersionId: TOKEN,
          SecretString: stored,
        });
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      });

      // Act
      await engine.run(event('createSecret'));

      // Assess
      expect(rotator.discard).not.toHaveBeenCalled();
    });

    it('scrubs secret values a hook echoes into its error (I7)', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues();
      rotator.create.mockRejectedValueOnce(
        new CredentialRejectedError(`partner said: key ${CURRENT.apiKey} is wrong`, {
          cause: new Error(`raw body with ${CURRENT.apiKey}`),
        }),
      );

      // Act
      const error = (await engine.run(event('createSecret')).catch((e: unknown) => e)) as Error;

      // Assess
      expect(error).toBeInstanceOf(CredentialRejectedError);
      expect(error.message).not.toContain(CURRENT.apiKey);
      expect((error.cause as Error).message).not.toContain(CURRENT.apiKey);
      expect(error.stack).not.toContain(CURRENT.apiKey);
    });
  });

  describe('Method: run (setSecret, testSecret)', () => {
    it('passes current and pending to set, and pending to test', async () => {
      // Prepare
      const { engine, rotator } = setup();
      const pending = { ...CURRENT, apiKey: 'minted-key-0001' };
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues(pending);

      // Act
      await engine.run(event('setSecret'));
      await engine.run(event('testSecret'));

      // Assess
      expect(rotator.set.mock.calls[0]?.[0]).toEqual({ current: CURRENT, pending });
      expect(rotator.test.mock.calls[0]?.[0]).toEqual({ pending });
      expect(sm).not.toHaveReceivedCommand(PutSecretValueCommand);
    });

    it('fails testSecret with the typed error of the hook', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues({ ...CURRENT, apiKey: 'minted-key-0001' });
      rotator.test.mockRejectedValueOnce(
        new CredentialRejectedError('the pending key does not authenticate'),
      );

      // Act
      const error = await engine.run(event('testSecret')).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(CredentialRejectedError);
      expect((error as RotorError).context).toMatchObject({
        step: 'testSecret',
        partnerType: FAKE_TYPE,
        secretId: ARN,
      });
    });
  });

  describe('Method: run (finishSecret)', () => {
    it('promotes at the source, then moves AWSCURRENT in exactly one call (I2)', async () => {
      // Prepare
      const events: RotorEvent[] = [];
      const { engine, rotator } = setup({ events });
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues({ ...CURRENT, apiKey: 'minted-key-0001' });
      let promotedBeforeMove = false;
      sm.on(UpdateSecretVersionStageCommand).callsFake(() => {
        promotedBeforeMove = rotator.promote.mock.calls.length === 1;
        return { ARN };
      });

      // Act
      await engine.run(event('finishSecret'));

      // Assess
      expect(promotedBeforeMove).toBe(true);
      expect(sm).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 1);
      expect(sm).toHaveReceivedCommandWith(UpdateSecretVersionStageCommand, {
        SecretId: ARN,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: TOKEN,
        RemoveFromVersionId: CURRENT_ID,
      });
      expect(events.map((e) => e.detailType)).toEqual(['Rotation Succeeded']);
    });

    it('does not move AWSCURRENT when promotion fails (I1)', async () => {
      // Prepare
      const events: RotorEvent[] = [];
      const { engine, rotator } = setup({ events });
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues({ ...CURRENT, apiKey: 'minted-key-0001' });
      rotator.promote.mockRejectedValueOnce(new ConflictError('staged set is gone'));

      // Act
      const run = engine.run(event('finishSecret'));

      // Assess
      await expect(run).rejects.toBeInstanceOf(ConflictError);
      expect(sm).not.toHaveReceivedCommand(UpdateSecretVersionStageCommand);
      expect(events[0]).toMatchObject({
        detailType: 'Rotation Failed',
        detail: { category: 'conflict', step: 'finishSecret' },
      });
    });
  });

  describe('Method: run (call pattern)', () => {
    it('makes 8 Secrets Manager calls for a whole rotation in one warm engine: versions are cached by id', async () => {
      // Prepare
      const { engine } = setup();
      let stages: Record<string, string[]> = ROTATING;
      sm.on(DescribeSecretCommand).callsFake(() => describeOutput(stages));
      stubValues();
      sm.on(PutSecretValueCommand).resolves({ ARN, VersionId: TOKEN });
      sm.on(UpdateSecretVersionStageCommand).callsFake(() => {
        stages = { [CURRENT_ID]: ['AWSPREVIOUS'], [TOKEN]: ['AWSCURRENT'] };
        return { ARN };
      });

      // Act
      for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'])
        await engine.run(event(step));

      // Assess: 4 DescribeSecret, GetSecretValue of current and of the pending check, one Put, one Update.
      expect(sm).toHaveReceivedCommandTimes(DescribeSecretCommand, 4);
      expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
      expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 1);
      expect(sm).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 1);
      expect(sm.calls()).toHaveLength(8);
    });
  });

  describe('Method: run (logging)', () => {
    it('logs ids, steps and a token hash, never values or tokens', async () => {
      // Prepare
      const logs: { message: string; attributes?: LogAttributes }[] = [];
      const { engine } = setup({ logs });
      sm.on(DescribeSecretCommand).resolves(describeOutput(ROTATING));
      stubValues();
      sm.on(PutSecretValueCommand).resolves({ ARN, VersionId: TOKEN });

      // Act
      await engine.run(event('createSecret', { RotationToken: ROTATION_TOKEN }));

      // Assess
      const text = JSON.stringify(logs);
      expect(logs.length).toBeGreaterThan(0);
      expect(logs[0]?.attributes).toMatchObject({ secretId: ARN, step: 'createSecret' });
      expect(logs[0]?.attributes?.tokenHash).toMatch(/^[0-9a-f]{12}$/);
      for (const secret of [ROTATION_TOKEN, CURRENT.apiKey, 'minted-key-0001', TOKEN]) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('Method: revokePrevious', () => {
    const PREVIOUS_ID = 'ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee';

    it('keeps the previous credential during the grace period (I5)', async () => {
      // Prepare
      const { engine, rotator } = setup();
      sm.on(DescribeSecretCommand).resolves(
        describeOutput(
          { [CURRENT_ID]: ['AWSCURRENT'], [PREVIOUS_ID]: ['AWSPREVIOUS'] },
          { LastRotatedDate: new Date() },
        ),
      );

      // Act
      const outcome = await engine.revokePrevious(ARN);

      // Assess
      expect(outcome.reason).toBe('grace-period');
      expect(rotator.revoke).not.toHaveBeenCalled();
    });

    it('revokes after the grace period with previous and current values', async () => {
      // Prepare
      const { engine, rotator } = setup();
      const previous = { ...CURRENT, apiKey: 'previous-key-0001' };
      sm.on(DescribeSecretCommand).resolves(
        describeOutput(
          { [CURRENT_ID]: ['AWSCURRENT'], [PREVIOUS_ID]: ['AWSPREVIOUS'] },
          { LastRotatedDate: new Date(Date.now() - 2 * 3600 * 1000) },
        ),
      );
      stubValues();
      sm.on(GetSecretValueCommand, { VersionId: PREVIOUS_ID, VersionStage: 'AWSPREVIOUS' }).resolves({
        ARN,
        VersionId: PREVIOUS_ID,
        SecretString: JSON.stringify(previous),
      });

      // Act
      const outcome = await engine.revokePrevious(ARN);

      // Assess
      expect(outcome).toEqual({ revoked: true, reason: 'revoked' });
      expect(rotator.revoke.mock.calls[0]?.[0]).toEqual({ previous, current: CURRENT });
    });

    it('reports nothing to do without AWSPREVIOUS', async () => {
      // Prepare
      const { engine } = setup();
      sm.on(DescribeSecretCommand).resolves(describeOutput({ [CURRENT_ID]: ['AWSCURRENT'] }));

      // Act
      const outcome = await engine.revokePrevious(ARN);

      // Assess
      expect(outcome.reason).toBe('no-previous');
    });
  });
});

describe('Class: SecretsManagerClients', () => {
  const OTHER_ARN = 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:customer/app-XyZ123';

  function credentials(expiration: Date) {
    return {
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE',
        SecretAccessKey: 'secret',
        SessionToken: 'session',
        Expiration: expiration,
      },
    };
  }

  it('uses the injected client for secrets of its own account', async () => {
    // Prepare
    const base = new SecretsManagerClient({ region: 'us-east-1' });
    const clients = new SecretsManagerClients({
      secretsManager: base,
      sts: new STSClient({}),
      engineAccountId: ACCOUNT,
    });

    // Act
    const client = await clients.forSecret(ARN);

    // Assess
    expect(client).toBe(base);
    expect(sts.calls()).toHaveLength(0);
  });

  it('assumes the customer role with ExternalId and a session name naming the secret, cached until near expiry', async () => {
    // Prepare
    let now = new Date('2026-01-01T00:00:00Z');
    sts.on(AssumeRoleCommand).resolves(credentials(new Date('2026-01-01T01:00:00Z')));
    const clients = new SecretsManagerClients({
      secretsManager: new SecretsManagerClient({ region: 'us-east-1' }),
      sts: new STSClient({ region: 'us-east-1' }),
      engineAccountId: ACCOUNT,
      customerRoleName: 'RotorRotation',
      externalId: 'external-id-42',
      now: () => now,
    });

    // Act
    const first = await clients.forSecret(OTHER_ARN);
    now = new Date('2026-01-01T00:30:00Z');
    const second = await clients.forSecret(OTHER_ARN);
    now = new Date('2026-01-01T00:57:00Z');
    const third = await clients.forSecret(OTHER_ARN);

    // Assess
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::222222222222:role/RotorRotation',
      ExternalId: 'external-id-42',
      RoleSessionName: 'rotor-customer-app-XyZ123',
    });
    expect(second).toBe(first);
    expect(third).not.toBe(first);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    expect(await first.config.region()).toBe('eu-west-1');
  });

  it('looks up its own account once when not configured', async () => {
    // Prepare
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    const base = new SecretsManagerClient({ region: 'us-east-1' });
    const clients = new SecretsManagerClients({
      secretsManager: base,
      sts: new STSClient({ region: 'us-east-1' }),
    });

    // Act
    await clients.forSecret(ARN);
    const again = await clients.forSecret(ARN);

    // Assess
    expect(again).toBe(base);
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });

  it('refuses a cross-account secret when no role is configured', async () => {
    // Prepare
    const clients = new SecretsManagerClients({
      secretsManager: new SecretsManagerClient({ region: 'us-east-1' }),
      sts: new STSClient({}),
      engineAccountId: ACCOUNT,
    });

    // Act
    const run = clients.forSecret(OTHER_ARN);

    // Assess
    await expect(run).rejects.toThrow(/ROTOR_CUSTOMER_ROLE_NAME/);
  });

  it('maps a denied AssumeRole (wrong ExternalId) to permission-denied', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
        name: 'AccessDenied',
        $fault: 'client',
      }),
    );
    const clients = new SecretsManagerClients({
      secretsManager: new SecretsManagerClient({ region: 'us-east-1' }),
      sts: new STSClient({ region: 'us-east-1' }),
      engineAccountId: ACCOUNT,
      customerRoleName: 'RotorRotation',
      externalId: 'wrong',
    });

    // Act
    const error = await clients.forSecret(OTHER_ARN).catch((e: unknown) => e);

    // Assess
    expect((error as RotorError).category).toBe('permission-denied');
  });
});
