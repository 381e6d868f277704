import type { z } from 'zod';
import type { listSchema, subscribedListSchema } from './schemas.js';
import type { ListRow, MembershipRow } from './store.js';

export type ListWire = z.infer<typeof listSchema>;
export type SubscribedListWire = z.infer<typeof subscribedListSchema>;

/** A list draft, for the draft view of a list. */
export interface DraftView {
  versionId: string;
  subscribersCount: number;
}

/**
 * The list object. Fields upstream has but the emulator does not model are
 * constant: list_type static_list, source null, is_readonly and
 * requested_for_delete false, drafts null.
 */
export function listToWire(row: ListRow, draft?: DraftView): ListWire {
  return {
    list_id: row.list_id,
    list_name: row.list_name,
    list_description: row.list_description,
    list_type: 'static_list',
    subscribers_count: draft ? draft.subscribersCount : row.subscribers_count,
    source: null,
    is_readonly: false,
    status: draft ? 'draft' : 'active',
    track_user_entry: Boolean(row.track_user_entry),
    track_user_exit: Boolean(row.track_user_exit),
    requested_for_delete: false,
    created_at: row.created_at,
    updated_at: row.updated_at,
    drafts: null,
    version_id: draft ? draft.versionId : null,
  };
}

export function membershipToWire(row: MembershipRow): SubscribedListWire {
  return {
    list: {
      list_id: row.list_id,
      list_name: row.list_name,
      list_description: row.list_description,
      list_type: 'static_list',
      source: null,
      subscribers_count: row.subscribers_count,
      updated_at: row.updated_at,
    },
    created_at: row.created_at,
  };
}
