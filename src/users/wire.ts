import { channelsToWire } from '../engine/index.js';
import type { StoredUser, UserSummaryRow } from './store.js';

/** A user as SuprSend answers it: properties, timestamps, then one array per channel. */
export function userToWire(user: StoredUser) {
  return {
    distinct_id: user.distinctId,
    properties: user.profile.properties,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    ...channelsToWire(user.profile),
  };
}
export type UserWire = ReturnType<typeof userToWire>;

/** A row of `GET /v1/user/`: no channels. */
export function userSummaryToWire(row: UserSummaryRow) {
  return {
    distinct_id: row.distinctId,
    properties: JSON.parse(row.properties) as Record<string, unknown>,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
