import { badRequest } from './errors.js';
import { DEFAULT_PAGE_SIZE, type KeysetPage, type PageRequest } from './paging.js';

/**
 * Opaque cursors for keyset paging. A cursor names the row it was taken at, so
 * a page costs the same anywhere in a listing and rows inserted meanwhile
 * neither repeat nor go missing.
 */
export function encodeCursor(kind: string, rowId: number): string {
  // Row ids start at 1, so a bound below 0 (one past a cursor of 0) selects what 0 does.
  return Buffer.from(`${kind}:${Math.max(0, rowId)}`, 'utf8').toString('base64url');
}

function decodeCursor(kind: string, cursor: string, param: 'after' | 'before'): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^([a-z_]+):(\d{1,15})$/.exec(text);
  if (!m || m[1] !== kind) throw badRequest(`${param}: not a cursor of this listing; pass meta.${param} from a previous page`);
  return Number(m[2]);
}

export interface CursorPage<T> {
  meta: { count: number; limit: number; has_prev: boolean; before: string | null; has_next: boolean; after: string | null };
  results: T[];
}

/** The `{meta, results}` answer of a cursor listing, from a keyset page and the listing's total. */
export function cursorPage<Row, T>(
  kind: string,
  count: number,
  req: PageRequest,
  page: KeysetPage<Row>,
  toWire: (row: Row) => T,
): CursorPage<T> {
  return {
    meta: {
      count,
      limit: req.limit,
      has_prev: page.hasPrev,
      before: page.hasPrev && page.beforeId !== undefined ? encodeCursor(kind, page.beforeId) : null,
      has_next: page.hasNext,
      after: page.hasNext && page.afterId !== undefined ? encodeCursor(kind, page.afterId) : null,
    },
    results: page.rows.map(toWire),
  };
}

/** Turns `?limit&after&before` into a PageRequest, rejecting both cursors at once. */
export function pageRequest(kind: string, q: { limit?: number; after?: string; before?: string }): PageRequest {
  if (q.after !== undefined && q.before !== undefined) throw badRequest('pass either after or before, not both');
  return {
    limit: q.limit ?? DEFAULT_PAGE_SIZE,
    ...(q.after ? { after: decodeCursor(kind, q.after, 'after') } : {}),
    ...(q.before ? { before: decodeCursor(kind, q.before, 'before') } : {}),
  };
}
