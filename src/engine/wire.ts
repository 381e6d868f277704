/** Serialising a profile's identities into the shape SuprSend's API returns. */
import {
  CHANNELS,
  DEFAULT_PROVIDER,
  PROVIDER_CHANNELS,
  type IdentityStatus,
  type JsonObject,
  type PermaStatus,
  type Profile,
} from './types.js';

export interface WireIdentity {
  value: string | JsonObject;
  /** Only on PROVIDER_CHANNELS. */
  id_provider?: string;
  status: IdentityStatus;
  perma_status: PermaStatus;
}

const PROVIDER_CHANNEL_SET: ReadonlySet<string> = new Set(PROVIDER_CHANNELS);

/**
 * The identities grouped by channel: keys in CHANNELS order, only channels
 * that have identities, identities in insertion order; each item's keys in the
 * order value, id_provider (provider channels only), status, perma_status.
 */
export function channelsToWire(profile: Profile): Record<string, WireIdentity[]> {
  const out: Record<string, WireIdentity[]> = {};
  for (const channel of CHANNELS) {
    const items: WireIdentity[] = [];
    for (const identity of profile.identities) {
      if (identity.channel !== channel) continue;
      const item: WireIdentity = { value: identity.value } as WireIdentity;
      if (PROVIDER_CHANNEL_SET.has(channel)) {
        item.id_provider = identity.idProvider ?? DEFAULT_PROVIDER[channel as keyof typeof DEFAULT_PROVIDER];
      }
      item.status = identity.status;
      item.perma_status = identity.permaStatus;
      items.push(item);
    }
    if (items.length > 0) out[channel] = items;
  }
  return out;
}
