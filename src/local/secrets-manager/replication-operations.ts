/** ReplicateSecretToRegions, RemoveRegionsFromReplication and StopReplicationToReplica. */
import { compact, type Operation, type OperationContext } from './context.ts';
import { InvalidParameterError, InvalidRequestError } from './errors.ts';
import { readSecretId } from './members.ts';
import type { ReplicaRegion, SecretRecord } from './model.ts';
import { isReplica, replicaArn, replicaOf } from './replication.ts';
import type { Input } from './validation.ts';
import {
  constraintError,
  optionalBoolean,
  optionalString,
  optionalStringList,
  optionalStructList,
  requiredString,
} from './validation.ts';

const REGION = /^([a-z]+-)+\d+(-[a-z]+)?$/;
const DEFAULT_KMS_KEY = 'alias/aws/secretsmanager';

function statusView(replicas: ReplicaRegion[] | undefined) {
  return (replicas ?? []).map((replica) =>
    compact({
      Region: replica.region,
      KmsKeyId: replica.kmsKeyId ?? DEFAULT_KMS_KEY,
      Status: replica.status,
      StatusMessage: replica.statusMessage,
    }),
  );
}

export interface AddReplicaRegion {
  region: string;
  kmsKeyId?: string;
}

/** Reads `AddReplicaRegions` (CreateSecret and ReplicateSecretToRegions). */
export function readReplicaRegions(input: Input): AddReplicaRegion[] | undefined {
  return optionalStructList(input, 'AddReplicaRegions', { minItems: 1 })?.map((item) => {
    const region = requiredString(item, 'Region', { min: 1, max: 128 });
    if (!REGION.test(region)) throw new InvalidParameterError(`Invalid Region name ${region}.`);
    return { region, kmsKeyId: optionalString(item, 'KmsKeyId', { max: 2048 }) };
  });
}

/**
 * Adds replicas of `primary`. A Region already holding a secret with the name fails for that
 * Region (Status `Failed`) unless `force` overwrites it, as AWS reports it.
 */
export function addReplicas(
  ctx: OperationContext,
  primary: SecretRecord,
  regions: AddReplicaRegion[],
  force: boolean,
): void {
  let replicas = primary.replicas ?? [];
  for (const { region, kmsKeyId } of regions) {
    if (region === primary.region) {
      throw new InvalidParameterError(`Region ${region} is the primary Region of secret ${primary.arn}.`);
    }
    if (replicas.some((replica) => replica.region === region && replica.status === 'InSync')) continue;
    // A Region that failed before is tried again.
    replicas = replicas.filter((replica) => replica.region !== region);
    const store = ctx.storeIn(region);
    const existing = store.findByName(primary.name);
    if (existing !== undefined && !force) {
      replicas.push({
        region,
        kmsKeyId,
        status: 'Failed',
        statusMessage: `Replication failed: Secret name already exists in region ${region}.`,
      });
      continue;
    }
    if (existing !== undefined) store.remove(existing);
    store.add(replicaOf(primary, region));
    replicas.push({ region, kmsKeyId, status: 'InSync', statusMessage: 'Replication succeeded' });
  }
  primary.replicas = replicas;
}

function primaryFor(ctx: OperationContext, input: Input): SecretRecord {
  const secret = ctx.store.getActive(readSecretId(input));
  if (isReplica(secret)) {
    throw new InvalidRequestError(
      "Operation is not permitted on a replica secret. Call must be made in primary secret's region.",
    );
  }
  return secret;
}

export const replicateSecretToRegions: Operation = (ctx, input) => {
  const regions = readReplicaRegions(input);
  if (regions === undefined) throw constraintError('AddReplicaRegions', 'Member must not be null');
  const force = optionalBoolean(input, 'ForceOverwriteReplicaSecret') ?? false;
  const primary = primaryFor(ctx, input);
  addReplicas(ctx, primary, regions, force);
  primary.lastChangedDate = ctx.now;
  return { ARN: primary.arn, ReplicationStatus: statusView(primary.replicas) };
};

export const removeRegionsFromReplication: Operation = (ctx, input) => {
  const regions = optionalStringList(input, 'RemoveReplicaRegions', {
    minItems: 1,
    item: { min: 1, max: 128 },
  });
  if (regions === undefined) throw constraintError('RemoveReplicaRegions', 'Member must not be null');
  const primary = primaryFor(ctx, input);
  for (const region of regions) {
    if (!(primary.replicas ?? []).some((replica) => replica.region === region)) {
      throw new InvalidParameterError(`Secret ${primary.arn} is not replicated to Region ${region}.`);
    }
    ctx.storeIn(region).removeArn(replicaArn(primary.arn, region));
  }
  primary.replicas = (primary.replicas ?? []).filter((replica) => !regions.includes(replica.region));
  if (primary.replicas.length === 0) delete primary.replicas;
  primary.lastChangedDate = ctx.now;
  return { ARN: primary.arn, ReplicationStatus: statusView(primary.replicas) };
};

/** Called in the replica's Region: the replica becomes a standalone secret there. */
export const stopReplicationToReplica: Operation = (ctx, input) => {
  const replica = ctx.store.getActive(readSecretId(input));
  if (!isReplica(replica)) {
    throw new InvalidRequestError(
      `Secret ${replica.arn} is not a replica; call this in the replica's Region.`,
    );
  }
  // find() marks the primary touched, so the change to its replica list is stored with this request.
  const primary = ctx.storeIn(replica.primaryRegion!).find(replicaArn(replica.arn, replica.primaryRegion!));
  if (primary !== undefined) {
    primary.replicas = primary.replicas?.filter((entry) => entry.region !== replica.region);
    if (primary.replicas?.length === 0) delete primary.replicas;
  }
  delete replica.primaryRegion;
  replica.lastChangedDate = ctx.now;
  return { ARN: replica.arn };
};

export { statusView as replicationStatusView };
