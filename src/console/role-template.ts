/**
 * The customer rotation role a user creates for a managed external secret (reference §7): trust
 * for Secrets Manager scoped to the account, and the four rotation permissions limited to secrets
 * of one partner `Type`. Shown by the wizard when no role exists yet.
 */
import { rotationPermissionsPolicy } from '../aws/rotation-policy.ts';

/**
 * The role as IAM policy documents, ready to paste into `aws iam create-role` / `put-role-policy`.
 *
 * @example
 * ```ts
 * const { trustPolicy, permissionsPolicy } = rotationRoleTemplate('SalesforceClientSecret', '111122223333', 'eu-west-1');
 * ```
 */
export function rotationRoleTemplate(type: string, accountId: string, region: string) {
  const trustPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'secretsmanager.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': accountId },
          ArnLike: { 'aws:SourceArn': `arn:aws:secretsmanager:${region}:${accountId}:secret:*` },
        },
      },
    ],
  };
  const permissionsPolicy = rotationPermissionsPolicy(type);
  const roleName = `RotorRotation-${type}`;
  const commands = [
    `aws iam create-role --role-name ${roleName} --assume-role-policy-document file://trust.json`,
    `aws iam put-role-policy --role-name ${roleName} --policy-name rotation --policy-document file://permissions.json`,
  ];
  return { roleName, trustPolicy, permissionsPolicy, commands };
}
