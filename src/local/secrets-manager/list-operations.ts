/** ListSecrets: filters (prefix matches as AWS documents them), sorting and pagination. */
import type { Operation, OperationContext } from './context.ts';
import type { SecretRecord } from './model.ts';
import { paginate } from './pagination.ts';
import {
  constraintError,
  type Input,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalString,
  optionalStringList,
  optionalStructList,
} from './validation.ts';
import { listEntryView } from './views.ts';

const FILTER_KEYS = [
  'description',
  'name',
  'tag-key',
  'tag-value',
  'primary-region',
  'owning-service',
  'all',
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const SORT_KEYS = ['created-date', 'last-accessed-date', 'last-changed-date', 'name'] as const;
type SortKey = (typeof SORT_KEYS)[number];
const FILTER_VALUE = /^!?[a-zA-Z0-9 :_@/+=.\-!]*$/;

interface ListFilter {
  key: FilterKey;
  values: string[];
}

function requiredFilterKey(filter: Input): FilterKey {
  const key = optionalEnum(filter, 'Key', FILTER_KEYS);
  if (key === undefined) throw constraintError('Filters.Key', 'Member must not be null');
  return key;
}

function readFilters(input: Input): ListFilter[] {
  return (optionalStructList(input, 'Filters', { maxItems: 10 }) ?? []).map((filter) => ({
    key: requiredFilterKey(filter),
    values:
      optionalStringList(filter, 'Values', {
        minItems: 1,
        maxItems: 10,
        item: { min: 1, max: 512, pattern: FILTER_VALUE },
      }) ?? [],
  }));
}

/** Lower-cased words of the searchable attributes, for the `all` filter. */
function searchableWords(secret: SecretRecord): string[] {
  const attributes = [secret.name, secret.description ?? '', secret.region];
  for (const tag of secret.tags) attributes.push(tag.Key, tag.Value);
  return attributes.flatMap((attribute) => {
    const lower = attribute.toLowerCase();
    return [lower, ...lower.split(/[^a-z0-9]+/).filter(Boolean)];
  });
}

function matchesValue(secret: SecretRecord, key: FilterKey, value: string): boolean {
  switch (key) {
    case 'name':
      return secret.name.startsWith(value);
    case 'description':
      return secret.description?.toLowerCase().startsWith(value.toLowerCase()) ?? false;
    case 'tag-key':
      return secret.tags.some((tag) => tag.Key.startsWith(value));
    case 'tag-value':
      return secret.tags.some((tag) => tag.Value.startsWith(value));
    case 'primary-region':
      return (secret.primaryRegion ?? secret.region).startsWith(value);
    case 'owning-service':
      return false; // no secret here is managed by another service
    case 'all': {
      const words = searchableWords(secret);
      return value
        .toLowerCase()
        .split(/\s+/)
        .filter(Boolean)
        .every((term) => words.some((word) => word.startsWith(term)));
    }
  }
}

/** Values of one filter are alternatives; a `!` prefix negates a value. Filters combine with AND. */
function matchesFilter(secret: SecretRecord, filter: ListFilter): boolean {
  return filter.values.some((raw) => {
    const negated = raw.startsWith('!');
    const hit = matchesValue(secret, filter.key, negated ? raw.slice(1) : raw);
    return negated ? !hit : hit;
  });
}

function sortValue(secret: SecretRecord, key: SortKey): number | string {
  switch (key) {
    case 'created-date':
      return secret.createdDate.getTime();
    case 'last-accessed-date':
      return secret.lastAccessedDate?.getTime() ?? 0;
    case 'last-changed-date':
      return secret.lastChangedDate.getTime();
    case 'name':
      return secret.name;
  }
}

/** The active secrets of the Region that match the request's `Filters`, in creation order. */
export function matchingSecrets(ctx: OperationContext, input: Input): SecretRecord[] {
  const filters = readFilters(input);
  return ctx.store
    .all()
    .filter((secret) => secret.deletedDate === undefined)
    .filter((secret) => filters.every((filter) => matchesFilter(secret, filter)));
}

/** Sorted by CreatedDate ascending unless SortBy/SortOrder say otherwise (ties keep creation order). */
export const listSecrets: Operation = (ctx, input) => {
  const includePlannedDeletion = optionalBoolean(input, 'IncludePlannedDeletion') ?? false;
  const maxResults = optionalInteger(input, 'MaxResults', { min: 1, max: 100 }) ?? 100;
  const nextToken = optionalString(input, 'NextToken', { min: 1, max: 4096 });
  const filters = readFilters(input);
  const sortOrder = optionalEnum(input, 'SortOrder', ['asc', 'desc'] as const) ?? 'asc';
  const sortBy = optionalEnum(input, 'SortBy', SORT_KEYS) ?? 'created-date';
  const direction = sortOrder === 'asc' ? 1 : -1;

  const secrets = ctx.store
    .all()
    .filter((secret) => includePlannedDeletion || secret.deletedDate === undefined)
    .filter((secret) => filters.every((filter) => matchesFilter(secret, filter)))
    .sort((a, b) => {
      const left = sortValue(a, sortBy);
      const right = sortValue(b, sortBy);
      return left < right ? -direction : left > right ? direction : 0;
    });
  const page = paginate(secrets, maxResults, nextToken, 'ListSecrets');
  return {
    SecretList: page.items.map(listEntryView),
    ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
  };
};
