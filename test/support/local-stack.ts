/**
 * The whole local stack in the test process (port 0, optionally a temp data directory), with SDK
 * clients for any of its identities and a settable clock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { IDENTITY_FILE, type IdentityConfig } from '../../src/local/identity/index.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../src/local/stack.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface TestStack {
  stack: LocalStack;
  /** The demo customer user's Secrets Manager client in `region` (default the stack's). */
  sm(credentials?: Credentials, region?: string): SecretsManagerClient;
  sts(credentials?: Credentials): STSClient;
  events(credentials?: Credentials): EventBridgeClient;
  /** The Rotor service user's access key. */
  rotorCredentials: Credentials;
  /** AssumeRole of the demo rotation role as the Rotor service user; `null` sends no ExternalId. */
  assumeRotationRole(externalId?: string | null): Promise<Credentials>;
  clock: { now: Date; advance(ms: number): void };
  close(): Promise<void>;
}

/**
 * @param identity - written as the data directory's identity.json before the start (implies a data directory).
 */
export async function startTestStack(
  options: Omit<LocalStackOptions, 'port' | 'simulatorPort' | 'now'> & { identity?: IdentityConfig } = {},
): Promise<TestStack> {
  const clock = {
    now: new Date(),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  let dataDir = options.dataDir;
  let ownDir: string | undefined;
  if (options.identity !== undefined && dataDir === undefined) {
    dataDir = ownDir = mkdtempSync(join(tmpdir(), 'rotor-stack-'));
  }
  if (options.identity !== undefined && dataDir !== undefined) {
    writeFileSync(join(dataDir, IDENTITY_FILE), JSON.stringify(options.identity), { mode: 0o600 });
  }
  const stack = await startLocalStack({
    ...options,
    dataDir,
    port: 0,
    simulatorPort: 0,
    now: () => clock.now,
  });
  const clients: { destroy(): void }[] = [];
  const track = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  const base = (credentials?: Credentials, region?: string) => ({
    endpoint: stack.endpoint,
    region: region ?? stack.region,
    credentials: credentials ?? stack.credentials,
    maxAttempts: 1,
  });
  const rotorCredentials = stack.directory.accessKeyOf(
    stack.identity.rotor.accountId,
    stack.identity.rotor.userName,
  );
  const sts = (credentials?: Credentials) => track(new STSClient(base(credentials)));
  return {
    stack,
    sm: (credentials, region) => track(new SecretsManagerClient(base(credentials, region))),
    sts,
    events: (credentials) => track(new EventBridgeClient(base(credentials))),
    rotorCredentials,
    async assumeRotationRole(externalId: string | null = stack.identity.rotor.externalId) {
      const output = await sts(rotorCredentials).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${stack.accountId}:role/${stack.identity.rotor.customerRoleName}`,
          RoleSessionName: 'test-session',
          ExternalId: externalId ?? undefined,
        }),
      );
      const c = output.Credentials!;
      return {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      };
    },
    clock,
    async close() {
      for (const client of clients) client.destroy();
      await stack.close();
      if (ownDir !== undefined) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}
