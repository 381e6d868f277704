/** What a client asks of a keyset listing: a page size and at most one cursor (a row id). */
export interface PageRequest {
  limit: number;
  after?: number;
  before?: number;
}

/**
 * One page of a keyset listing, as a store returns it. `beforeId`/`afterId`
 * are the row ids the `before`/`after` cursors name: the page's first and last
 * rows, or, on a page left empty by deletes, the bound the request came with,
 * so that a client can always page back (or on) from it.
 */
export interface KeysetPage<Row> {
  rows: Row[];
  hasPrev: boolean;
  hasNext: boolean;
  beforeId: number | undefined;
  afterId: number | undefined;
}

export const DEFAULT_PAGE_SIZE = 10;
