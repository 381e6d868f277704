/**
 * `applyUpsert`: the body of `POST /v1/user/{id}/`. Channel keys add
 * identities (never removing any); other keys overwrite properties.
 */
import { childPath, describeType, failWith, type Outcome } from './errors.js';
import { CHANNEL_EXAMPLES, IdentityDraft, isChannel, isPushModifier, parseIdentity } from './identities.js';
import { copyObject, isPlainObject, setOwn, toJson } from './json.js';
import { checkIdentityCounts, checkUpsertValueCount } from './limits.js';
import { validateReservedProperty } from './properties.js';
import type { EngineContext, EngineResult, JsonObject, Profile } from './types.js';

/**
 * Applies an upsert body (raw JSON) to `profile`. Atomic: on any invalid key
 * the whole body is rejected. The input profile is never changed.
 */
export function applyUpsert(profile: Profile, body: unknown, ctx: EngineContext): EngineResult {
  if (!isPlainObject(body)) {
    return failWith('', `request body must be a JSON object, got ${describeType(body)}`);
  }
  const properties: JsonObject = copyObject(profile.properties);
  const identities = new IdentityDraft(profile.identities);
  for (const key of Object.keys(body)) {
    // Push modifiers only mean something beside a channel inside $append/$remove.
    if (isPushModifier(key)) continue;
    const keyPath = childPath('', key);
    const raw = body[key];
    if (isChannel(key)) {
      if (!Array.isArray(raw)) {
        return failWith(keyPath, `${key} must be an array of values, e.g. ${CHANNEL_EXAMPLES[key]}; got ${describeType(raw)}`);
      }
      const tooMany = checkUpsertValueCount(key, raw.length, keyPath);
      if (tooMany) return tooMany;
      for (let i = 0; i < raw.length; i++) {
        const item = parseIdentity(key, raw[i], childPath(keyPath, i));
        if (!item.ok) return item;
        identities.add(item.value, ctx);
      }
      continue;
    }
    const value = toJson(raw, keyPath);
    if (!value.ok) return value;
    const reserved: Outcome<true> = validateReservedProperty(key, value.value, keyPath);
    if (!reserved.ok) return reserved;
    setOwn(properties, key, value.value);
  }
  const overfull = checkIdentityCounts(profile.identities, identities);
  if (overfull) return overfull;
  return { ok: true, profile: { properties, identities: identities.list() } };
}
