/**
 * Keyset paging against a model listing, while rows are deleted and inserted
 * between page calls: every page is the model's slice, has_prev / has_next say
 * whether the model has rows on that side, and a page that says it has a
 * previous (next) page always names a cursor that brings rows back, even when
 * deletes left it empty.
 */
import t from 'tap';
import fc from 'fast-check';
import type { KeysetPage, PageRequest } from '../../src/api/paging.js';
import { orderedKeysetPage, type SortOrder } from '../../src/lists/paging.js';

const SETTINGS = { seed: 20261202, numRuns: 400 };

type Step = { kind: 'next' } | { kind: 'prev' } | { kind: 'delete'; pick: number; count: number } | { kind: 'insert'; count: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant({ kind: 'next' as const }),
  fc.constant({ kind: 'prev' as const }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat(), count: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('insert' as const), count: fc.integer({ min: 1, max: 3 }) }),
);

/** Rows are their ids; the store hands them out as the SQL queries would. */
function pageOf(ids: number[], req: PageRequest, sort: SortOrder): KeysetPage<number> {
  const asc = [...ids].sort((a, b) => a - b);
  return orderedKeysetPage<number>(
    {
      below: (bound, n) =>
        asc
          .filter((id) => bound === undefined || id < bound)
          .reverse()
          .slice(0, n),
      above: (bound, n) => asc.filter((id) => id > bound).slice(0, n),
      idOf: (id) => id,
    },
    req,
    sort,
  );
}

/** What the page should be, worked out over the whole listing in its order. */
function expected(ids: number[], req: PageRequest, sort: SortOrder) {
  const listing = [...ids].sort((a, b) => (sort === '-id' ? b - a : a - b));
  /** Whether `id` comes after the cursor row `c` in listing order. */
  const after = (id: number, c: number) => (sort === '-id' ? id < c : id > c);
  const before = (id: number, c: number) => (sort === '-id' ? id > c : id < c);
  if (req.before !== undefined) {
    const earlier = listing.filter((id) => before(id, req.before!));
    const rows = earlier.slice(-req.limit);
    const first = rows[0];
    const last = rows.at(-1);
    return {
      rows,
      hasPrev: first !== undefined && listing.some((id) => before(id, first)),
      hasNext: last !== undefined ? listing.some((id) => after(id, last)) : listing.some((id) => !before(id, req.before!)),
    };
  }
  const later = req.after === undefined ? listing : listing.filter((id) => after(id, req.after!));
  const rows = later.slice(0, req.limit);
  const first = rows[0];
  const last = rows.at(-1);
  return {
    rows,
    hasPrev:
      req.after !== undefined &&
      (first !== undefined ? listing.some((id) => before(id, first)) : listing.some((id) => !after(id, req.after!))),
    hasNext: last !== undefined && listing.some((id) => after(id, last)),
  };
}

function walk(sort: SortOrder, limit: number, initial: number, steps: Step[]): string | undefined {
  let ids = Array.from({ length: initial }, (_, i) => i + 1);
  let nextId = initial + 1;
  let req: PageRequest = { limit };
  for (const step of [{ kind: 'next' } as Step, ...steps]) {
    if (step.kind === 'delete') {
      ids = ids.filter((_, i) => i < step.pick % Math.max(ids.length, 1) || i >= (step.pick % Math.max(ids.length, 1)) + step.count);
      continue;
    }
    if (step.kind === 'insert') {
      for (let i = 0; i < step.count; i++) ids.push(nextId++);
      continue;
    }
    const page = pageOf(ids, req, sort);
    const want = expected(ids, req, sort);
    const at = `${sort} ${JSON.stringify(req)} over [${ids.join(',')}]`;
    if (JSON.stringify(page.rows) !== JSON.stringify(want.rows)) return `${at}: rows ${page.rows} instead of ${want.rows}`;
    if (page.hasPrev !== want.hasPrev) return `${at}: has_prev ${page.hasPrev}`;
    if (page.hasNext !== want.hasNext) return `${at}: has_next ${page.hasNext}`;
    if (page.hasPrev) {
      if (page.beforeId === undefined) return `${at}: has_prev without a before cursor`;
      if (pageOf(ids, { limit, before: page.beforeId }, sort).rows.length === 0) return `${at}: before cursor brings no rows`;
    }
    if (page.hasNext) {
      if (page.afterId === undefined) return `${at}: has_next without an after cursor`;
      if (pageOf(ids, { limit, after: page.afterId }, sort).rows.length === 0) return `${at}: after cursor brings no rows`;
    }
    if (step.kind === 'next' && page.hasNext) req = { limit, after: page.afterId! };
    if (step.kind === 'prev' && page.hasPrev) req = { limit, before: page.beforeId! };
  }
  return undefined;
}

for (const sort of ['-id', 'id'] as const) {
  t.test(`pages (sort=${sort}) match the listing and their cursors stay usable across deletes`, async (t) => {
    const details = fc.check(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(stepArb, { maxLength: 30 }),
        (limit, n, steps) => {
          const problem = walk(sort, limit, n, steps);
          if (problem) throw new Error(problem);
        },
      ),
      SETTINGS,
    );
    t.notOk(details.failed, details.failed ? (fc.defaultReportMessage(details) ?? 'failed') : `held over ${details.numRuns} walks`);
  });
}

t.test('the page left empty by deleting the rest of the listing pages back to the rows before it', async (t) => {
  // Pages of 2 over 1..6 newest first: [6,5] [4,3] [2,1]; rows 1 and 2 go while the client holds page two's cursor.
  const second = pageOf([1, 2, 3, 4, 5, 6], { limit: 2, after: 5 }, '-id');
  t.same(second.rows, [4, 3]);
  const third = pageOf([3, 4, 5, 6], { limit: 2, after: second.afterId! }, '-id');
  t.same(third.rows, []);
  t.equal(third.hasPrev, true);
  t.same(pageOf([3, 4, 5, 6], { limit: 2, before: third.beforeId! }, '-id').rows, [4, 3], 'back to page two');
});
