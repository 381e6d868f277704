/**
 * Bad requests to the object endpoints: each answers its 4xx in SuprSend's
 * short error form and changes nothing at all (decisions 4, 6, 7). Every
 * case runs against the same seeded database, compared row by row.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { dbSnapshot } from './fixtures/helpers.js';
import { build, call, expectApiError, ok } from '../helpers/index.js';

const SUBS = '/v1/object/teams/devs/subscription/';
const LONG = 'x'.repeat(256);
const ids = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

interface Case {
  name: string;
  status: number;
  message?: RegExp | string;
  method: string;
  url: string;
  body?: unknown;
  raw?: { payload: string; contentType: string };
}

const CASES: Case[] = [
  // Subscriptions.
  { name: '101 recipients', status: 400, message: /at most 100 recipients/, method: 'POST', url: SUBS, body: { recipients: ids(101) } },
  {
    name: 'subscription to a missing object',
    status: 404,
    message: "object 'teams/ghost' not found",
    method: 'POST',
    url: '/v1/object/teams/ghost/subscription/',
    body: { recipients: ['new1'] },
  },
  {
    name: 'an unknown child object (after valid recipients)',
    status: 404,
    message: "object 'teams/nochild' not found",
    method: 'POST',
    url: SUBS,
    body: {
      recipients: [
        'new1',
        { distinct_id: 'new2', name: 'N' },
        { id: 'frontend', object_type: 'teams' },
        { id: 'nochild', object_type: 'teams' },
      ],
      properties: { p: 1 },
    },
  },
  {
    name: 'an invalid inline user (bad email) after valid recipients',
    status: 400,
    message: /recipients\[2\].*email/,
    method: 'POST',
    url: SUBS,
    body: { recipients: ['new1', { id: 'frontend', object_type: 'teams' }, { distinct_id: 'new3', $email: ['not-an-email'] }] },
  },
  {
    name: 'an invalid inline user (bad phone)',
    status: 400,
    message: /E\.164/,
    method: 'POST',
    url: SUBS,
    body: { recipients: [{ distinct_id: 'member', $sms: ['12345'] }] },
  },
  {
    name: 'an invalid child upsert (bad timezone)',
    status: 400,
    message: /\$timezone/,
    method: 'POST',
    url: SUBS,
    body: { recipients: [{ id: 'frontend', object_type: 'teams', $timezone: 'Mars/Base' }] },
  },
  {
    name: 'an object subscribing to itself',
    status: 400,
    message: /itself/,
    method: 'POST',
    url: SUBS,
    body: { recipients: ['new1', { id: 'devs', object_type: 'teams' }] },
  },
  { name: 'no recipients key', status: 400, message: /recipients/, method: 'POST', url: SUBS, body: { properties: { a: 1 } } },
  { name: 'no body', status: 400, message: /recipients/, method: 'POST', url: SUBS },
  { name: 'recipients not a list', status: 400, message: /recipients/, method: 'POST', url: SUBS, body: { recipients: 'member' } },
  { name: 'an empty recipients list', status: 400, message: /at least one/, method: 'POST', url: SUBS, body: { recipients: [] } },
  { name: 'a numeric recipient', status: 400, message: /recipients/, method: 'POST', url: SUBS, body: { recipients: ['new1', 42] } },
  {
    name: 'a recipient object with neither distinct_id nor id',
    status: 400,
    message: /recipients/,
    method: 'POST',
    url: SUBS,
    body: { recipients: [{ name: 'x' }] },
  },
  {
    name: 'a recipient that is both user and object',
    status: 400,
    message: /not both/,
    method: 'POST',
    url: SUBS,
    body: { recipients: [{ distinct_id: 'u', id: 'frontend', object_type: 'teams' }] },
  },
  { name: 'a blank distinct_id', status: 400, message: /distinct_id/, method: 'POST', url: SUBS, body: { recipients: ['new1', '   '] } },
  { name: 'a distinct_id over 255 characters', status: 400, message: /255/, method: 'POST', url: SUBS, body: { recipients: [LONG] } },
  {
    name: 'a child with an empty object_type',
    status: 400,
    message: /object_type/,
    method: 'POST',
    url: SUBS,
    body: { recipients: [{ id: 'frontend', object_type: '' }] },
  },
  {
    name: 'properties not an object',
    status: 400,
    message: /properties/,
    method: 'POST',
    url: SUBS,
    body: { recipients: ['member'], properties: ['admin'] },
  },
  { name: 'invalid JSON', status: 400, method: 'POST', url: SUBS, raw: { payload: '{"recipients": [', contentType: 'application/json' } },
  {
    name: 'not JSON',
    status: 415,
    method: 'POST',
    url: SUBS,
    raw: { payload: 'recipients=a', contentType: 'application/x-www-form-urlencoded' },
  },
  // Removing subscriptions.
  { name: 'unsubscribe without recipients', status: 400, message: /recipients/, method: 'DELETE', url: SUBS },
  { name: 'unsubscribe with an empty list', status: 400, message: /at least one/, method: 'DELETE', url: SUBS, body: { recipients: [] } },
  {
    name: 'unsubscribe with 101 recipients',
    status: 400,
    message: /at most 100/,
    method: 'DELETE',
    url: SUBS,
    body: { recipients: ids(101) },
  },
  {
    name: 'unsubscribe on a missing object',
    status: 404,
    message: "object 'teams/ghost' not found",
    method: 'DELETE',
    url: '/v1/object/teams/ghost/subscription/',
    body: { recipients: ['member'] },
  },
  // Object edit and upsert.
  {
    name: 'PATCH with a bad email',
    status: 400,
    message: /email/,
    method: 'PATCH',
    url: '/v1/object/teams/devs/',
    body: { operations: [{ $set: { name: 'X' } }, { $append: { $email: 'nope@' } }] },
  },
  {
    name: 'PATCH with an unknown operator',
    status: 400,
    message: /\$frobnicate/,
    method: 'PATCH',
    url: '/v1/object/teams/devs/',
    body: { operations: [{ $set: { name: 'X' } }, { $frobnicate: {} }] },
  },
  {
    name: 'PATCH $add of a string',
    status: 400,
    message: /number/,
    method: 'PATCH',
    url: '/v1/object/teams/devs/',
    body: { operations: [{ $add: { size: 'three' } }] },
  },
  {
    name: 'PATCH with operations as an object',
    status: 400,
    message: /operations/,
    method: 'PATCH',
    url: '/v1/object/teams/devs/',
    body: { operations: { $set: { name: 'X' } } },
  },
  {
    name: 'PATCH with empty operations',
    status: 400,
    message: /^Request body must not be empty/,
    method: 'PATCH',
    url: '/v1/object/teams/devs/',
    body: { operations: [] },
  },
  {
    name: 'PATCH of a missing object',
    status: 404,
    message: "object 'teams/ghost' not found",
    method: 'PATCH',
    url: '/v1/object/teams/ghost/',
    body: { operations: [{ $set: { a: 1 } }] },
  },
  {
    name: 'upsert with a bad email',
    status: 400,
    message: /email/,
    method: 'POST',
    url: '/v1/object/teams/devs/',
    body: { name: 'X', $email: ['bad'] },
  },
  {
    name: 'upsert of a new object with a bad phone',
    status: 400,
    message: /E\.164/,
    method: 'POST',
    url: '/v1/object/teams/new/',
    body: { $whatsapp: ['0044'] },
  },
  {
    name: 'upsert with a channel that is not a list',
    status: 400,
    message: /\$email/,
    method: 'POST',
    url: '/v1/object/teams/devs/',
    body: { $email: 'a@b.com' },
  },
  { name: 'upsert body that is a list', status: 400, method: 'POST', url: '/v1/object/teams/devs/', body: [1, 2] },
  // Keys.
  {
    name: 'an id over 255 characters',
    status: 400,
    message: /id must be at most 255/,
    method: 'POST',
    url: `/v1/object/teams/${LONG}/`,
    body: {},
  },
  {
    name: 'an object_type over 255 characters',
    status: 400,
    message: /object_type must be at most 255/,
    method: 'GET',
    url: `/v1/object/${LONG}/`,
  },
  {
    name: 'a blank object_type',
    status: 400,
    message: /object_type must not be empty/,
    method: 'POST',
    url: '/v1/object/%20/x/',
    body: {},
  },
  { name: 'a blank id', status: 400, message: /id must not be empty/, method: 'GET', url: '/v1/object/teams/%20%20/' },
  { name: 'GET a missing object', status: 404, message: "object 'teams/ghost' not found", method: 'GET', url: '/v1/object/teams/ghost/' },
  {
    name: 'DELETE a missing object',
    status: 404,
    message: "object 'teams/ghost' not found",
    method: 'DELETE',
    url: '/v1/object/teams/ghost/',
  },
  // Bulk delete.
  { name: 'bulk delete without a body', status: 400, message: /object_ids/, method: 'DELETE', url: '/v1/bulk/object/teams/' },
  {
    name: 'bulk delete with object_ids not a list',
    status: 400,
    message: /object_ids/,
    method: 'DELETE',
    url: '/v1/bulk/object/teams/',
    body: { object_ids: 'devs' },
  },
  {
    name: 'bulk delete with an empty list',
    status: 400,
    message: /object_ids/,
    method: 'DELETE',
    url: '/v1/bulk/object/teams/',
    body: { object_ids: [] },
  },
  {
    name: 'bulk delete with a number in the list',
    status: 400,
    message: /object_ids/,
    method: 'DELETE',
    url: '/v1/bulk/object/teams/',
    body: { object_ids: ['devs', 7] },
  },
  // Listings.
  {
    name: 'a user listing for a missing user',
    status: 404,
    message: "User [distinct_id: 'ghost'] not found",
    method: 'GET',
    url: '/v1/user/ghost/subscribed_to/object/',
  },
  { name: 'a garbage cursor', status: 400, message: /after/, method: 'GET', url: `${SUBS}?after=bm90LWEtY3Vyc29y` },
  { name: 'a limit that is not a number', status: 400, message: /limit/, method: 'GET', url: '/v1/object/teams/?limit=ten' },
];

async function seeded(t: Test): Promise<FastifyInstance> {
  const app = await build(t);
  await ok(t, app, 'POST', '/v1/object/teams/devs/', { name: 'Devs', size: 3, $email: ['devs@example.com'] }, 201);
  await ok(t, app, 'POST', '/v1/object/teams/frontend/', { stack: 'react' }, 201);
  await ok(t, app, 'POST', '/v1/user/member/', { name: 'Member' }, 201);
  await ok(t, app, 'POST', SUBS, { recipients: ['member', { id: 'frontend', object_type: 'teams' }], properties: { role: 'x' } }, 200);
  return app;
}

t.test('each bad request answers its error and changes nothing', async (t) => {
  const app = await seeded(t);
  const before = dbSnapshot(app);
  const apiBefore = {
    devs: (await call(app, 'GET', '/v1/object/teams/devs/')).body,
    subs: (await call(app, 'GET', SUBS)).body,
    member: (await call(app, 'GET', '/v1/user/member/subscribed_to/object/')).body,
  };
  t.equal(apiBefore.devs.subscriptions_count, 2, 'seeded: two subscriptions');

  for (const c of CASES) {
    await t.test(c.name, async (t) => {
      const res = c.raw
        ? await app.inject({
            method: c.method as 'POST',
            url: c.url,
            headers: { authorization: 'Bearer api_key_a', 'content-type': c.raw.contentType },
            payload: c.raw.payload,
          })
        : (await call(app, c.method, c.url, c.body)).raw;
      const body = expectApiError(t, res, c.status, c.name);
      t.same(Object.keys(body).sort(), ['code', 'message'], 'the short error form');
      if (typeof c.message === 'string') t.equal(body.message, c.message, 'exact message');
      else if (c.message) t.match(body.message, c.message, 'message says what is wrong');
      t.same(dbSnapshot(app), before, 'no row changed');
    });
  }

  // Named checks of what the brief singles out, through the API too.
  for (const id of ['new1', 'new2', 'new3']) {
    t.equal((await call(app, 'GET', `/v1/user/${id}/`)).status, 404, `${id} was not created by a failed call`);
  }
  t.equal((await call(app, 'GET', '/v1/object/teams/new/')).status, 404, 'teams/new was not created');
  t.same((await call(app, 'GET', '/v1/object/teams/devs/')).body, apiBefore.devs, 'devs unchanged (count, properties, updated_at)');
  t.same((await call(app, 'GET', SUBS)).body, apiBefore.subs, 'subscriptions unchanged');
  t.same((await call(app, 'GET', '/v1/user/member/subscribed_to/object/')).body, apiBefore.member, "member's listing unchanged");
  t.same((await call(app, 'GET', '/v1/object/teams/frontend/')).body.properties, { stack: 'react' }, 'frontend not upserted');
});

t.test('the same valid call succeeds once the bad recipient is fixed', async (t) => {
  // Shows the failures above were about the bad recipient alone.
  const app = await seeded(t);
  const res = await ok(
    t,
    app,
    'POST',
    SUBS,
    { recipients: ['new1', { id: 'frontend', object_type: 'teams' }, { distinct_id: 'new3', $email: ['new3@example.com'] }] },
    200,
  );
  t.equal(res.results.length, 3);
  t.equal((await call(app, 'GET', '/v1/user/new3/')).status, 200, 'new3 exists now');
  t.equal((await call(app, 'GET', '/v1/object/teams/devs/')).body.subscriptions_count, 4);
});
