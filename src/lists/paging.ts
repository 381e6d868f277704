import { keysetPage } from '../db/keyset.js';
import type { KeysetPage, PageRequest } from '../api/paging.js';

/** `-id`: newest first (the default); `id`: oldest first. */
export type SortOrder = 'id' | '-id';

/** Two bounded range queries over rows keyed by an increasing row id. */
export interface IdRangeSource<Row> {
  /** Up to `n` rows with id < bound (all rows when bound is undefined), highest id first. */
  below(bound: number | undefined, n: number): Row[];
  /** Up to `n` rows with id > bound, lowest id first. */
  above(bound: number, n: number): Row[];
  idOf(row: Row): number;
}

/**
 * Keyset paging in either direction, without OFFSET. `keysetPage` pages
 * newest first; oldest first is the same walk over the negated ids (the
 * highest negated id is the lowest id), so both orders share its logic,
 * including has_prev / has_next on empty pages. Cursors (`after`, `before`,
 * `beforeId`, `afterId`) are always real row ids.
 */
export function orderedKeysetPage<Row>(src: IdRangeSource<Row>, req: PageRequest, sort: SortOrder): KeysetPage<Row> {
  if (sort === '-id')
    return keysetPage({ older: (b, n) => src.below(b, n), newer: (b, n) => src.above(b, n), idOf: (r) => src.idOf(r) }, req);
  const negate = (id: number | undefined) => (id === undefined ? undefined : -id);
  const page = keysetPage<Row>(
    {
      // key < bound  <=>  id > -bound; with no bound, every row (ids start at 1).
      older: (bound, n) => src.above(bound === undefined ? 0 : -bound, n),
      // key > bound  <=>  id < -bound.
      newer: (bound, n) => src.below(-bound, n),
      idOf: (row) => -src.idOf(row),
    },
    {
      limit: req.limit,
      ...(req.after !== undefined ? { after: -req.after } : {}),
      ...(req.before !== undefined ? { before: -req.before } : {}),
    },
  );
  return { ...page, beforeId: negate(page.beforeId), afterId: negate(page.afterId) };
}
