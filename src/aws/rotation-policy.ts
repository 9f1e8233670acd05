/**
 * The permissions a rotation role needs on the secrets it rotates: the four calls of the rotation
 * contract, only on secrets of the given partner types (plus GetRandomPassword, which has no
 * resource). One document for the local stack's demo role and the console's role template, the
 * same grants `customer-role.yaml` makes.
 */

/**
 * @param types - partner `Type`s the role may rotate.
 * @example
 * ```ts
 * const policy = rotationPermissionsPolicy(['SalesforceClientSecret']);
 * ```
 */
export function rotationPermissionsPolicy(types: string | readonly string[]) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow' as const,
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        Resource: '*',
        Condition: {
          StringEquals: { 'secretsmanager:resource/Type': typeof types === 'string' ? types : [...types] },
        },
      },
      { Effect: 'Allow' as const, Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
    ],
  };
}
