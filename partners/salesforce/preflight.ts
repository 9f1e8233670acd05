/**
 * The Salesforce preflight: a read-only dry run of what a rotation needs. It authenticates with the
 * rotating pair (admin or the secret's own), reads the app's primary key and its staged slot, and
 * changes nothing at the org: no POST, PATCH or DELETE.
 */
import { RotorError } from '../../src/engine/errors.ts';
import type { HookContext, PreflightCheck } from '../../src/runtime/partner.ts';
import { SalesforceApi } from './api.ts';
import type { SalesforceMetadata, SalesforcePair, SalesforceSecret, StagedCredential } from './types.ts';

type Context = HookContext<SalesforceMetadata>;

function failed(name: string, error: unknown): PreflightCheck {
  const detail =
    error instanceof RotorError
      ? `[${error.category}] ${error.message}`
      : 'Unexpected failure; see the logs.';
  return { name, ok: false, detail };
}

function slotCheck(staged: StagedCredential[], userId: string): PreflightCheck {
  const item = staged[0];
  if (!item)
    return { name: 'slot', ok: true, detail: 'The staged slot is empty; a rotation can stage a new pair.' };
  if (item.state === 'Active' && item.createdBy !== userId) {
    return {
      name: 'slot',
      ok: false,
      detail: `The staged slot holds an Active set (${item.id}) created by another user; promote or delete it in Setup first.`,
    };
  }
  const what =
    item.state === 'Active'
      ? 'an Active set staged earlier by this user; the rotation adopts it'
      : `a ${item.state} set; the rotation removes it once its grace period is over`;
  return { name: 'slot', ok: true, detail: `The staged slot holds ${what}.` };
}

/**
 * Runs the checks in order and stops at the first one later checks depend on.
 *
 * @example
 * ```ts
 * const checks = await salesforcePreflight(secret, pair, context);
 * ```
 */
export async function salesforcePreflight(
  current: SalesforceSecret,
  rotatingPair: (current: SalesforceSecret, context: Context) => Promise<SalesforcePair>,
  context: Context,
): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  const admin = context.metadata.adminSecretArn;
  let pair: SalesforcePair;
  try {
    pair = await rotatingPair(current, context);
  } catch (error) {
    return [failed('admin-secret', error)];
  }
  if (admin) {
    try {
      await SalesforceApi.testPair(current);
      checks.push({ name: 'authenticate-secret', ok: true, detail: "The secret's own pair authenticates." });
    } catch (error) {
      checks.push(failed('authenticate-secret', error));
    }
  }
  let api: SalesforceApi;
  try {
    api = await SalesforceApi.connect(pair, context.metadata.apiVersion);
    checks.push({
      name: 'authenticate',
      ok: true,
      detail: `The ${admin ? 'admin' : "secret's own"} pair authenticates with the client-credentials flow (Run-As user ${api.userId || 'unknown'}).`,
    });
  } catch (error) {
    checks.push(failed('authenticate', error));
    return checks;
  }
  try {
    const primary = await api.primaryKey(current.appId, current.consumerId);
    checks.push(
      primary === current.consumerKey
        ? {
            name: 'permissions',
            ok: true,
            detail: `The Run-As user can read app ${current.appId}'s credentials.`,
          }
        : {
            name: 'permissions',
            ok: false,
            detail: `The consumer key is not app ${current.appId}'s primary key; store the app's primary pair.`,
          },
    );
  } catch (error) {
    checks.push(failed('permissions', error));
    return checks;
  }
  try {
    const staged = await api.listStaged(current.appId, current.consumerId);
    checks.push({
      name: 'rest-secret-access',
      ok: true,
      detail: 'The org allows access to External Client App consumer secrets via the REST API.',
    });
    checks.push(slotCheck(staged, api.userId));
  } catch (error) {
    checks.push(failed('rest-secret-access', error));
  }
  return checks;
}
