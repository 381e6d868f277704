/** Shapes of API answers, as the tests read them. */

/** One channel identity of a user or object. */
export interface Identity {
  value: string | Record<string, unknown>;
  id_provider?: string;
  status: string;
  perma_status: string;
}

/** A user as GET /v1/user/{id}/ answers it. */
export type WireUser = {
  distinct_id: string;
  properties: Record<string, unknown>;
  created_at: string;
  updated_at: string;
} & { [channel: `$${string}`]: Identity[] | undefined };

/** The `meta` of a cursor-paged listing. */
export interface CursorMeta {
  count: number;
  limit: number;
  has_prev: boolean;
  before: string | null;
  has_next: boolean;
  after: string | null;
}

/** One page of a cursor-paged listing. */
export interface CursorPage<T> {
  meta: CursorMeta;
  results: T[];
}

/** A page of GET /v1/user/. */
export type UserPage = CursorPage<{ distinct_id: string; properties: Record<string, unknown>; created_at: string; updated_at: string }>;
