/**
 * The exact AWS error texts (reference: aws-rotation-contract.md section 11), in one place so
 * operations and tests agree on them.
 */

export const SECRET_NOT_FOUND = "Secrets Manager can't find the specified secret.";

export const MARKED_FOR_DELETION =
  "You can't perform this operation on the secret because it was marked for deletion.";

export const NAME_SCHEDULED_FOR_DELETION =
  "You can't create this secret because a secret with this name is already scheduled for deletion.";

export const ROTATION_IN_PROGRESS = "A previous rotation isn't complete. That rotation will be reattempted.";

/** AWS's text when rotation is enabled with no function and no managed-external configuration. */
export const NO_ROTATION_CONFIGURED = 'No Lambda rotation function ARN is associated with this secret.';

export const INVALID_NAME =
  'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!';

export const BOTH_VALUES_GIVEN =
  "You can't specify both a binary secret value and a string secret value in the same secret.";

export const NO_VALUE_GIVEN = 'You must provide either SecretString or SecretBinary.';

export const RECOVERY_WINDOW_RANGE =
  'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).';

export const FORCE_DELETE_WITH_WINDOW =
  "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.";

export function nameTaken(name: string): string {
  return `The operation failed because the secret ${name} already exists.`;
}

export function tokenInUse(token: string, arn: string): string {
  return `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}`;
}

export function stageNotFound(label: string): string {
  return `Secrets Manager can't find the specified secret value for staging label: ${label}`;
}

export function versionNotFound(versionId: string): string {
  return `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`;
}

export function removeFromVersionIdRequired(label: string, holder: string): string {
  return (
    `The parameter RemoveFromVersionId can't be empty. Staging label ${label} is currently attached to ` +
    `version ${holder}, so you must explicitly reference that version in RemoveFromVersionId.`
  );
}

export function versionLimit(max: number, arn: string): string {
  return `The request would exceed the quota of ${max} versions for secret ${arn}; no deprecated version is old enough to remove.`;
}

export const REPLICA_READ_ONLY =
  "Operation is not permitted on a replica secret. Call must be made in primary secret's region.";

export const DELETE_REPLICATED_PRIMARY =
  "You can't delete a primary secret that is replicated to other Regions. Remove the replicas with RemoveRegionsFromReplication first.";

export const BATCH_ID_LIST_OR_FILTERS = 'You must specify either SecretIdList or Filters, but not both.';

/** AWS's IAM denial text: names the principal, the action and the resource. */
export function accessDenied(
  principalArn: string,
  action: string,
  resource: string,
  reason: 'identity' | 'explicit' | 'resource',
): string {
  const because =
    reason === 'explicit'
      ? 'with an explicit deny in an identity-based policy'
      : reason === 'resource'
        ? `because no resource-based policy allows the ${action} action`
        : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${because}`;
}
