/**
 * Regions and replication on the local stack, through the real SDK: the Region comes from the
 * credential scope; replicas follow every write of the primary (values, labels, a rotation);
 * replicas are read-only; removing and promoting replicas.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  ReplicateSecretToRegionsCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
  StopReplicationToReplicaCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const PRIMARY = 'us-east-1';
const REPLICA = 'eu-west-1';
let t: TestStack;
let east: SecretsManagerClient;
let west: SecretsManagerClient;

beforeAll(async () => {
  t = await startTestStack();
  east = t.sm(undefined, PRIMARY);
  west = t.sm(undefined, REPLICA);
});
afterAll(async () => {
  await t.close();
});

async function errorOf(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught as { name: string; message: string },
  );
  expect(error, 'the call should have failed').toBeDefined();
  return error!;
}

/** Everything a reader of the secret sees, with the Region taken out of the ARN. */
async function view(client: SecretsManagerClient, name: string) {
  const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
  const current = await client.send(new GetSecretValueCommand({ SecretId: name }));
  const versions = await client.send(
    new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
  );
  return {
    arn: described.ARN?.replace(/:(us-east-1|eu-west-1):/, ':<region>:'),
    stages: described.VersionIdsToStages,
    current: { versionId: current.VersionId, value: current.SecretString },
    versions: versions.Versions?.map((v) => `${v.VersionId}:${(v.VersionStages ?? []).join(',')}`).sort(),
    type: described.Type,
    rotationEnabled: described.RotationEnabled,
  };
}

describe('Operation: ReplicateSecretToRegions', () => {
  it('creates a read-only replica in the other Region that follows every write of the primary', async () => {
    // Prepare
    const created = await east.send(new CreateSecretCommand({ Name: 'repl/app', SecretString: 'v1' }));

    // Act
    const replicated = await east.send(
      new ReplicateSecretToRegionsCommand({ SecretId: 'repl/app', AddReplicaRegions: [{ Region: REPLICA }] }),
    );
    const put = await east.send(new PutSecretValueCommand({ SecretId: 'repl/app', SecretString: 'v2' }));
    await east.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'repl/app',
        VersionStage: 'BLUE',
        MoveToVersionId: put.VersionId,
      }),
    );

    // Assess
    expect(replicated.ReplicationStatus).toEqual([
      {
        Region: REPLICA,
        KmsKeyId: 'alias/aws/secretsmanager',
        Status: 'InSync',
        StatusMessage: 'Replication succeeded',
      },
    ]);
    expect(await view(west, 'repl/app')).toEqual(await view(east, 'repl/app'));
    const replica = await west.send(new DescribeSecretCommand({ SecretId: 'repl/app' }));
    expect(replica.ARN).toBe(created.ARN?.replace(`:${PRIMARY}:`, `:${REPLICA}:`));
    expect(replica.PrimaryRegion).toBe(PRIMARY);
    const primary = await east.send(new DescribeSecretCommand({ SecretId: 'repl/app' }));
    expect(primary.ReplicationStatus?.[0]).toMatchObject({ Region: REPLICA, Status: 'InSync' });
    expect(
      (await west.send(new GetSecretValueCommand({ SecretId: 'repl/app', VersionStage: 'BLUE' })))
        .SecretString,
    ).toBe('v2');
  });

  it('refuses writes to a replica, and deleting a primary that still has replicas', async () => {
    // Act
    const write = await errorOf(
      west.send(new PutSecretValueCommand({ SecretId: 'repl/app', SecretString: 'no' })),
    );
    const deletion = await errorOf(east.send(new DeleteSecretCommand({ SecretId: 'repl/app' })));

    // Assess
    expect(write).toMatchObject({
      name: 'InvalidRequestException',
      message:
        "Operation is not permitted on a replica secret. Call must be made in primary secret's region.",
    });
    expect(deletion.name).toBe('InvalidRequestException');
    expect((await west.send(new GetSecretValueCommand({ SecretId: 'repl/app' }))).SecretString).toBe('v2');
  });

  it('reports a Region where the name is taken as Failed, overwrites it with ForceOverwriteReplicaSecret', async () => {
    // Prepare
    await east.send(new CreateSecretCommand({ Name: 'repl/taken', SecretString: 'primary' }));
    await west.send(new CreateSecretCommand({ Name: 'repl/taken', SecretString: 'squatter' }));

    // Act
    const failed = await east.send(
      new ReplicateSecretToRegionsCommand({
        SecretId: 'repl/taken',
        AddReplicaRegions: [{ Region: REPLICA }],
      }),
    );
    const forced = await east.send(
      new CreateSecretCommand({
        Name: 'repl/forced',
        SecretString: 'primary',
        AddReplicaRegions: [{ Region: 'ap-south-1' }],
      }),
    );

    // Assess
    expect(failed.ReplicationStatus?.[0]).toMatchObject({ Region: REPLICA, Status: 'Failed' });
    expect((await west.send(new GetSecretValueCommand({ SecretId: 'repl/taken' }))).SecretString).toBe(
      'squatter',
    );
    expect(forced.ReplicationStatus?.[0]).toMatchObject({ Region: 'ap-south-1', Status: 'InSync' });
    const south = t.sm(undefined, 'ap-south-1');
    expect((await south.send(new GetSecretValueCommand({ SecretId: 'repl/forced' }))).SecretString).toBe(
      'primary',
    );
  });

  it('keeps replicas equal to the primary after a rotation', async () => {
    // Prepare
    const demo = 'demo/SalesforceClientSecret';
    await east.send(
      new ReplicateSecretToRegionsCommand({ SecretId: demo, AddReplicaRegions: [{ Region: REPLICA }] }),
    );

    // Act
    const { VersionId } = await east.send(
      new RotateSecretCommand({
        SecretId: demo,
        ExternalSecretRotationMetadata: [{ Key: 'apiVersion', Value: 'v65.0' }],
      }),
    );
    await t.stack.runner.idle();

    // Assess
    expect(t.stack.runner.attempts(demo).at(-1)?.result).toBe('succeeded');
    const primary = await view(east, demo);
    expect(primary.current.versionId).toBe(VersionId);
    expect(await view(west, demo)).toEqual(primary);
  });
});

describe('Operation: RemoveRegionsFromReplication / StopReplicationToReplica', () => {
  it('deletes a removed replica and promotes a stopped one to a standalone secret', async () => {
    // Prepare
    await east.send(
      new CreateSecretCommand({
        Name: 'repl/two',
        SecretString: 'x',
        AddReplicaRegions: [{ Region: REPLICA }, { Region: 'ap-south-1' }],
      }),
    );
    const south = t.sm(undefined, 'ap-south-1');

    // Act
    const removed = await east.send(
      new RemoveRegionsFromReplicationCommand({ SecretId: 'repl/two', RemoveReplicaRegions: [REPLICA] }),
    );
    await south.send(new StopReplicationToReplicaCommand({ SecretId: 'repl/two' }));
    await south.send(new PutSecretValueCommand({ SecretId: 'repl/two', SecretString: 'own value' }));

    // Assess
    expect(removed.ReplicationStatus?.map((r) => r.Region)).toEqual(['ap-south-1']);
    expect((await errorOf(west.send(new DescribeSecretCommand({ SecretId: 'repl/two' })))).name).toBe(
      'ResourceNotFoundException',
    );
    const primary = await east.send(new DescribeSecretCommand({ SecretId: 'repl/two' }));
    expect(primary.ReplicationStatus).toBeUndefined();
    expect((await east.send(new GetSecretValueCommand({ SecretId: 'repl/two' }))).SecretString).toBe('x');
    const standalone = await south.send(new DescribeSecretCommand({ SecretId: 'repl/two' }));
    expect(standalone.PrimaryRegion).toBe('ap-south-1');
  });
});
