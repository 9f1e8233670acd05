/** The wire protocol of the local Secrets Manager endpoint: AWS JSON 1.1 over HTTP on loopback. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsManagerService, startSecretsManagerServer } from '../../src/local/secrets-manager/index.ts';
import { guard, type Harness, START, startHarness, uniqueName } from './local-secrets-manager-harness.ts';

const run = promisify(execFile);

/** Debian's CLI v2 (installed by pretest), plus whatever other `aws` is first on PATH (v1 on these machines). */
const AWS_CLIS = [
  ...new Set(
    [
      '/usr/bin/aws',
      ...(process.env.PATH ?? '')
        .split(':')
        .map((dir) => `${dir}/aws`)
        .filter((file) => existsSync(file)),
    ].slice(0, 2),
  ),
];

/** A raw AWS JSON 1.1 call, to see the wire shapes the SDK hides. */
async function rawCall(url: string, target: string | undefined, body: string, authorization?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      ...(target === undefined ? {} : { 'X-Amz-Target': target }),
      ...(authorization === undefined ? {} : { Authorization: authorization }),
    },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

describe('Class: SecretsManagerService', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  describe('Wire protocol', () => {
    it('answers 200 with JSON, a request id and epoch-second timestamps', async () => {
      // Prepare
      const name = uniqueName('wire');
      await harness.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));

      // Act
      const result = await rawCall(
        harness.server.url,
        'secretsmanager.DescribeSecret',
        JSON.stringify({ SecretId: name }),
      );

      // Assess
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(result.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.json.CreatedDate).toBe(START.getTime() / 1000);
      expect(result.json).not.toHaveProperty('Description');
    });

    it('answers an unknown operation with 400 UnknownOperationException', async () => {
      // Act
      const result = await rawCall(harness.server.url, 'secretsmanager.FlyToTheMoon', '{}');

      // Assess
      expect(result.status).toBe(400);
      expect(result.json.__type).toBe('UnknownOperationException');
      expect(result.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    });

    it('answers a request without X-Amz-Target with UnknownOperationException', async () => {
      // Act
      const result = await rawCall(harness.server.url, undefined, '{}');

      // Assess
      expect(result.status).toBe(400);
      expect(result.json.__type).toBe('UnknownOperationException');
    });

    it('answers a malformed JSON body with 400 SerializationException', async () => {
      // Act
      const result = await rawCall(harness.server.url, 'secretsmanager.ListSecrets', '{"MaxResults": ');

      // Assess
      expect(result.status).toBe(400);
      expect(result.json).toEqual({
        __type: 'SerializationException',
        message: 'The request body is not valid JSON.',
      });
    });

    it('answers a body that is not a JSON object with SerializationException', async () => {
      // Act
      const result = await rawCall(harness.server.url, 'secretsmanager.ListSecrets', '[1, 2]');

      // Assess
      expect(result.json.__type).toBe('SerializationException');
    });

    it('answers a member of the wrong JSON type with SerializationException naming the member', async () => {
      // Act
      const result = await rawCall(harness.server.url, 'secretsmanager.DescribeSecret', '{"SecretId": 7}');

      // Assess
      expect(result.json.__type).toBe('SerializationException');
      expect(result.json.message).toContain('SecretId');
    });

    it('answers a broken shape constraint with ValidationException naming the member', async () => {
      // Act
      const result = await rawCall(harness.server.url, 'secretsmanager.ListSecrets', '{"MaxResults": 101}');

      // Assess
      expect(result.json).toEqual({
        __type: 'ValidationException',
        message:
          "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
      });
    });

    it('answers a body over 2 MiB with SerializationException', async () => {
      // Act
      const result = await rawCall(
        harness.server.url,
        'secretsmanager.CreateSecret',
        JSON.stringify({ Name: 'huge', SecretString: 'x'.repeat(3 * 1024 * 1024) }),
      );

      // Assess
      expect(result.status).toBe(400);
      expect(result.json).toEqual({
        __type: 'SerializationException',
        message: 'The request body is too large.',
      });
    });

    it('treats an empty body as an empty input', async () => {
      // Act
      const result = await rawCall(harness.server.url, 'secretsmanager.ListSecrets', '');

      // Assess
      expect(result.status).toBe(200);
      expect(result.json.SecretList).toBeInstanceOf(Array);
    });

    it('reads the Region from the SigV4 credential scope', async () => {
      // Prepare
      const name = uniqueName('scoped');
      const authorization =
        'AWS4-HMAC-SHA256 Credential=AKID/20260301/ap-southeast-2/secretsmanager/aws4_request, SignedHeaders=host, Signature=00';

      // Act
      const result = await rawCall(
        harness.server.url,
        'secretsmanager.CreateSecret',
        JSON.stringify({ Name: name, SecretString: 'x' }),
        authorization,
      );

      // Assess
      expect(result.json.ARN).toMatch(
        new RegExp(`^arn:aws:secretsmanager:ap-southeast-2:000000000000:secret:${name}-[A-Za-z0-9]{6}$`),
      );
    });

    it('keeps each Region’s secrets apart', async () => {
      // Prepare
      const name = uniqueName('regional');
      const eu = harness.clientFor('eu-west-1');
      await eu.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));

      // Act
      const inEu = await eu.send(new DescribeSecretCommand({ SecretId: name }));
      const inUs = guard(harness.client.send(new DescribeSecretCommand({ SecretId: name })));

      // Assess
      expect(inEu.ARN).toContain(':eu-west-1:');
      expect(inEu.PrimaryRegion).toBe('eu-west-1');
      await expect(inUs).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });
  });

  describe('Server faults', () => {
    it('answers an unexpected failure with 500 InternalServiceError and no detail', async () => {
      // Prepare
      const service = new SecretsManagerService({
        now: () => {
          throw new Error('detail that must stay on the server');
        },
      });
      const server = await startSecretsManagerServer({ service });

      try {
        // Act
        const result = await rawCall(server.url, 'secretsmanager.ListSecrets', '{}');

        // Assess
        expect(result.status).toBe(500);
        expect(result.json).toEqual({
          __type: 'InternalServiceError',
          message: 'An internal error occurred.',
        });
      } finally {
        await server.close();
      }
    });

    it('closes while an SDK client still holds a keep-alive connection, and close() is idempotent', async () => {
      // Prepare
      const extra = await startHarness();
      await extra.client.send(new ListSecretsCommand({}));

      // Act
      await extra.server.close();
      await extra.server.close();

      // Assess
      await expect(fetch(extra.server.url, { method: 'POST' })).rejects.toThrow();
      extra.client.destroy();
    });
  });

  describe('Compatibility: aws CLI', () => {
    it.each(AWS_CLIS)('creates and reads a secret through `%s --endpoint-url`', async (aws) => {
      // Prepare
      const name = uniqueName('cli');
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'eu-central-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const cli = (...args: string[]) =>
        run(aws, ['--endpoint-url', harness.server.url, '--output', 'json', 'secretsmanager', ...args], {
          env,
        });

      // Act
      await cli('create-secret', '--name', name, '--secret-string', 'from-cli');
      const { stdout } = await cli('get-secret-value', '--secret-id', name);
      const sdkView = await harness
        .clientFor('eu-central-1')
        .send(new GetSecretValueCommand({ SecretId: name }));

      // Assess
      const parsed = JSON.parse(stdout) as { SecretString: string; VersionStages: string[]; ARN: string };
      expect(parsed.SecretString).toBe('from-cli');
      expect(parsed.VersionStages).toEqual(['AWSCURRENT']);
      expect(parsed.ARN).toContain(':eu-central-1:');
      expect(sdkView.SecretString).toBe('from-cli');
    });
  });
});
