/**
 * Rotation of an `__TYPE__` API key: create = mint a key (idempotent per token through the
 * partner's Idempotency-Key); set = nothing (a minted key works at once); test = call the API with
 * it; promote = nothing (both keys are equal); revoke = delete the rotated-out key.
 */
import { ConflictError } from '__SRC__/engine/errors.ts';
import type { PartnerRotatorV1 } from '__SRC__/runtime/partner.ts';
import { deleteKey, mintKey, whoAmI } from './api.ts';
import type { __TYPE__Metadata, __TYPE__Secret } from './types.ts';

export const rotator: PartnerRotatorV1<__TYPE__Secret, __TYPE__Metadata> = {
  async create({ current }, context) {
    // The token is the idempotency key: a retry after a crash adopts the key minted before.
    const minted = await mintKey(context, current, context.token);
    return { pending: { ...current, keyId: minted.keyId, apiKey: minted.apiKey } };
  },

  async discard({ current, pending }, context) {
    await deleteKey(context, current, pending.keyId);
  },

  async set() {
    // A minted key is live at once: nothing to do.
  },

  async test({ pending }, context) {
    await whoAmI(context, pending);
  },

  async promote() {
    // Both keys are equal at the partner: nothing to promote.
  },

  async revoke({ previous, current }, context) {
    if (previous.keyId === current.keyId) {
      throw new ConflictError(`Refusing to revoke key ${current.keyId}: it is the current key.`);
    }
    return { revoked: await deleteKey(context, current, previous.keyId) };
  },

  async preflight({ current }, context) {
    await whoAmI(context, current);
    return [{ name: 'authenticate', ok: true, detail: `Key ${current.keyId} authenticates.` }];
  },
};
