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
  let rows: Row[];
  let hasPrev: boolean;
  let hasNext: boolean;
  if (req.before !== undefined) {
    const fetched = src.newer(req.before, req.limit + 1);
    hasPrev = fetched.length > req.limit;
    rows = fetched.slice(0, req.limit).reverse();
    const last = rows.at(-1);
    hasNext = src.older(last ? src.idOf(last) : req.before + 1, 1).length > 0;
  } else {
    const fetched = src.older(req.after, req.limit + 1);
    hasNext = fetched.length > req.limit;
    rows = fetched.slice(0, req.limit);
    const first = rows[0];
    hasPrev = req.after === undefined ? false : src.newer(first ? src.idOf(first) : req.after - 1, 1).length > 0;
  }
  const first = rows[0];
  const last = rows.at(-1);
  return {
    rows,
    hasPrev,
    hasNext,
    firstId: first === undefined ? undefined : src.idOf(first),
    lastId: last === undefined ? undefined : src.idOf(last),
  };
}
