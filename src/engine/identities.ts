/**
 * Channel identities: validating one raw value of a channel into an identity,
 * and adding (de-duplicating and re-activating), removing and clearing them.
 * All list functions return new arrays; their inputs are never changed.
 */
import { canonicalKey } from './canonical.js';
import { childPath, describeType, failAt, preview, success, type Outcome } from './errors.js';
import { copyObject, getOwn, isPlainObject, setOwn, toJson } from './json.js';
import {
  CHANNELS,
  DEFAULT_PROVIDER,
  PROVIDER_CHANNELS,
  PUSH_MODIFIERS,
  type Channel,
  type EngineContext,
  type Identity,
  type JsonObject,
} from './types.js';
import { isE164, isEmail, MAX_EMAIL_LENGTH } from './validate.js';

export type ProviderChannel = (typeof PROVIDER_CHANNELS)[number];
export type PushModifierKey = (typeof PUSH_MODIFIERS)[number];

/** Providers each channel accepts (lower case); null means any non-empty name. */
export const ALLOWED_PROVIDERS: Readonly<Record<ProviderChannel, readonly string[] | null>> = {
  $androidpush: ['fcm', 'xiaomi', 'oppo'],
  $iospush: ['apns'],
  $webpush: ['vapid'],
  $inbox: null,
};

/** A short example of a channel's values, used in messages. */
export const CHANNEL_EXAMPLES: Readonly<Record<Channel, string>> = {
  $email: '["a@example.com"]',
  $sms: '["+15555550123"]',
  $whatsapp: '["+15555550123"]',
  $inbox: '["inbox-id"]',
  $webpush: '[{"endpoint": "https://push.example.com/...", "keys": {"p256dh": "...", "auth": "..."}}]',
  $androidpush: '["fcm-device-token"]',
  $iospush: '["apns-device-token"]',
  $slack: '[{"incoming_webhook": {"url": "https://hooks.slack.com/services/..."}}]',
  $ms_teams: '[{"incoming_webhook": {"url": "https://example.webhook.office.com/..."}}]',
};

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);
const PROVIDER_CHANNEL_SET: ReadonlySet<string> = new Set(PROVIDER_CHANNELS);
const PUSH_MODIFIER_SET: ReadonlySet<string> = new Set(PUSH_MODIFIERS);

export function isChannel(key: string): key is Channel {
  return CHANNEL_SET.has(key);
}

export function isProviderChannel(key: string): key is ProviderChannel {
  return PROVIDER_CHANNEL_SET.has(key);
}

export function isPushModifier(key: string): key is PushModifierKey {
  return PUSH_MODIFIER_SET.has(key);
}

/** A validated channel value, ready to be added or removed. */
export interface IdentityInput {
  channel: Channel;
  value: string | JsonObject;
  /** canonicalKey(value). */
  key: string;
  /** The provider given with the value (lower case), or null when none was given. Always null off PROVIDER_CHANNELS. */
  provider: string | null;
  /** Descriptors given with the value (bundle_id, device_id), only non-empty ones. */
  meta: JsonObject;
}

/** `$id_provider`/`$pushvendor`/`$bundle_id`/`$device_id` found beside a push channel key. */
export interface PushModifiers {
  /** The provider as sent (non-empty) and where it was found; null when none was given. */
  provider: { name: string; path: string } | null;
  bundleId: string | null;
  deviceId: string | null;
}

const PROVIDER_CHANNEL_LIST = '$androidpush, $iospush, $webpush or $inbox';

/**
 * Reads the push modifiers of a `$append`/`$remove` object. Returns null when
 * there are none; an error when one is not a string/null, when `$id_provider`
 * and `$pushvendor` disagree, or when the object has no push channel key.
 */
export function parsePushModifiers(dict: Record<string, unknown>, path: string): Outcome<PushModifiers | null> {
  const keys = Object.keys(dict);
  const present = keys.filter(isPushModifier);
  if (present.length === 0) return success(null);
  if (!keys.some(isProviderChannel)) {
    const first = present[0] as string;
    return failAt(childPath(path, first), `${first} must accompany a push channel (${PROVIDER_CHANNEL_LIST}) in the same object`);
  }
  const strings: Partial<Record<PushModifierKey, string>> = {};
  for (const key of present) {
    const raw = dict[key];
    if (raw === null || raw === '') continue;
    if (typeof raw !== 'string') {
      return failAt(childPath(path, key), `${key} must be a string or null, got ${describeType(raw)}`);
    }
    strings[key] = raw;
  }
  const idProvider = strings.$id_provider;
  const pushVendor = strings.$pushvendor;
  if (idProvider !== undefined && pushVendor !== undefined && idProvider.toLowerCase() !== pushVendor.toLowerCase()) {
    return failAt(
      childPath(path, '$pushvendor'),
      `$pushvendor ${preview(pushVendor)} conflicts with $id_provider ${preview(idProvider)}; send only one of them`,
    );
  }
  let provider: PushModifiers['provider'] = null;
  if (idProvider !== undefined) provider = { name: idProvider, path: childPath(path, '$id_provider') };
  else if (pushVendor !== undefined) provider = { name: pushVendor, path: childPath(path, '$pushvendor') };
  if (provider !== null) {
    // Check it against every push channel in the object, even one given an empty list.
    for (const channel of keys.filter(isProviderChannel)) {
      const checked = resolveProvider(channel, provider.name, provider.path);
      if (!checked.ok) return checked;
    }
  }
  return success({ provider, bundleId: strings.$bundle_id ?? null, deviceId: strings.$device_id ?? null });
}

/**
 * Checks a provider name for a channel; returns it lower-cased, or null when
 * none was given (null, "" or undefined), in which case the default applies.
 */
export function resolveProvider(channel: ProviderChannel, raw: unknown, path: string): Outcome<string | null> {
  if (raw === undefined || raw === null || raw === '') return success(null);
  if (typeof raw !== 'string') return failAt(path, `provider must be a string or null, got ${describeType(raw)}`);
  const name = raw.toLowerCase();
  const allowed = ALLOWED_PROVIDERS[channel];
  if (allowed !== null && !allowed.includes(name)) {
    return failAt(path, `${preview(raw)} is not a provider for ${channel}; expected ${allowed.join(' or ')}`);
  }
  return success(name);
}

function stringItem(channel: Channel, value: string): IdentityInput {
  return { channel, value, key: canonicalKey(value), provider: null, meta: {} };
}

function stringOutcome(channel: Channel, value: string): Outcome<IdentityInput> {
  return success(stringItem(channel, value));
}

function objectOutcome(channel: Channel, value: unknown, path: string): Outcome<IdentityInput> {
  const copy = toJson(value, path);
  if (!copy.ok) return copy;
  const object = copy.value as JsonObject;
  return success({ channel, value: object, key: canonicalKey(object), provider: null, meta: {} });
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function hasUrlWebhook(object: Record<string, unknown>): boolean {
  const webhook = getOwn(object, 'incoming_webhook');
  return isPlainObject(webhook) && isString(getOwn(webhook, 'url'));
}

const SLACK_SHAPES =
  'expected a Slack object in one of these shapes: {"incoming_webhook": {"url": "..."}}, or ' +
  '{"access_token": "xoxb-...", plus one of "email", "email_id", "user_id", "channel" or "channel_id" (strings)}';

const TEAMS_SHAPES =
  'expected an MS Teams object in one of these shapes: {"incoming_webhook": {"url": "..."}}, or ' +
  '{"tenant_id": "...", plus "conversation_id" or "user_id", and usually "service_url" (strings)}';

const WEBPUSH_SHAPE = 'expected a web push subscription object {"endpoint": "...", "keys": {"p256dh": "...", "auth": "..."}}';

function isSlackValue(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return false;
  if (hasUrlWebhook(value)) return true;
  return (
    isString(getOwn(value, 'access_token')) &&
    ['email', 'email_id', 'user_id', 'channel', 'channel_id'].some((k) => isString(getOwn(value, k)))
  );
}

function isTeamsValue(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return false;
  if (hasUrlWebhook(value)) return true;
  return (
    isString(getOwn(value, 'tenant_id')) &&
    // SuprSend's own upsert example leaves service_url out, so it is optional here.
    (getOwn(value, 'service_url') === undefined || isString(getOwn(value, 'service_url'))) &&
    (isString(getOwn(value, 'conversation_id')) || isString(getOwn(value, 'user_id')))
  );
}

function isWebpushValue(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value) || !isString(getOwn(value, 'endpoint'))) return false;
  const keys = getOwn(value, 'keys');
  return isPlainObject(keys) && isString(getOwn(keys, 'p256dh')) && isString(getOwn(keys, 'auth'));
}

function pushTokenShape(channel: '$androidpush' | '$iospush'): string {
  const provider = channel === '$androidpush' ? 'fcm' : 'apns';
  return `expected a push token (a non-empty string) or an object like {"token": "...", "provider": "${provider}", "device_id": "..."}`;
}

/** The value part of a push channel item: a token string or {token, provider?, device_id?}. */
function parsePushToken(
  channel: '$androidpush' | '$iospush',
  raw: unknown,
  path: string,
): Outcome<{ input: IdentityInput; provider: unknown; providerPath: string; deviceId: string | null }> {
  if (typeof raw === 'string') {
    if (raw === '') return failAt(path, `${channel} token must not be empty`);
    return success({ input: stringItem(channel, raw), provider: undefined, providerPath: path, deviceId: null });
  }
  if (!isPlainObject(raw)) return failAt(path, `${pushTokenShape(channel)}, got ${describeType(raw)}`);
  const token = getOwn(raw, 'token');
  if (typeof token !== 'string' || token === '') {
    return failAt(childPath(path, 'token'), `token must be a non-empty string, got ${describeType(token)}`);
  }
  const deviceId = getOwn(raw, 'device_id');
  if (deviceId !== undefined && deviceId !== null && typeof deviceId !== 'string') {
    return failAt(childPath(path, 'device_id'), `device_id must be a string or null, got ${describeType(deviceId)}`);
  }
  return success({
    input: stringItem(channel, token),
    provider: getOwn(raw, 'provider'),
    providerPath: childPath(path, 'provider'),
    deviceId: typeof deviceId === 'string' && deviceId !== '' ? deviceId : null,
  });
}

/**
 * Validates one raw value of `channel` (see the channel rules) and returns the
 * identity it describes. `modifiers` are the push modifiers found beside the
 * channel key, if any; they only affect PROVIDER_CHANNELS.
 */
export function parseIdentity(
  channel: Channel,
  raw: unknown,
  path: string,
  modifiers: PushModifiers | null = null,
): Outcome<IdentityInput> {
  let parsed: Outcome<IdentityInput>;
  let itemProvider: unknown;
  let itemProviderPath = path;
  let itemDeviceId: string | null = null;
  switch (channel) {
    case '$email':
      if (typeof raw !== 'string') return failAt(path, `expected an email address string, got ${describeType(raw)}`);
      if (raw.length > MAX_EMAIL_LENGTH) {
        return failAt(path, `${preview(raw)} is not a valid email address: it is longer than ${MAX_EMAIL_LENGTH} characters`);
      }
      if (!isEmail(raw)) return failAt(path, `${preview(raw)} is not a valid email address`);
      parsed = stringOutcome(channel, raw);
      break;
    case '$sms':
    case '$whatsapp':
      if (typeof raw !== 'string') {
        return failAt(path, `expected a phone number string in E.164 format, got ${describeType(raw)}`);
      }
      if (!isE164(raw)) {
        return failAt(path, `${preview(raw)} is not a phone number in E.164 format, e.g. "+15555550123"`);
      }
      parsed = stringOutcome(channel, raw);
      break;
    case '$inbox':
      if (typeof raw !== 'string' || raw === '') {
        return failAt(path, `expected a non-empty inbox id string, got ${raw === '' ? 'an empty string' : describeType(raw)}`);
      }
      parsed = stringOutcome(channel, raw);
      break;
    case '$androidpush':
    case '$iospush': {
      const token = parsePushToken(channel, raw, path);
      if (!token.ok) return token;
      parsed = success(token.value.input);
      itemProvider = token.value.provider;
      itemProviderPath = token.value.providerPath;
      itemDeviceId = token.value.deviceId;
      break;
    }
    case '$webpush':
      if (!isWebpushValue(raw)) return failAt(path, `${WEBPUSH_SHAPE}, got ${preview(raw)}`);
      parsed = objectOutcome(channel, raw, path);
      break;
    case '$slack':
      if (!isSlackValue(raw)) return failAt(path, `${SLACK_SHAPES}; got ${preview(raw)}`);
      parsed = objectOutcome(channel, raw, path);
      break;
    case '$ms_teams':
      if (!isTeamsValue(raw)) return failAt(path, `${TEAMS_SHAPES}; got ${preview(raw)}`);
      parsed = objectOutcome(channel, raw, path);
      break;
    default: {
      const unknownChannel: never = channel;
      return failAt(path, `unknown channel ${preview(unknownChannel)}`);
    }
  }
  if (!parsed.ok || !isProviderChannel(channel)) return parsed;

  // Provider: the item's own "provider" wins, then $id_provider/$pushvendor, else none (default).
  let provider = resolveProvider(channel, itemProvider, itemProviderPath);
  if (!provider.ok) return provider;
  if (provider.value === null && modifiers?.provider) {
    provider = resolveProvider(channel, modifiers.provider.name, modifiers.provider.path);
    if (!provider.ok) return provider;
  }
  const meta: JsonObject = {};
  if (modifiers?.bundleId) setOwn(meta, 'bundle_id', modifiers.bundleId);
  const deviceId = itemDeviceId ?? modifiers?.deviceId ?? null;
  if (deviceId) setOwn(meta, 'device_id', deviceId);
  return success({ ...parsed.value, provider: provider.value, meta });
}

/** Validates the value of a channel key in `$append`/`$remove`: one item, or an array of items. */
export function parseIdentityItems(
  channel: Channel,
  raw: unknown,
  path: string,
  modifiers: PushModifiers | null = null,
): Outcome<IdentityInput[]> {
  if (!Array.isArray(raw)) {
    const one = parseIdentity(channel, raw, path, modifiers);
    return one.ok ? success([one.value]) : one;
  }
  const items: IdentityInput[] = [];
  for (let i = 0; i < raw.length; i++) {
    const item = parseIdentity(channel, raw[i], childPath(path, i), modifiers);
    if (!item.ok) return item;
    items.push(item.value);
  }
  return success(items);
}

/** Index of the identity with this channel and key, or -1. */
export function findIdentity(identities: readonly Identity[], channel: Channel, key: string): number {
  return identities.findIndex((identity) => identity.channel === channel && identity.key === key);
}

/** A new identity for `input`: active, the channel's default provider unless one was given. */
function createdIdentity(input: IdentityInput, ctx: EngineContext): Identity {
  return {
    channel: input.channel,
    value: input.value,
    key: input.key,
    idProvider: isProviderChannel(input.channel) ? (input.provider ?? DEFAULT_PROVIDER[input.channel]) : null,
    status: 'active',
    permaStatus: 'active',
    meta: copyObject(input.meta),
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

/** `existing` added again: active (perma_status unchanged), provider and meta updated with whatever was given. */
function readdedIdentity(existing: Identity, input: IdentityInput, ctx: EngineContext): Identity {
  const meta = copyObject(existing.meta);
  for (const key of Object.keys(input.meta)) setOwn(meta, key, input.meta[key] ?? null);
  return {
    ...existing,
    idProvider: isProviderChannel(input.channel) ? (input.provider ?? existing.idProvider ?? DEFAULT_PROVIDER[input.channel]) : null,
    status: 'active',
    meta,
    updatedAt: ctx.now,
  };
}

/**
 * A working copy of a profile's identities for one request, indexed by
 * channel and key, so that adding, removing or clearing costs time in
 * proportion to what it touches, never to the whole list. Removed identities
 * leave holes that list() closes, so order is insertion order as with the
 * list functions below. The array it was made from is never changed.
 * Expects at most one identity per (channel, key), as profiles hold.
 */
export class IdentityDraft {
  private readonly slots: (Identity | null)[];
  private readonly byChannel = new Map<Channel, Map<string, number>>();

  constructor(identities: readonly Identity[]) {
    this.slots = identities.slice();
    for (let i = 0; i < identities.length; i++) {
      const identity = identities[i] as Identity;
      const keys = this.keysOf(identity.channel);
      if (!keys.has(identity.key)) keys.set(identity.key, i);
    }
  }

  private keysOf(channel: Channel): Map<string, number> {
    let keys = this.byChannel.get(channel);
    if (keys === undefined) {
      keys = new Map();
      this.byChannel.set(channel, keys);
    }
    return keys;
  }

  /** Adds an identity, or re-activates and updates the one with the same channel and key (see addIdentity). */
  add(input: IdentityInput, ctx: EngineContext): void {
    const keys = this.keysOf(input.channel);
    const index = keys.get(input.key);
    if (index === undefined) {
      keys.set(input.key, this.slots.length);
      this.slots.push(createdIdentity(input, ctx));
    } else {
      this.slots[index] = readdedIdentity(this.slots[index] as Identity, input, ctx);
    }
  }

  /** Removes the identity with this channel and key; absent is not an error. */
  remove(channel: Channel, key: string): void {
    const keys = this.byChannel.get(channel);
    const index = keys?.get(key);
    if (keys === undefined || index === undefined) return;
    this.slots[index] = null;
    keys.delete(key);
  }

  /** Removes every identity of a channel. */
  clear(channel: Channel): void {
    const keys = this.byChannel.get(channel);
    if (keys === undefined) return;
    for (const index of keys.values()) this.slots[index] = null;
    this.byChannel.delete(channel);
  }

  /** How many identities the channel has. */
  count(channel: Channel): number {
    return this.byChannel.get(channel)?.size ?? 0;
  }

  /** The identities, in order. */
  list(): Identity[] {
    return this.slots.filter((identity): identity is Identity => identity !== null);
  }
}

/**
 * Adds an identity. When one with the same channel and key exists it is kept
 * in place: status becomes 'active' (perma_status unchanged), provider and
 * meta are updated with whatever was given, updatedAt becomes ctx.now.
 * Costs time in proportion to the list; to add many, use an IdentityDraft.
 */
export function addIdentity(identities: readonly Identity[], input: IdentityInput, ctx: EngineContext): Identity[] {
  const draft = new IdentityDraft(identities);
  draft.add(input, ctx);
  return draft.list();
}

/** Removes the identity with this channel and key (provider is not compared); absent is not an error. */
export function removeIdentity(identities: readonly Identity[], channel: Channel, key: string): Identity[] {
  return identities.filter((identity) => !(identity.channel === channel && identity.key === key));
}

/** Removes every identity of a channel. */
export function clearChannel(identities: readonly Identity[], channel: Channel): Identity[] {
  return identities.filter((identity) => identity.channel !== channel);
}

/** How many identities each channel has. */
export function countByChannel(identities: readonly Identity[]): Map<Channel, number> {
  const counts = new Map<Channel, number>();
  for (const identity of identities) counts.set(identity.channel, (counts.get(identity.channel) ?? 0) + 1);
  return counts;
}
