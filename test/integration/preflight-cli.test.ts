/** `rotor preflight` as a user runs it, against the local stack: every check reported, nothing changed. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateSecretCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../src/local/stack.ts';

const run = promisify(execFile);

async function preflight(secret: string): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['bin/rotor.mjs', 'preflight', secret, '--endpoint', stack.endpoint],
      { env: { ...process.env, AWS_ACCESS_KEY_ID: '' } },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

let stack: LocalStack;
let sm: SecretsManagerClient;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, simulatorPort: 0 });
  sm = new SecretsManagerClient({
    endpoint: stack.endpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
}, 60_000);
afterAll(async () => {
  await stack.close();
});

async function versions(name: string) {
  const output = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
  return (output.Versions ?? []).map((v) => `${v.VersionId}:${(v.VersionStages ?? []).join(',')}`).sort();
}

describe('Command: rotor preflight', () => {
  it('passes every check of each demo secret and changes nothing', async () => {
    for (const name of stack.demoSecrets) {
      // Prepare
      const before = await versions(name);

      // Act
      const result = await preflight(name);

      // Assess
      expect(result.code, result.stderr).toBe(0);
      for (const check of ['partner', 'schema', 'metadata', 'egress']) {
        expect(result.stdout).toMatch(new RegExp(`^PASS ${check}\\b`, 'm'));
      }
      expect(result.stdout).not.toMatch(/^FAIL/m);
      expect(result.stdout).toContain(`Preflight of ${name} passed`);
      expect(await versions(name)).toEqual(before);
    }
  });

  it('fails with the field and the fix when the stored value breaks the partner format', async () => {
    // Prepare
    const name = 'preflight/broken-salesforce';
    await sm.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: JSON.stringify({ consumerKey: 'only-a-key' }),
        Type: 'SalesforceClientSecret',
      }),
    );
    const before = await versions(name);

    // Act
    const result = await preflight(name);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL schema .*field "consumerSecret" is required/m);
    expect(result.stderr).toContain('fix the checks marked FAIL');
    expect(result.stdout).not.toContain('only-a-key');
    expect(await versions(name)).toEqual(before);
  });
});
