/**
 * Cursor paging of the list-subscriber listing (both sorts) and of a user's
 * subscribed_to/list: every row exactly once, in order, forward and back,
 * also while new rows arrive between page calls.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { addMembers, createList, matchesUpstream, type SubscribedList, type Subscriber } from './fixtures/helpers.js';
import { bearer, build, type CursorPage, expectJson, TIMESTAMP } from '../helpers/index.js';

const LIST = 'paged';
const PAGE = 10;
const TOTAL = 35;
const pad = (i: number) => String(i).padStart(2, '0');
/** m01 … m35, added one call at a time so that m01 is the oldest membership. */
const MEMBERS = Array.from({ length: TOTAL }, (_, i) => `m${pad(i + 1)}`);

type Sort = 'id' | '-id';
type Row = { key: string };
interface Walk {
  /** Rows in listing order. */
  keys: string[];
  pages: CursorPage<Row>[];
}

/** Fetches one page; `cursor` is `after=…` or `before=…`. */
type Fetch = (cursor: string | undefined) => Promise<CursorPage<Row>>;

function subscriberFetch(t: Test, app: FastifyInstance, sort: Sort | undefined): Fetch {
  return async (cursor) => {
    const q = [`limit=${PAGE}`, ...(sort ? [`sort=${sort}`] : []), ...(cursor ? [cursor] : [])].join('&');
    const body = expectJson<CursorPage<Subscriber>>(
      t,
      await bearer(app, 'GET', `/v1/subscriber_list/${LIST}/subscriber/?${q}`),
      200,
      `page ${q}`,
    );
    return { meta: body.meta, results: body.results.map((r) => ({ ...r, key: r.distinct_id })) };
  };
}

function subscribedFetch(t: Test, app: FastifyInstance, distinctId: string): Fetch {
  return async (cursor) => {
    const q = [`limit=${PAGE}`, ...(cursor ? [cursor] : [])].join('&');
    const res = await bearer(app, 'GET', `/v1/user/${distinctId}/subscribed_to/list/?${q}`);
    const body = expectJson<CursorPage<SubscribedList>>(t, res, 200, `subscribed_to page ${q}`);
    return { meta: body.meta, results: body.results.map((r) => ({ ...r, key: r.list.list_id })) };
  };
}

/** Walks from the first page along meta.after; `between` runs after every page that has a next one. */
async function forward(fetch: Fetch, between?: () => Promise<void>): Promise<Walk> {
  const walk: Walk = { keys: [], pages: [] };
  let page = await fetch(undefined);
  for (let i = 0; i < 100; i++) {
    walk.pages.push(page);
    walk.keys.push(...page.results.map((r) => r.key));
    if (!page.meta.has_next) return walk;
    if (!page.meta.after) throw new Error('has_next without an after cursor');
    if (between) await between();
    page = await fetch(`after=${encodeURIComponent(page.meta.after)}`);
  }
  throw new Error('the forward walk did not end');
}

/** Walks back from `last` along meta.before; returns the rows in listing order. */
async function backward(fetch: Fetch, last: CursorPage<Row>, between?: () => Promise<void>): Promise<Walk> {
  const walk: Walk = { keys: last.results.map((r) => r.key), pages: [last] };
  let page = last;
  for (let i = 0; i < 100; i++) {
    if (!page.meta.has_prev) return walk;
    if (!page.meta.before) throw new Error('has_prev without a before cursor');
    if (between) await between();
    page = await fetch(`before=${encodeURIComponent(page.meta.before)}`);
    walk.pages.unshift(page);
    walk.keys.unshift(...page.results.map((r) => r.key));
  }
  throw new Error('the backward walk did not end');
}

const lastOf = (walk: Walk) => walk.pages.at(-1)!;
const dupes = (keys: string[]) => keys.filter((k, i) => keys.indexOf(k) !== i);

async function listWithMembers(t: Test): Promise<FastifyInstance> {
  const app = await build(t);
  await createList(t, app, LIST);
  for (const m of MEMBERS) await addMembers(t, app, LIST, [m]);
  return app;
}

/** Page sizes and flags of a full walk over 35 rows: 10, 10, 10, 5. */
function checkShape(t: Test, walk: Walk, total: number) {
  t.strictSame(
    walk.pages.map((p) => p.results.length),
    [10, 10, 10, 5],
    'pages of 10, 10, 10 and 5',
  );
  t.strictSame(
    walk.pages.map((p) => p.meta.count),
    [total, total, total, total],
    'meta.count is the whole listing on every page',
  );
  t.strictSame(
    walk.pages.map((p) => p.meta.limit),
    [PAGE, PAGE, PAGE, PAGE],
  );
  t.strictSame(
    walk.pages.map((p) => p.meta.has_prev),
    [false, true, true, true],
    'has_prev on all but the first page',
  );
  t.strictSame(
    walk.pages.map((p) => p.meta.has_next),
    [true, true, true, false],
    'has_next on all but the last page',
  );
  t.equal(walk.pages[0]!.meta.before, null, 'no before cursor on the first page');
  t.equal(lastOf(walk).meta.after, null, 'no after cursor on the last page');
}

for (const sort of ['-id', 'id', undefined] as const) {
  const label = sort ?? 'default (-id)';
  const expected = sort === 'id' ? MEMBERS : [...MEMBERS].reverse();

  t.test(`subscribers, sort ${label}: 35 members forward and back in pages of 10`, async (t) => {
    const app = await listWithMembers(t);
    const fetch = subscriberFetch(t, app, sort);
    const fwd = await forward(fetch);
    t.strictSame(fwd.keys, expected, 'forward: every member once, in order');
    checkShape(t, fwd, TOTAL);
    const first = fwd.pages[0] as CursorPage<Subscriber & Row>;
    t.match(first.results[0]!.created_at, TIMESTAMP);
    t.strictSame(
      Object.keys(first.results[0]!)
        .filter((k) => k !== 'key')
        .sort(),
      ['created_at', 'distinct_id', 'id'],
      'a result is {id, distinct_id, created_at}',
    );
    matchesUpstream(t, 'subscribers_200', { meta: first.meta, results: first.results.map(({ key: _k, ...r }) => r) });

    const back = await backward(fetch, lastOf(fwd));
    t.strictSame(back.keys, expected, 'backward from the last page: every member once, in order');
    t.strictSame(
      back.pages.map((p) => p.results.map((r) => r.key)),
      fwd.pages.map((p) => p.results.map((r) => r.key)),
      'the same pages',
    );
    t.equal(back.pages[0]!.meta.has_prev, false, 'the first page reached going back has no previous page');
    t.equal(back.pages[0]!.meta.before, null);

    // A result's id works as a cursor, as in upstream's example (?before=<id>).
    const tenth = fwd.pages[0]!.results[PAGE - 1] as Subscriber & Row;
    const fromId = await fetch(`after=${encodeURIComponent(tenth.id)}`);
    t.strictSame(
      fromId.results.map((r) => r.key),
      expected.slice(PAGE, 2 * PAGE),
      'after=<id of the 10th> is the second page',
    );
  });

  t.test(`subscribers, sort ${label}: members added between page calls neither repeat nor displace`, async (t) => {
    const app = await listWithMembers(t);
    const fetch = subscriberFetch(t, app, sort);
    let n = 0;
    const inserted: string[] = [];
    const insert = async () => {
      const ids = [1, 2, 3].map(() => `new${pad(++n)}`);
      inserted.push(...ids);
      await addMembers(t, app, LIST, ids);
    };

    const fwd = await forward(fetch, insert);
    t.equal(dupes(fwd.keys).length, 0, 'forward: nothing seen twice');
    t.strictSame(fwd.keys.slice(0, TOTAL), expected, 'forward: the 35 members, in order, none skipped');
    // Newest first, new members sit before page 1; oldest first, they come after the 35.
    t.strictSame(
      fwd.keys.slice(TOTAL),
      sort === 'id' ? inserted : [],
      sort === 'id' ? 'then the new ones, in the order added' : 'and no new one',
    );
    t.equal(lastOf(fwd).meta.count, TOTAL + inserted.length, 'count includes the members added meanwhile');

    const before = inserted.length;
    const back = await backward(fetch, lastOf(fwd), insert);
    const added = inserted.slice(before);
    t.ok(added.length > 0, 'members were added during the backward walk');
    t.equal(dupes(back.keys).length, 0, 'backward: nothing seen twice');
    if (sort === 'id') {
      t.strictSame(back.keys, [...expected, ...inserted.slice(0, before)], 'backward: exactly the rows up to the start point, in order');
    } else {
      // Walking back towards the newest rows reaches those added meanwhile last, before the 35.
      const newest = [...inserted].reverse();
      t.strictSame(back.keys, [...newest, ...expected], 'backward: the new members first, then the 35 in order');
    }
  });
}

t.test("a user's subscribed_to/list: 35 lists forward and back, also while lists are joined between calls", async (t) => {
  const app = await build(t);
  expectJson(t, await bearer(app, 'POST', '/v1/user/walker/', { name: 'W' }), 201, 'create user');
  const lists = Array.from({ length: TOTAL }, (_, i) => `list_${pad(i + 1)}`);
  for (const l of lists) {
    await createList(t, app, l);
    await addMembers(t, app, l, ['walker']);
  }
  const fetch = subscribedFetch(t, app, 'walker');
  const expected = [...lists].reverse(); // newest membership first

  const fwd = await forward(fetch);
  t.strictSame(fwd.keys, expected, 'forward: every list once, newest membership first');
  checkShape(t, fwd, TOTAL);
  matchesUpstream(t, 'subscribed_to_list_200', {
    meta: fwd.pages[1]!.meta,
    results: (fwd.pages[1]!.results as Array<SubscribedList & Row>).map(({ key: _k, ...r }) => r),
  });
  const back = await backward(fetch, lastOf(fwd));
  t.strictSame(back.keys, expected, 'backward: every list once, in order');

  let n = 0;
  const joined: string[] = [];
  const join = async () => {
    const l = `late_${pad(++n)}`;
    joined.push(l);
    await createList(t, app, l);
    await addMembers(t, app, l, ['walker']);
  };
  const fwd2 = await forward(fetch, join);
  t.equal(joined.length, 3, 'a list was joined after each of the first three pages');
  t.strictSame(fwd2.keys, expected, 'forward while joining: exactly the 35, none repeated or displaced');
  t.equal(lastOf(fwd2).meta.count, TOTAL + joined.length);

  const back2 = await backward(fetch, lastOf(fwd2), join);
  t.strictSame(back2.keys, [...[...joined].reverse(), ...expected], 'backward while joining: the new lists first, then the 35 in order');
  t.equal(dupes(back2.keys).length, 0);
});

t.test('cursor errors: both cursors, a foreign cursor, garbage', async (t) => {
  const app = await listWithMembers(t);
  const first = await subscriberFetch(t, app, '-id')(undefined);
  const after = encodeURIComponent(first.meta.after!);
  expectJson(t, await bearer(app, 'POST', '/v1/user/m01/', {}), 201, 'create user m01');
  for (const [what, url, form] of [
    ['both after and before', `/v1/subscriber_list/${LIST}/subscriber/?after=${after}&before=${after}`, 'long'],
    ['garbage cursor', `/v1/subscriber_list/${LIST}/subscriber/?after=%%%`, 'long'],
    ["another listing's cursor", `/v1/subscriber_list/${LIST}/subscriber/?after=${Buffer.from('user:1').toString('base64url')}`, 'long'],
    ['a subscriber cursor on subscribed_to/list', `/v1/user/m01/subscribed_to/list/?after=${after}`, 'short'],
  ] as const) {
    const res = await bearer(app, 'GET', url);
    const body = expectJson<Record<string, unknown>>(t, res, 400, what);
    t.equal(body.code, 400);
    t.equal(typeof body.message, 'string');
    t.equal('error_code' in body, form === 'long', `${what}: ${form} error form`);
  }
});
