/**
 * Where the console reads what a rotation is doing. The local stack serves its rotation records
 * (and, when present, events and audit records) on its `/_rotor/` routes; real AWS has none of
 * them, so every read degrades to "not available" instead of failing the page.
 */
import type { RotationAttempt } from '../local/rotation-runner.ts';
import { CONTROL_PREFIX } from '../local/stack.ts';

export type { RotationAttempt };

/** Live progress and history. `undefined` means "this endpoint does not offer it". */
export interface RotationProgressSource {
  /** Attempts, newest last; all secrets when `secretId` is absent. */
  attempts(secretId?: string): Promise<RotationAttempt[] | undefined>;
  /** The secret's events (Rotation Succeeded/Failed, Credential Revoked, …). */
  events(secretId: string): Promise<Record<string, unknown>[] | undefined>;
  /** The secret's audit records. */
  audit(secretId: string): Promise<Record<string, unknown>[] | undefined>;
}

/** Finds the list in a JSON answer whatever its wrapper (`{attempts}`, `{events}`, a bare array). */
function listIn(body: unknown, keys: string[]): Record<string, unknown>[] | undefined {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  if (body && typeof body === 'object') {
    for (const key of keys) {
      const value = (body as Record<string, unknown>)[key];
      if (Array.isArray(value)) return value as Record<string, unknown>[];
    }
  }
  return undefined;
}

async function getList(url: URL, keys: string[]): Promise<Record<string, unknown>[] | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return undefined;
    return listIn(await response.json(), keys);
  } catch {
    return undefined;
  }
}

/**
 * Reads progress from a local stack's control routes. Routes that are missing (an older stack, or
 * an AWS endpoint) read as `undefined`.
 *
 * @example
 * ```ts
 * const rotations = controlRoutesProgress(stack.endpoint);
 * const attempts = await rotations.attempts('demo/SalesforceClientSecret');
 * ```
 */
export function controlRoutesProgress(endpoint: string): RotationProgressSource {
  const route = (name: string, secretId?: string) => {
    const url = new URL(`${CONTROL_PREFIX}${name}`, endpoint);
    if (secretId) url.searchParams.set('secretId', secretId);
    return url;
  };
  return {
    attempts: async (secretId) =>
      (await getList(route('rotations', secretId), ['attempts'])) as RotationAttempt[] | undefined,
    events: (secretId) => getList(route('events', secretId), ['events', 'items']),
    audit: (secretId) => getList(route('audit', secretId), ['records', 'audit', 'items']),
  };
}

/** No progress source: what `rotor console` uses against real AWS. */
export const noProgress: RotationProgressSource = {
  attempts: async () => undefined,
  events: async () => undefined,
  audit: async () => undefined,
};
