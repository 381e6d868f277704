import type { KeysetPage, PageRequest } from '../api/paging.js';

/**
 * Keyset paging over rows ordered newest first by an increasing row id.
 * A listing supplies two bounded queries; this works out the page and its
 * has_prev / has_next without OFFSET, so page 10,000 costs what page 1 does.
 */
export interface KeysetSource<Row> {
  /** Up to `n` rows with id < bound (all rows when bound is undefined), highest id first. */
  older(bound: number | undefined, n: number): Row[];
  /** Up to `n` rows with id > bound, lowest id first. */
  newer(bound: number, n: number): Row[];
  idOf(row: Row): number;
}

export function keysetPage<Row>(src: KeysetSource<Row>, req: PageRequest): KeysetPage<Row> {
  if (req.before !== undefined) {
    const fetched = src.newer(req.before, req.limit + 1);
    const rows = fetched.slice(0, req.limit).reverse();
    const first = rows[0];
    const last = rows.at(-1);
    // An empty page (everything newer than the cursor deleted) pages on from the cursor itself.
    const afterId = last ? src.idOf(last) : req.before + 1;
    return {
      rows,
      hasPrev: fetched.length > req.limit,
      hasNext: src.older(afterId, 1).length > 0,
      beforeId: first === undefined ? undefined : src.idOf(first),
      afterId,
    };
  }
  const fetched = src.older(req.after, req.limit + 1);
  const rows = fetched.slice(0, req.limit);
  const first = rows[0];
  const last = rows.at(-1);
  // An empty page (everything older than the cursor deleted) pages back to the cursor's own row and newer.
  const beforeId = first ? src.idOf(first) : req.after === undefined ? undefined : req.after - 1;
  return {
    rows,
    hasPrev: req.after !== undefined && beforeId !== undefined && src.newer(beforeId, 1).length > 0,
    hasNext: fetched.length > req.limit,
    beforeId,
    afterId: last === undefined ? undefined : src.idOf(last),
  };
}
