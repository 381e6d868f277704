/**
 * Cursor paging when the rows around a cursor are deleted while a client holds
 * it: every listing with cursors, walked with pages of 2 over 6 items. When the
 * last page is deleted, the page the held `after` cursor brings is empty but
 * says has_prev with a `before` that leads back to the page before it; the
 * same, mirrored, for a held `before` cursor when the first page is deleted.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, ok } from '../helpers/index.js';

interface Listing {
  name: string;
  url: string;
  setup?(t: Test, app: FastifyInstance): Promise<void>;
  add(t: Test, app: FastifyInstance, key: string): Promise<void>;
  remove(t: Test, app: FastifyInstance, key: string): Promise<void>;
  keyOf(item: any): string;
}

const LIST = '/v1/subscriber_list/walkers/';
const listSetup = async (t: Test, app: FastifyInstance) => {
  await ok(t, app, 'POST', '/v1/subscriber_list/', { list_id: 'walkers' }, 201);
};
const member = {
  setup: listSetup,
  add: async (t: Test, app: FastifyInstance, key: string) => {
    await ok(t, app, 'POST', `${LIST}subscriber/add/`, { distinct_ids: [key] }, 201);
  },
  remove: async (t: Test, app: FastifyInstance, key: string) => {
    await ok(t, app, 'POST', `${LIST}subscriber/remove/`, { distinct_ids: [key] }, 201);
  },
  keyOf: (m: any) => m.distinct_id,
};

const LISTINGS: Listing[] = [
  {
    name: 'users',
    url: '/v1/user/',
    add: async (t, app, key) => void (await ok(t, app, 'POST', `/v1/user/${key}/`, {}, 201)),
    remove: async (t, app, key) => void (await ok(t, app, 'DELETE', `/v1/user/${key}/`, undefined, 204)),
    keyOf: (u) => u.distinct_id,
  },
  {
    name: 'objects of a type',
    url: '/v1/object/pg/',
    add: async (t, app, key) => void (await ok(t, app, 'POST', `/v1/object/pg/${key}/`, {}, 201)),
    remove: async (t, app, key) => void (await ok(t, app, 'DELETE', `/v1/object/pg/${key}/`, undefined, 204)),
    keyOf: (o) => o.id,
  },
  {
    name: "an object's subscriptions",
    url: '/v1/object/teams/parent/subscription/',
    setup: async (t, app) => void (await ok(t, app, 'POST', '/v1/object/teams/parent/', {}, 201)),
    add: async (t, app, key) => void (await ok(t, app, 'POST', '/v1/object/teams/parent/subscription/', { recipients: [key] }, 200)),
    remove: async (t, app, key) => void (await ok(t, app, 'DELETE', '/v1/object/teams/parent/subscription/', { recipients: [key] }, 204)),
    keyOf: (s) => s.user.distinct_id,
  },
  {
    name: "a user's subscribed_to/object",
    url: '/v1/user/walker/subscribed_to/object/',
    setup: async (t, app) => void (await ok(t, app, 'POST', '/v1/user/walker/', {}, 201)),
    add: async (t, app, key) => {
      await ok(t, app, 'POST', `/v1/object/parents/${key}/`, {}, 201);
      await ok(t, app, 'POST', `/v1/object/parents/${key}/subscription/`, { recipients: ['walker'] }, 200);
    },
    remove: async (t, app, key) => void (await ok(t, app, 'DELETE', `/v1/object/parents/${key}/`, undefined, 204)),
    keyOf: (s) => s.object.id,
  },
  {
    name: "an object's subscribed_to/object",
    url: '/v1/object/kids/walker/subscribed_to/object/',
    setup: async (t, app) => void (await ok(t, app, 'POST', '/v1/object/kids/walker/', {}, 201)),
    add: async (t, app, key) => {
      await ok(t, app, 'POST', `/v1/object/parents/${key}/`, {}, 201);
      await ok(t, app, 'POST', `/v1/object/parents/${key}/subscription/`, { recipients: [{ id: 'walker', object_type: 'kids' }] }, 200);
    },
    remove: async (t, app, key) => void (await ok(t, app, 'DELETE', `/v1/object/parents/${key}/`, undefined, 204)),
    keyOf: (s) => s.object.id,
  },
  { name: 'list members, newest first', url: `${LIST}subscriber/`, ...member },
  { name: 'list members, oldest first', url: `${LIST}subscriber/?sort=id`, ...member },
  {
    name: "a user's subscribed_to/list",
    url: '/v1/user/walker/subscribed_to/list/',
    setup: async (t, app) => void (await ok(t, app, 'POST', '/v1/user/walker/', {}, 201)),
    add: async (t, app, key) => {
      await ok(t, app, 'POST', '/v1/subscriber_list/', { list_id: key }, 201);
      await ok(t, app, 'POST', `/v1/subscriber_list/${key}/subscriber/add/`, { distinct_ids: ['walker'] }, 201);
    },
    remove: async (t, app, key) =>
      void (await ok(t, app, 'POST', `/v1/subscriber_list/${key}/subscriber/remove/`, { distinct_ids: ['walker'] }, 201)),
    keyOf: (m) => m.list.list_id,
  },
];

interface Page {
  meta: { has_prev: boolean; before: string | null; has_next: boolean; after: string | null };
  results: unknown[];
}

const withParam = (url: string, param: string) => `${url}${url.includes('?') ? '&' : '?'}limit=2&${param}`;

async function pages(t: Test, app: FastifyInstance, l: Listing) {
  const get = async (param: string) => {
    const page = await ok<Page>(t, app, 'GET', withParam(l.url, param), undefined, 200);
    return { meta: page.meta, keys: page.results.map(l.keyOf) };
  };
  return {
    get,
    after: (p: { meta: Page['meta'] }) => get(`after=${encodeURIComponent(p.meta.after!)}`),
    before: (p: { meta: Page['meta'] }) => get(`before=${encodeURIComponent(p.meta.before!)}`),
  };
}

async function fresh(t: Test, l: Listing) {
  const app = await build(t);
  await l.setup?.(t, app);
  for (let n = 1; n <= 6; n++) await l.add(t, app, `k${n}`);
  return { app, walk: await pages(t, app, l) };
}

for (const l of LISTINGS) {
  t.test(`${l.name}: the last page deleted under a held after cursor`, async (t) => {
    const { app, walk } = await fresh(t, l);
    const first = await walk.get('');
    const second = await walk.after(first);
    const third = await walk.after(second);
    t.equal(third.keys.length, 2);
    for (const key of third.keys) await l.remove(t, app, key);

    const empty = await walk.after(second);
    t.same(empty.keys, [], 'the held cursor now brings an empty page');
    t.equal(empty.meta.has_next, false);
    t.equal(empty.meta.has_prev, true);
    t.type(empty.meta.before, 'string', 'has_prev comes with a before cursor');
    const back = await walk.before(empty);
    t.same(back.keys, second.keys, 'which leads back to the page before it');
    t.equal(back.meta.has_next, false, 'which now is the last page');
  });

  t.test(`${l.name}: the first page deleted under a held before cursor`, async (t) => {
    const { app, walk } = await fresh(t, l);
    const first = await walk.get('');
    const second = await walk.after(first);
    for (const key of first.keys) await l.remove(t, app, key);

    const empty = await walk.before(second);
    t.same(empty.keys, [], 'the held cursor now brings an empty page');
    t.equal(empty.meta.has_prev, false);
    t.equal(empty.meta.has_next, true);
    t.type(empty.meta.after, 'string', 'has_next comes with an after cursor');
    t.same((await walk.after(empty)).keys, second.keys, 'which leads on to the page after it');
  });
}
