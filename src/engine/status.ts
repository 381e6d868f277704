/** Changing an identity's delivery status (e.g. after a simulated bounce). */
import { canonicalKey } from './canonical.js';
import { describeType, failWith, preview } from './errors.js';
import { findIdentity, isChannel } from './identities.js';
import { isPlainObject } from './json.js';
import type { Channel, EngineContext, EngineResult, IdentityStatus, JsonObject, PermaStatus, Profile } from './types.js';

const IDENTITY_STATUSES: readonly string[] = ['active', 'inactive'];
const PERMA_STATUSES: readonly string[] = ['active', 'disabled'];

/**
 * Sets `status` and `permaStatus` of the identity of `channel` whose value
 * equals `value` (objects compared structurally); updatedAt becomes ctx.now.
 * Fails when the profile has no such identity.
 */
export function setIdentityStatus(
  profile: Profile,
  channel: Channel,
  value: string | JsonObject,
  status: IdentityStatus,
  permaStatus: PermaStatus,
  ctx: EngineContext,
): EngineResult {
  if (typeof channel !== 'string' || !isChannel(channel)) {
    return failWith('channel', `unknown channel ${preview(channel)}`);
  }
  if (typeof value !== 'string' && !isPlainObject(value)) {
    return failWith(channel, `${channel} value must be a string or an object, got ${describeType(value)}`);
  }
  if (!IDENTITY_STATUSES.includes(status)) {
    return failWith('status', `status must be "active" or "inactive", got ${preview(status)}`);
  }
  if (!PERMA_STATUSES.includes(permaStatus)) {
    return failWith('perma_status', `perma_status must be "active" or "disabled", got ${preview(permaStatus)}`);
  }
  const index = findIdentity(profile.identities, channel, canonicalKey(value));
  if (index === -1) {
    return failWith(channel, `this profile has no ${channel} identity ${preview(value)}`);
  }
  const identities = profile.identities.slice();
  const existing = identities[index]!;
  identities[index] = { ...existing, status, permaStatus, updatedAt: ctx.now };
  return { ok: true, profile: { properties: profile.properties, identities } };
}
