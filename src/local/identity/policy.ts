/**
 * A small IAM-like policy evaluator: `Allow`/`Deny` statements with `Action` (wildcards),
 * `Resource` (wildcards), `Principal` (trust policies) and `Condition` (`StringEquals`,
 * `StringNotEquals`, `StringLike`, `ArnEquals`, `ArnLike`). An explicit deny wins; no allow means
 * an implicit deny. Hand-written: no installed library evaluates IAM policies, and the stack needs
 * only this subset (reference §7's rotation role).
 */

type OneOrMany = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: OneOrMany;
  NotAction?: OneOrMany;
  Resource?: OneOrMany;
  Principal?: '*' | { AWS?: OneOrMany; Service?: OneOrMany };
  Condition?: Record<string, Record<string, OneOrMany>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export type Decision = 'allow' | 'deny' | 'implicit-deny';

/** Who is asking, for `Principal` matching in trust policies. */
export interface PrincipalRef {
  accountId: string;
  /** The user ARN, or for an assumed-role session the role's ARN. */
  arn: string;
}

const list = (value: OneOrMany | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM wildcard match: `*` any run, `?` one character; case-insensitive when asked (actions). */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function conditionHolds(operator: string, expected: string[], actual: string | undefined): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'ArnEquals':
      return actual !== undefined && expected.includes(actual);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return actual === undefined || !expected.includes(actual);
    case 'StringLike':
    case 'ArnLike':
      return actual !== undefined && expected.some((pattern) => wildcardMatch(pattern, actual));
    default:
      return false; // an operator this evaluator does not know never grants anything
  }
}

function conditionsHold(statement: PolicyStatement, context: Record<string, string>): boolean {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      if (!conditionHolds(operator, list(values), context[key])) return false;
    }
  }
  return true;
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  if (statement.NotAction !== undefined)
    return !list(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  return list(statement.Action).some((pattern) => wildcardMatch(pattern, action, true));
}

function principalMatches(statement: PolicyStatement, principal: PrincipalRef | undefined): boolean {
  if (statement.Principal === undefined) return true; // identity policies have no Principal
  if (principal === undefined) return false;
  if (statement.Principal === '*') return true;
  return list(statement.Principal.AWS).some(
    (entry) =>
      entry === '*' ||
      entry === principal.accountId ||
      entry === `arn:aws:iam::${principal.accountId}:root` ||
      entry === principal.arn,
  );
}

/**
 * Evaluates `documents` for `action` on `resource`.
 *
 * @example
 * ```ts
 * decide([{ Statement: { Effect: 'Allow', Action: 'secretsmanager:Get*', Resource: '*' } }],
 *   'secretsmanager:GetSecretValue', arn, {}); // 'allow'
 * ```
 */
export function decide(
  documents: readonly PolicyDocument[],
  action: string,
  resource: string,
  context: Record<string, string>,
  principal?: PrincipalRef,
): Decision {
  let allowed = false;
  for (const document of documents) {
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    for (const statement of statements) {
      if (!actionMatches(statement, action)) continue;
      if (
        statement.Resource !== undefined &&
        !list(statement.Resource).some((p) => wildcardMatch(p, resource))
      )
        continue;
      if (!principalMatches(statement, principal)) continue;
      if (!conditionsHold(statement, context)) continue;
      if (statement.Effect === 'Deny') return 'deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}
