/** Merging two profiles into one (e.g. when two users are identified as the same person). */
import { copyObject, hasOwn, setOwn } from './json.js';
import type { EngineContext, Identity, JsonObject, Profile } from './types.js';

/**
 * Properties: the primary's values win; keys only the secondary has are
 * copied (after the primary's keys). Identities: the primary's first, as they
 * are, then the secondary's that the primary lacks (by channel and key), with
 * their status fields and createdAt kept and updatedAt set to ctx.now, since
 * they are new to the merged profile. Neither input is changed.
 */
export function mergeProfiles(primary: Profile, secondary: Profile, ctx: EngineContext): Profile {
  const properties = copyObject(primary.properties);
  for (const key of Object.keys(secondary.properties)) {
    if (!hasOwn(properties, key)) setOwn(properties, key, secondary.properties[key] ?? null);
  }
  const seen = new Set(primary.identities.map(identityId));
  const identities: Identity[] = primary.identities.slice();
  for (const identity of secondary.identities) {
    const id = identityId(identity);
    if (seen.has(id)) continue;
    seen.add(id);
    identities.push({ ...identity, meta: copyObject(identity.meta), updatedAt: ctx.now });
  }
  return { properties, identities };
}

function identityId(identity: Identity): string {
  return `${identity.channel}\u0000${identity.key}`;
}

/**
 * A profile seen through an overlay (a tenant-scoped profile over the global
 * one): properties merge shallowly, the overlay's keys winning; a channel the
 * overlay has identities on shows only the overlay's, any other channel the
 * base's. Neither input is changed.
 */
export function overlayProfile(base: Profile, overlay: Profile): Profile {
  const properties = overlayProperties(base.properties, overlay.properties);
  const overridden = new Set(overlay.identities.map((identity) => identity.channel));
  const identities = [...base.identities.filter((identity) => !overridden.has(identity.channel)), ...overlay.identities];
  return { properties, identities };
}

/** Properties seen through an overlay: a shallow merge, the overlay's keys winning. Neither input is changed. */
export function overlayProperties(base: JsonObject, overlay: JsonObject): JsonObject {
  const properties = copyObject(base);
  for (const key of Object.keys(overlay)) setOwn(properties, key, overlay[key] ?? null);
  return properties;
}
