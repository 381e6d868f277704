/**
 * Cursor paging (decision 9) of the four object listings: 35 items walked
 * forward with meta.after and back with meta.before in pages of 10, with no
 * gap and no repeat, also while new items are added between page calls.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, ok } from '../helpers/index.js';

const N = 35;
const LIMIT = 10;
/** More than any test adds: 35, two per forward page call, four on the way back. */
const MAX_ITEMS = 50;

interface Listing {
  name: string;
  url: string;
  /** Prepares the owner of the listing (parent object, user, child object). */
  setup(t: Test, app: FastifyInstance): Promise<void>;
  /** Adds the listing's item number `n` (a subscription or an object); the key it will show. */
  add(t: Test, app: FastifyInstance, n: number): Promise<string>;
  keyOf(item: any): string;
}

const key = (n: number) => `k${String(n).padStart(3, '0')}`;

const LISTINGS: Listing[] = [
  {
    name: 'objects of a type',
    url: '/v1/object/pg/',
    async setup() {},
    async add(t, app, n) {
      await ok(t, app, 'POST', `/v1/object/pg/${key(n)}/`, { n }, 201);
      return key(n);
    },
    keyOf: (o) => o.id,
  },
  {
    name: "an object's subscriptions (users and child objects mixed)",
    url: '/v1/object/teams/parent/subscription/',
    async setup(t, app) {
      await ok(t, app, 'POST', '/v1/object/teams/parent/', {}, 201);
    },
    async add(t, app, n) {
      if (n % 3 === 0) {
        await ok(t, app, 'POST', `/v1/object/children/${key(n)}/`, {}, 201);
        await ok(t, app, 'POST', '/v1/object/teams/parent/subscription/', { recipients: [{ id: key(n), object_type: 'children' }] }, 200);
      } else {
        await ok(t, app, 'POST', '/v1/object/teams/parent/subscription/', { recipients: [key(n)] }, 200);
      }
      return key(n);
    },
    keyOf: (i) => i.user?.distinct_id ?? i.object.id,
  },
  {
    name: "a user's subscribed_to/object",
    url: '/v1/user/walker/subscribed_to/object/',
    async setup(t, app) {
      await ok(t, app, 'POST', '/v1/user/walker/', {}, 201);
      // The parents are created in reverse, so an order by object would differ from the order by subscription.
      for (let n = MAX_ITEMS - 1; n >= 0; n--) await ok(t, app, 'POST', `/v1/object/parents/${key(n)}/`, {}, 201);
    },
    async add(t, app, n) {
      await ok(t, app, 'POST', `/v1/object/parents/${key(n)}/subscription/`, { recipients: ['walker'] }, 200);
      return key(n);
    },
    keyOf: (i) => i.object.id,
  },
  {
    name: "an object's subscribed_to/object",
    url: '/v1/object/kids/walker/subscribed_to/object/',
    async setup(t, app) {
      await ok(t, app, 'POST', '/v1/object/kids/walker/', {}, 201);
    },
    async add(t, app, n) {
      await ok(t, app, 'POST', `/v1/object/parents/${key(n)}/`, {}, 201);
      await ok(t, app, 'POST', `/v1/object/parents/${key(n)}/subscription/`, { recipients: [{ id: 'walker', object_type: 'kids' }] }, 200);
      return key(n);
    },
    keyOf: (i) => i.object.id,
  },
];

const withQuery = (url: string, q: Record<string, string>) => `${url}?${new URLSearchParams(q).toString()}`;

for (const listing of LISTINGS) {
  t.test(`${listing.name}: 35 items, pages of 10, forward and back`, async (t) => {
    const app = await build(t);
    await listing.setup(t, app);
    const added: string[] = [];
    for (let n = 0; n < N; n++) added.push(await listing.add(t, app, n));
    const newestFirst = added.slice().reverse();

    // Forward.
    const pages: string[][] = [];
    let page = await ok(t, app, 'GET', withQuery(listing.url, { limit: String(LIMIT) }), undefined, 200);
    t.equal(page.meta.has_prev, false, 'first page: has_prev false');
    t.equal(page.meta.before, null, 'first page: before null');
    for (;;) {
      t.equal(page.meta.count, N, 'count is the total, not the page size');
      t.equal(page.meta.limit, LIMIT);
      pages.push(page.results.map(listing.keyOf));
      if (!page.meta.has_next) break;
      t.type(page.meta.after, 'string', 'has_next: an after cursor');
      page = await ok(t, app, 'GET', withQuery(listing.url, { limit: String(LIMIT), after: page.meta.after }), undefined, 200);
      t.equal(page.meta.has_prev, true, 'later page: has_prev');
      if (pages.length > 10) break;
    }
    t.equal(page.meta.after, null, 'last page: after null');
    t.same(
      pages.map((p) => p.length),
      [10, 10, 10, 5],
      'page sizes',
    );
    t.same(pages.flat(), newestFirst, 'forward: every item once, newest first');

    // Back from the last page.
    const back: string[][] = [page.results.map(listing.keyOf)];
    while (page.meta.has_prev) {
      page = await ok(t, app, 'GET', withQuery(listing.url, { limit: String(LIMIT), before: page.meta.before }), undefined, 200);
      t.equal(page.meta.has_next, true, 'going back: has_next');
      back.unshift(page.results.map(listing.keyOf));
      if (back.length > 10) break;
    }
    t.same(back, pages, 'back: the same pages');
    t.equal(page.meta.before, null, 'first page again: before null');
  });

  t.test(`${listing.name}: no gap or repeat while items are added between page calls`, async (t) => {
    const app = await build(t);
    await listing.setup(t, app);
    const original: string[] = [];
    for (let n = 0; n < N; n++) original.push(await listing.add(t, app, n));
    let next = N;

    // Forward: new items are newer than the cursor, so the walk sees exactly the original ones.
    const seen: string[] = [];
    let page = await ok(t, app, 'GET', withQuery(listing.url, { limit: String(LIMIT) }), undefined, 200);
    seen.push(...page.results.map(listing.keyOf));
    while (page.meta.has_next) {
      await listing.add(t, app, next++);
      await listing.add(t, app, next++);
      page = await ok(t, app, 'GET', withQuery(listing.url, { limit: String(LIMIT), after: page.meta.after }), undefined, 200);
      t.equal(page.meta.count, next, 'count includes the items added meanwhile');
      seen.push(...page.results.map(listing.keyOf));
      if (seen.length > 200) break;
    }
    t.same(seen, original.slice().reverse(), 'forward: the original items, each once, in order');

    // Back: the walk reaches the newest items, including those added during it.
    const back: string[] = page.results.map(listing.keyOf);
    let inserts = 0;
    while (page.meta.has_prev) {
      if (inserts < 4) {
        await listing.add(t, app, next++);
        inserts++;
      }
      page = await ok(t, app, 'GET', withQuery(listing.url, { limit: String(LIMIT), before: page.meta.before }), undefined, 200);
      back.unshift(...page.results.map(listing.keyOf));
      if (back.length > 200) break;
    }
    const all = Array.from({ length: next }, (_, n) => key(n)).reverse();
    t.same(back, all, 'back: every item once (old and new), newest first');
    t.equal(new Set(back).size, back.length, 'no repeats');
  });
}

t.test('a cursor of one listing is refused by another', async (t) => {
  const app = await build(t);
  for (let n = 0; n < 3; n++) await ok(t, app, 'POST', `/v1/object/pg/${key(n)}/`, {}, 201);
  const page = await ok(t, app, 'GET', '/v1/object/pg/?limit=1', undefined, 200);
  await ok(t, app, 'POST', '/v1/user/u/', {}, 201);
  const res = await ok(t, app, 'GET', withQuery('/v1/user/u/subscribed_to/object/', { after: page.meta.after }), undefined, 400);
  t.match(res.message, /after/, 'names the parameter');
  await ok(t, app, 'GET', '/v1/object/pg/?limit=0', undefined, 400);
  await ok(t, app, 'GET', '/v1/object/pg/?limit=1001', undefined, 400);
  await ok(t, app, 'GET', `/v1/object/pg/?after=${page.meta.after}&before=${page.meta.after}`, undefined, 400);
});
