/** BatchGetSecretValue: up to 20 secrets by id or by ListSecrets filters; errors per secret. */
import { compact, type Operation } from './context.ts';
import { InvalidParameterError, SecretsManagerServiceError } from './errors.ts';
import { matchingSecrets } from './list-operations.ts';
import { BATCH_ID_LIST_OR_FILTERS } from './messages.ts';
import { paginate } from './pagination.ts';
import { optionalInteger, optionalString, optionalStringList, optionalStructList } from './validation.ts';
import { getSecretValue } from './value-operations.ts';

export const MAX_BATCH_SECRETS = 20;

export const batchGetSecretValue: Operation = (ctx, input) => {
  const ids = optionalStringList(input, 'SecretIdList', {
    minItems: 1,
    maxItems: MAX_BATCH_SECRETS,
    item: { min: 1, max: 2048 },
  });
  const hasFilters = optionalStructList(input, 'Filters') !== undefined;
  const maxResults = optionalInteger(input, 'MaxResults', { min: 1, max: MAX_BATCH_SECRETS });
  const nextToken = optionalString(input, 'NextToken', { min: 1, max: 4096 });
  if ((ids === undefined) === !hasFilters) throw new InvalidParameterError(BATCH_ID_LIST_OR_FILTERS);
  if (ids !== undefined && (maxResults !== undefined || nextToken !== undefined)) {
    throw new InvalidParameterError('MaxResults and NextToken apply only to a request with Filters.');
  }

  let targets: string[];
  let next: string | undefined;
  if (ids !== undefined) {
    targets = [...new Set(ids)];
  } else {
    const page = paginate(
      matchingSecrets(ctx, input),
      maxResults ?? MAX_BATCH_SECRETS,
      nextToken,
      'BatchGetSecretValue',
    );
    targets = page.items.map((secret) => secret.arn);
    next = page.nextToken;
  }

  const values: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  for (const secretId of targets) {
    try {
      const secret = ctx.store.find(secretId);
      ctx.authorize('secretsmanager:GetSecretValue', secret ?? secretId);
      values.push(getSecretValue(ctx, { SecretId: secretId }));
    } catch (error) {
      if (!(error instanceof SecretsManagerServiceError)) throw error;
      errors.push({ SecretId: secretId, ErrorCode: error.type, Message: error.message });
    }
  }
  return compact({
    SecretValues: values,
    NextToken: next,
    Errors: errors.length === 0 ? undefined : errors,
  });
};
