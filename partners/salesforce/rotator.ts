/**
 * Rotation of a Salesforce External Client App's consumer key and secret through the staged
 * credentials API (reference: partner-apis.md §3.6–3.7):
 * create = make room in the single staged slot, then POST a staged set (or adopt the one this
 * rotator already minted); set = nothing (a staged pair is live at once); test = a
 * client-credentials token with the staged pair; promote = PATCH `{"command":"rotate"}`;
 * revoke = DELETE the rotated-out set after the grace period.
 */
import { ConflictError, InvalidConfigurationError } from '../../src/engine/errors.ts';
import type { HookContext, PartnerRotatorV1 } from '../../src/runtime/partner.ts';
import { SalesforceApi } from './api.ts';
import { salesforcePreflight } from './preflight.ts';
import type { SalesforceMetadata, SalesforcePair, SalesforceSecret, StagedCredential } from './types.ts';

type Context = HookContext<SalesforceMetadata>;

/** The pair that performs the rotation: the admin secret's, or the secret's own (self-rotation). */
async function rotatingPair(current: SalesforceSecret, context: Context): Promise<SalesforcePair> {
  const adminArn = context.metadata.adminSecretArn;
  if (!adminArn) return current;
  const admin = await context.readSecret(adminArn);
  const { consumerKey, consumerSecret, baseUri } = admin as Partial<SalesforceSecret>;
  if (typeof consumerKey !== 'string' || typeof consumerSecret !== 'string' || typeof baseUri !== 'string') {
    throw new InvalidConfigurationError(
      `The admin secret ${adminArn} is not a SalesforceClientSecret value; it needs consumerKey, consumerSecret and baseUri.`,
      { field: 'adminSecretArn' },
    );
  }
  if (new URL(baseUri).origin !== new URL(current.baseUri).origin) {
    throw new InvalidConfigurationError(
      `The admin secret ${adminArn} is for another org (${new URL(baseUri).host}); use an admin pair of ${new URL(current.baseUri).host}.`,
      { field: 'adminSecretArn' },
    );
  }
  return { baseUri: current.baseUri, consumerKey, consumerSecret };
}

function withPair(secret: SalesforceSecret, staged: StagedCredential): SalesforceSecret {
  if (!staged.secret) {
    throw new ConflictError(
      `Salesforce returned staged set ${staged.id} without its secret; retry the rotation.`,
    );
  }
  return { ...secret, consumerKey: staged.key, consumerSecret: staged.secret };
}

function graceOverAt(context: Context): Date | undefined {
  if (!context.lastRotatedAt) return undefined;
  return new Date(context.lastRotatedAt.getTime() + context.gracePeriodSeconds * 1000);
}

/**
 * Empties the slot of a set that may go: an Expired one, or a Rotated one whose grace period is
 * over and that neither AWSCURRENT nor the rotating identity uses (I5). Returns the set to adopt
 * when the slot holds an Active set this identity minted (a retry after a crash, I3).
 */
async function makeRoom(
  api: SalesforceApi,
  current: SalesforceSecret,
  auth: SalesforcePair,
  context: Context,
): Promise<StagedCredential | undefined> {
  const { appId, consumerId } = current;
  for (const item of await api.listStaged(appId, consumerId)) {
    if (item.state === 'Active') {
      if (item.createdBy === api.userId) return item;
      throw new ConflictError(
        `The staged slot of app ${appId} holds an Active set (${item.id}) created by another user; promote or delete it in Setup, then retry.`,
      );
    }
    if (item.key === current.consumerKey || item.key === auth.consumerKey) {
      throw new ConflictError(
        `The staged slot of app ${appId} holds the credential in use by ${item.key === current.consumerKey ? 'AWSCURRENT' : 'the rotating identity'} (set ${item.id}); it cannot be removed. Run a repair of this secret.`,
      );
    }
    if (item.state === 'Rotated') {
      const over = graceOverAt(context);
      if (!over || over.getTime() > context.now().getTime()) {
        throw new ConflictError(
          `The staged slot of app ${appId} holds the previous credential, still in its grace period${over ? ` until ${over.toISOString()}` : ''}; retry after it ends, or lower rotor:grace-period.`,
        );
      }
    }
    await api.deleteStaged(appId, consumerId, item.id);
    context.log.info('Removed the rotated-out credential set from the staged slot', { state: item.state });
  }
  return undefined;
}

export const salesforceRotator: PartnerRotatorV1<SalesforceSecret, SalesforceMetadata> = {
  async create({ current }, context) {
    const auth = await rotatingPair(current, context);
    const api = await SalesforceApi.connect(auth, context.metadata.apiVersion);
    const adopted = await makeRoom(api, current, auth, context);
    if (adopted) {
      context.log.info('Reusing the staged set minted earlier for this rotation');
      return { pending: withPair(current, adopted) };
    }
    const staged = await api.createStaged(current.appId, current.consumerId);
    return { pending: withPair(current, staged) };
  },

  async discard({ current, pending }, context) {
    const api = await SalesforceApi.connect(
      await rotatingPair(current, context),
      context.metadata.apiVersion,
    );
    const item = (await api.listStaged(pending.appId, pending.consumerId)).find(
      (s) => s.key === pending.consumerKey && s.state === 'Active',
    );
    if (item) await api.deleteStaged(pending.appId, pending.consumerId, item.id);
  },

  async set() {
    // Nothing to do: a staged pair authenticates as soon as Salesforce mints it.
  },

  async test({ pending }) {
    await SalesforceApi.testPair(pending);
  },

  async promote({ current, pending }, context) {
    const api = await SalesforceApi.connect(
      await rotatingPair(current, context),
      context.metadata.apiVersion,
    );
    if ((await api.primaryKey(pending.appId, pending.consumerId)) === pending.consumerKey) {
      context.log.info('Pending pair is already primary at Salesforce');
      return;
    }
    const item = (await api.listStaged(pending.appId, pending.consumerId)).find(
      (s) => s.key === pending.consumerKey && s.state === 'Active',
    );
    if (!item) {
      throw new ConflictError(
        `The pending credential is no longer staged for app ${pending.appId} (deleted or expired); start a new rotation.`,
      );
    }
    await api.rotateStaged(pending.appId, pending.consumerId, item.id);
  },

  async revoke({ previous, current }, context) {
    if (previous.consumerKey === current.consumerKey) return { revoked: false };
    const auth = await rotatingPair(current, context);
    if (auth.consumerKey === previous.consumerKey) {
      throw new ConflictError(
        'The previous credential is the one Rotor authenticates with; it is not revoked.',
      );
    }
    const api = await SalesforceApi.connect(auth, context.metadata.apiVersion);
    const item = (await api.listStaged(previous.appId, previous.consumerId)).find(
      (s) => s.key === previous.consumerKey && s.state !== 'Active',
    );
    if (!item) return { revoked: false };
    return { revoked: await api.deleteStaged(previous.appId, previous.consumerId, item.id) };
  },

  async preflight({ current }, context) {
    return salesforcePreflight(current, rotatingPair, context);
  },
};
