/**
 * Identity and isolation on the local stack, through the real SDK v3 clients: SigV4 verification,
 * STS AssumeRole with trust and ExternalId, role permissions on every Secrets Manager call,
 * account isolation, session expiry, and the stack's own rotation through the assumed role.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  RotateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { FinalizeRequestMiddleware, MetadataBearer } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/local/identity/index.ts';
import { defaultIdentityConfig, type IdentityConfig } from '../../src/local/identity/index.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const OTHER_ACCOUNT = '222222222222';
const OTHER_KEY = { accessKeyId: 'AKIAOTHERCUSTOMER0001', secretAccessKey: 'other-customer-secret-key-0001' };
const DEMO = 'demo/SalesforceClientSecret';

/** The default config plus a second customer account with an all-powerful user. */
function twoCustomerConfig(): IdentityConfig {
  const config = defaultIdentityConfig(['SalesforceClientSecret']);
  config.accounts.push({
    accountId: OTHER_ACCOUNT,
    alias: 'other-customer',
    users: [
      {
        userName: 'other',
        accessKeys: [OTHER_KEY],
        policies: [{ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }],
      },
    ],
    roles: [],
  });
  return config;
}

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ identity: twoCustomerConfig() });
});
afterAll(async () => {
  await t.close();
});

async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  const error = (await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  expect(error, 'the call should have failed').toBeDefined();
  return { name: error!.name, message: error!.message, status: error!.$metadata?.httpStatusCode };
}

describe('Function: verifySignature (through the endpoint)', () => {
  it('accepts a request signed with a key the stack issued', async () => {
    // Act
    const identity = await t.sts().send(new GetCallerIdentityCommand({}));

    // Assess
    expect(identity).toMatchObject({
      Account: t.stack.accountId,
      Arn: `arn:aws:iam::${t.stack.accountId}:user/demo`,
    });
  });

  it('refuses an unknown access key with UnrecognizedClientException (STS: InvalidClientTokenId)', async () => {
    // Prepare
    const stranger = { accessKeyId: 'AKIANOBODYKNOWSTHIS1', secretAccessKey: 'whatever-whatever-whatever' };

    // Act
    const sm = await failure(t.sm(stranger).send(new ListSecretsCommand({})));
    const sts = await failure(t.sts(stranger).send(new GetCallerIdentityCommand({})));

    // Assess
    expect(sm).toMatchObject({ name: 'UnrecognizedClientException', status: 400 });
    expect(sts).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  });

  it('refuses a signature made with the wrong secret key', async () => {
    // Prepare
    const wrong = {
      accessKeyId: t.stack.credentials.accessKeyId,
      secretAccessKey: 'not-the-right-secret-key',
    };

    // Act
    const error = await failure(t.sm(wrong).send(new ListSecretsCommand({})));

    // Assess
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toContain('does not match the signature you provided');
  });

  it('refuses a body changed after signing', async () => {
    // Prepare: a middleware that changes one byte of the body once the request is signed
    const client = t.sm();
    const tamper: FinalizeRequestMiddleware<object, MetadataBearer> = (next) => async (args) => {
      const request = args.request as { body?: unknown };
      const bytes = new Uint8Array(request.body as Uint8Array);
      const text = new TextDecoder().decode(bytes);
      request.body = new TextEncoder().encode(text.replace('demo/', 'dem0/'));
      return next(args);
    };
    client.middlewareStack.addRelativeTo(tamper, {
      relation: 'after',
      toMiddleware: 'httpSigningMiddleware',
      name: 'tamper',
    });

    // Act
    const error = await failure(client.send(new DescribeSecretCommand({ SecretId: DEMO })));

    // Assess
    expect(error.name).toBe('InvalidSignatureException');
  });

  it('refuses an unsigned request with MissingAuthenticationTokenException', async () => {
    // Act
    const response = await fetch(t.stack.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.ListSecrets' },
      body: '{}',
    });

    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });
});

describe('Class: StsService', () => {
  it('issues temporary credentials for the rotation role to the Rotor service with the right ExternalId', async () => {
    // Act
    const credentials = await t.assumeRotationRole();
    const identity = await t.sts(credentials).send(new GetCallerIdentityCommand({}));

    // Assess
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.sessionToken?.length).toBeGreaterThan(20);
    expect(identity.Arn).toBe(
      `arn:aws:sts::${t.stack.accountId}:assumed-role/RotorRotationRole/test-session`,
    );
    expect(identity.Account).toBe(t.stack.accountId);
  });

  it('denies AssumeRole with a wrong or missing ExternalId', async () => {
    // Act
    const wrong = await failure(t.assumeRotationRole('not-the-external-id'));
    const missing = await failure(t.assumeRotationRole(null));

    // Assess
    const expected = `User: arn:aws:iam::${t.stack.identity.rotor.accountId}:user/rotor-rotation is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${t.stack.accountId}:role/RotorRotationRole`;
    expect(wrong).toMatchObject({ name: 'AccessDenied', status: 403, message: expected });
    expect(missing).toMatchObject({ name: 'AccessDenied', status: 403, message: expected });
  });

  it('denies AssumeRole to a principal the trust policy does not name', async () => {
    // Act
    const error = await failure(
      t.sts().send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${t.stack.accountId}:role/RotorRotationRole`,
          RoleSessionName: 'intruder',
          ExternalId: t.stack.identity.rotor.externalId,
        }),
      ),
    );

    // Assess
    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(error.message).toContain('user/demo is not authorized to perform: sts:AssumeRole');
  });

  it('refuses temporary credentials once they expire (ExpiredTokenException)', async () => {
    // Prepare
    const credentials = await t.assumeRotationRole();

    // Act
    t.clock.advance(2 * 3600 * 1000);
    const error = await failure(t.sm(credentials).send(new ListSecretsCommand({})));
    t.clock.advance(-2 * 3600 * 1000);

    // Assess
    expect(error.name).toBe('ExpiredTokenException');
  });
});

describe('Class: IdentityDirectory (role permissions on Secrets Manager)', () => {
  it('lets the rotation role read a secret of a partner Type and nothing else', async () => {
    // Prepare
    const role = await t.assumeRotationRole();
    const plain = await t.sm().send(new CreateSecretCommand({ Name: 'untyped/app', SecretString: 'x' }));

    // Act
    const typed = await t.sm(role).send(new DescribeSecretCommand({ SecretId: DEMO }));
    const untyped = await failure(t.sm(role).send(new GetSecretValueCommand({ SecretId: plain.ARN })));
    const deletion = await failure(t.sm(role).send(new DeleteSecretCommand({ SecretId: DEMO })));

    // Assess
    expect(typed.Name).toBe(DEMO);
    expect(untyped).toMatchObject({ name: 'AccessDeniedException', status: 400 });
    expect(untyped.message).toBe(
      `User: arn:aws:sts::${t.stack.accountId}:assumed-role/RotorRotationRole/test-session is not authorized to perform: secretsmanager:GetSecretValue on resource: ${plain.ARN} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    );
    expect(deletion.name).toBe('AccessDeniedException');
    expect(deletion.message).toContain('secretsmanager:DeleteSecret');
  });
});

describe('Class: SecretsManagerService (account isolation)', () => {
  it("shows a caller only its own account's secrets and denies another account's ARN", async () => {
    // Prepare
    const demo = await t.sm().send(new DescribeSecretCommand({ SecretId: DEMO }));
    const other = t.sm(OTHER_KEY);
    await other.send(new CreateSecretCommand({ Name: 'other/only', SecretString: 'mine' }));

    // Act
    const listed = await other.send(new ListSecretsCommand({}));
    const byName = await failure(other.send(new GetSecretValueCommand({ SecretId: DEMO })));
    const byArn = await failure(other.send(new GetSecretValueCommand({ SecretId: demo.ARN })));
    const demoList = await t.sm().send(new ListSecretsCommand({}));

    // Assess
    expect(listed.SecretList?.map((s) => s.Name)).toEqual(['other/only']);
    expect(listed.SecretList?.[0]?.ARN).toContain(`:${OTHER_ACCOUNT}:secret:other/only-`);
    expect(byName.name).toBe('ResourceNotFoundException');
    expect(byArn).toMatchObject({ name: 'AccessDeniedException' });
    expect(byArn.message).toBe(
      `User: arn:aws:iam::${OTHER_ACCOUNT}:user/other is not authorized to perform: secretsmanager:GetSecretValue on resource: ${demo.ARN} because no resource-based policy allows the secretsmanager:GetSecretValue action`,
    );
    expect(demoList.SecretList?.map((s) => s.Name)).not.toContain('other/only');
  });
});

describe('Function: startLocalStack (rotation through the assumed role)', () => {
  it('rotates the demo secret as the Rotor service account, through RotorRotationRole', async () => {
    // Prepare
    const sessions = t.stack.storage.collection<SessionRecord>('identity.sessions', { encrypted: true });
    const before = sessions.all().length;

    // Act
    const { VersionId } = await t.sm().send(
      new RotateSecretCommand({
        SecretId: DEMO,
        ExternalSecretRotationMetadata: [{ Key: 'apiVersion', Value: 'v65.0' }],
      }),
    );
    await t.stack.runner.idle();

    // Assess
    const [attempt] = t.stack.runner.attempts(DEMO);
    expect(attempt).toMatchObject({ result: 'succeeded', versionId: VersionId });
    const described = await t.sm().send(new DescribeSecretCommand({ SecretId: DEMO }));
    expect(described.VersionIdsToStages?.[VersionId!]).toEqual(['AWSCURRENT']);
    const newSessions = sessions
      .all()
      .slice(before)
      .map((record) => record.value);
    expect(
      newSessions.some((s) => s.roleName === 'RotorRotationRole' && s.sessionName.startsWith('rotor-')),
    ).toBe(true);
  });
});

describe('Function: startLocalStack (assumed credentials on the stack clock)', () => {
  it('re-assumes the rotation role once its session has expired on the stack clock', async () => {
    // Prepare: past any earlier rotation's grace period, a rotation caches a session; two hours later it has expired
    const rotate = async () => {
      const { VersionId } = await t.sm().send(new RotateSecretCommand({ SecretId: DEMO }));
      await t.stack.runner.idle();
      return t.stack.runner.attempts(DEMO).find((attempt) => attempt.versionId === VersionId);
    };
    t.clock.advance(2 * 3600 * 1000);
    const firstAttempt = await rotate();
    expect(firstAttempt?.failure ?? firstAttempt?.result).toBe('succeeded');
    t.clock.advance(2 * 3600 * 1000);

    // Act
    const attempt = await rotate();

    // Assess
    expect(attempt).toMatchObject({ result: 'succeeded' });
  });
});
