/** What a client asks of a keyset listing: a page size and at most one cursor (a row id). */
export interface PageRequest {
  limit: number;
  after?: number;
  before?: number;
}

/** One page of a keyset listing, as a store returns it. */
export interface KeysetPage<Row> {
  rows: Row[];
  hasPrev: boolean;
  hasNext: boolean;
  firstId: number | undefined;
  lastId: number | undefined;
}

export const DEFAULT_PAGE_SIZE = 10;
