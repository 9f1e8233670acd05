/** `rotor preflight` as a user runs it, against the local stack: every check reported, nothing changed. */
import { CreateSecretCommand, ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { localStackForSuite, runRotor } from '../support/cli-suite.ts';

const suite = localStackForSuite();

function preflight(secret: string) {
  return runRotor('preflight', secret, '--endpoint', suite.stack().endpoint);
}

async function versions(name: string) {
  const output = await suite
    .sm()
    .send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
  return (output.Versions ?? []).map((v) => `${v.VersionId}:${(v.VersionStages ?? []).join(',')}`).sort();
}

describe('Command: rotor preflight', () => {
  it('passes every check of each demo secret and changes nothing', async () => {
    for (const name of suite.stack().demoSecrets) {
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
    await suite.sm().send(
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
