/**
 * Replication inside one account: a replica is a read-only copy of its primary in another Region,
 * with the same name and suffix and an ARN in its own Region. After every request the service
 * refreshes the replicas of each primary the request touched, so replicas follow every write.
 */

import type { SecretRecord } from './model.ts';
import { decodeSecret, encodeSecret } from './persistence.ts';
import type { SecretStore } from './store.ts';

/** The replica's ARN: the primary's with the replica Region. */
export function replicaArn(primaryArn: string, region: string): string {
  const parts = primaryArn.split(':');
  parts[3] = region;
  return parts.join(':');
}

export function isReplica(secret: SecretRecord): boolean {
  return secret.primaryRegion !== undefined && secret.primaryRegion !== secret.region;
}

/** A copy of `primary` as its replica in `region` (keeps the replica's own last-access date). */
export function replicaOf(primary: SecretRecord, region: string, previous?: SecretRecord): SecretRecord {
  const copy = decodeSecret(encodeSecret(primary, ''));
  return {
    ...copy,
    arn: replicaArn(primary.arn, region),
    region,
    primaryRegion: primary.region,
    replicas: undefined,
    lastAccessedDate: previous?.lastAccessedDate,
  };
}

/** Writes every in-sync replica of `primary` into its Region's store. */
export function syncReplicas(primary: SecretRecord, storeIn: (region: string) => SecretStore): void {
  for (const replica of primary.replicas ?? []) {
    if (replica.status !== 'InSync') continue;
    const store = storeIn(replica.region);
    const arn = replicaArn(primary.arn, replica.region);
    store.add(replicaOf(primary, replica.region, store.peek(arn)));
  }
}
