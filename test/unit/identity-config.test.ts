import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_ACCESS_KEY,
  IDENTITY_FILE,
  IdentityConfigError,
  loadIdentityConfig,
  ROTATION_ROLE_NAME,
} from '../../src/local/identity/index.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rotor-identity-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('Function: loadIdentityConfig', () => {
  it('writes the demo account, its rotation role and the Rotor service account on first start (mode 0600)', () => {
    // Act
    const config = loadIdentityConfig(dir, ['SalesforceClientSecret']);
    const again = loadIdentityConfig(dir, ['SalesforceClientSecret']);

    // Assess
    expect(statSync(join(dir, IDENTITY_FILE)).mode & 0o777).toBe(0o600);
    expect(again).toEqual(config);
    const [demo, rotor] = config.accounts;
    expect(demo?.users[0]?.accessKeys).toEqual([DEMO_ACCESS_KEY]);
    expect(demo?.roles.map((role) => role.roleName)).toEqual([ROTATION_ROLE_NAME]);
    expect(JSON.stringify(demo?.roles[0]?.trustPolicy)).toContain(config.rotor.externalId);
    expect(rotor?.accountId).toBe(config.rotor.accountId);
    expect(rotor?.users[0]?.accessKeys[0]?.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  });

  it('refuses an invalid file with a typed error that names the field', () => {
    // Prepare
    const config = loadIdentityConfig(dir, ['SalesforceClientSecret']);
    (config.accounts[0] as { accountId: string }).accountId = 'not-an-account';
    writeFileSync(join(dir, IDENTITY_FILE), JSON.stringify(config));

    // Act
    const error = (() => {
      try {
        loadIdentityConfig(dir, []);
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();

    // Assess
    expect(error).toBeInstanceOf(IdentityConfigError);
    expect(error?.message).toContain('accounts.0.accountId');
    expect(readFileSync(join(dir, IDENTITY_FILE), 'utf8')).toContain('not-an-account');
  });

  it('refuses an access key that appears twice', () => {
    // Prepare
    const config = loadIdentityConfig(dir, []);
    config.accounts[1]!.users[0]!.accessKeys.push({ ...DEMO_ACCESS_KEY });
    writeFileSync(join(dir, IDENTITY_FILE), JSON.stringify(config));

    // Act / Assess
    expect(() => loadIdentityConfig(dir, [])).toThrow(/access key ROTORLOCALACCESSKEY appears twice/);
  });
});
