/** Creating a profile. */
import { canonicalKey } from './canonical.js';
import { DEFAULT_PROVIDER, type EngineContext, type Profile } from './types.js';

/**
 * A profile with no properties; when `inboxValue` is a string it gets one
 * `$inbox` identity with that value (provider "suprsend", active).
 */
export function newProfile(ctx: EngineContext, inboxValue: string | null): Profile {
  if (typeof inboxValue !== 'string') return { properties: {}, identities: [] };
  return {
    properties: {},
    identities: [
      {
        channel: '$inbox',
        value: inboxValue,
        key: canonicalKey(inboxValue),
        idProvider: DEFAULT_PROVIDER.$inbox,
        status: 'active',
        permaStatus: 'active',
        meta: {},
        createdAt: ctx.now,
        updatedAt: ctx.now,
      },
    ],
  };
}
