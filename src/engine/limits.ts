/**
 * Limits on what one request may ask of the engine. A request over any of
 * them is refused whole (a 400, nothing changes). SuprSend documents no such
 * numbers for users; these are far above what a client really sends, and
 * keep the cost of one request, and the size of one profile, bounded.
 */
import { failAt, failWith, type Failure } from './errors.js';
import { countByChannel, type IdentityDraft } from './identities.js';
import { CHANNELS, type Channel, type Identity } from './types.js';

/** Operation objects in one edit (`operations` of a PATCH, `$user_operations` of an `/event/` record). */
export const MAX_OPERATIONS_PER_REQUEST = 1_000;

/** Values of one channel in one request: the array of an upsert key, or all `$append`/`$remove` values of an edit together. */
export const MAX_VALUES_PER_CHANNEL_PER_REQUEST = 1_000;

/**
 * Identities of one channel a profile can hold. A request that would leave a
 * channel above it is refused, unless it leaves the channel no fuller than it was.
 */
export const MAX_IDENTITIES_PER_CHANNEL = 1_000;

/** Refuses an edit of more than MAX_OPERATIONS_PER_REQUEST operations. */
export function checkOperationCount(count: number): Failure | null {
  if (count <= MAX_OPERATIONS_PER_REQUEST) return null;
  return failAt(
    'operations',
    `at most ${MAX_OPERATIONS_PER_REQUEST} operations are accepted in one request, got ${count}; send them in several requests`,
  );
}

/** Refuses an upsert key with more than MAX_VALUES_PER_CHANNEL_PER_REQUEST values. */
export function checkUpsertValueCount(channel: Channel, count: number, path: string): Failure | null {
  if (count <= MAX_VALUES_PER_CHANNEL_PER_REQUEST) return null;
  return failAt(path, `at most ${MAX_VALUES_PER_CHANNEL_PER_REQUEST} ${channel} values are accepted in one request, got ${count}`);
}

/** The channel values an edit has sent so far, against MAX_VALUES_PER_CHANNEL_PER_REQUEST. */
export class ChannelValueTally {
  private readonly counts = new Map<Channel, number>();

  /** Counts `count` more values of `channel`, sent at `path`; a failure once the channel is over the limit. */
  add(channel: Channel, count: number, path: string): Failure | null {
    const total = (this.counts.get(channel) ?? 0) + count;
    this.counts.set(channel, total);
    if (total <= MAX_VALUES_PER_CHANNEL_PER_REQUEST) return null;
    return failAt(
      path,
      `at most ${MAX_VALUES_PER_CHANNEL_PER_REQUEST} ${channel} values are accepted in one request; with these the request has ${total}`,
    );
  }
}

/**
 * Refuses a result with more than MAX_IDENTITIES_PER_CHANNEL identities in a
 * channel that the request grew (`before` is the profile as it was).
 */
export function checkIdentityCounts(before: readonly Identity[], after: IdentityDraft): Failure | null {
  let counts: Map<Channel, number> | null = null;
  for (const channel of CHANNELS) {
    const count = after.count(channel);
    if (count <= MAX_IDENTITIES_PER_CHANNEL) continue;
    counts ??= countByChannel(before);
    if (count <= (counts.get(channel) ?? 0)) continue;
    return failWith(
      channel,
      `${channel}: a profile can hold at most ${MAX_IDENTITIES_PER_CHANNEL} ${channel} identities; this request would leave it with ${count}`,
    );
  }
  return null;
}
