/**
 * Bad input on the subscriber-list routes: a 400 (or 404, 405) in
 * SuprSend's long error form, and nothing changed afterwards.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { addMembers, createList, matchesUpstream, upstreamExamples, type ListObject } from './fixtures/helpers.js';
import { bearer, build, expectApiError, expectJson, WS_A } from '../helpers/index.js';

const API_KEY = WS_A.api_keys[0]!;
const LIST = 'stable';

/** A list with two members and a draft holding one. */
async function seeded(t: Test): Promise<{ app: FastifyInstance; version: string }> {
  const app = await build(t);
  await createList(t, app, LIST, { list_name: 'Stable', list_description: 'do not touch' });
  await addMembers(t, app, LIST, ['u1', 'u2']);
  const draft = expectJson<ListObject>(t, await bearer(app, 'POST', `/v1/subscriber_list/${LIST}/start_sync/`, {}), 201, 'start_sync');
  expectJson(
    t,
    await bearer(app, 'POST', `/v1/subscriber_list/${LIST}/version/${draft.version_id}/subscriber/add/`, { distinct_ids: ['d1'] }),
    201,
    'draft add',
  );
  return { app, version: draft.version_id! };
}

/** Everything a client can see of the workspace's lists. */
async function snapshot(app: FastifyInstance, version: string) {
  const get = async (url: string) => {
    const res = await bearer(app, 'GET', url);
    return `${res.statusCode} ${res.body}`;
  };
  return {
    all: await get('/v1/subscriber_list/?limit=1000'),
    list: await get(`/v1/subscriber_list/${LIST}/`),
    members: await get(`/v1/subscriber_list/${LIST}/subscriber/?limit=1000`),
    draft: await get(`/v1/subscriber_list/${LIST}/version/${version}/`),
  };
}

/** Asserts the long error form; returns the body. */
function expectLong(t: Test, res: Awaited<ReturnType<typeof bearer>>, status: number, what: string) {
  const body = expectApiError(t, res, status, what);
  t.strictSame(Object.keys(body).sort(), ['code', 'detail', 'error_code', 'message', 'type'], `${what}: long form`);
  return body;
}

const pythonJson = (detail: Record<string, string[]>) =>
  `{${Object.entries(detail)
    .map(([k, v]) => `"${k}": [${v.map((m) => JSON.stringify(m)).join(', ')}]`)
    .join(', ')}}`;

t.test('invalid list_id on create: 400 long form with detail {"list_id": [...]}', async (t) => {
  const { app, version } = await seeded(t);
  const before = await snapshot(app, version);
  const cases: Array<[string, unknown, RegExp]> = [
    ['too long (65 characters)', 'a'.repeat(65), /^Ensure this field has no more than 64 characters\.$/],
    ['blank', '', /^This field may not be blank\.$/],
    ['only spaces', '   ', /^This field may not be blank\.$/],
    ['a space inside', 'has space', /letters, digits/],
    ['a dot', 'a.b', /letters, digits/],
    ['a slash', 'a/b', /letters, digits/],
    ['non-ASCII', 'liste_ü', /letters, digits/],
    ['a number', 123, /^Not a valid string\.$/],
    ['null', null, /^This field may not be null\.$/],
  ];
  for (const [what, listId, message] of cases) {
    const res = await bearer(app, 'POST', '/v1/subscriber_list/', { list_id: listId, list_name: 'x' });
    const body = expectLong(t, res, 400, what);
    t.equal(body.error_code, 'error');
    t.equal(body.type, 'ValidationError');
    const detail = body.detail as Record<string, string[]>;
    t.strictSame(Object.keys(detail), ['list_id'], `${what}: detail names list_id only`);
    t.ok(detail.list_id!.length >= 1 && detail.list_id!.every((m) => typeof m === 'string'), `${what}: a list of messages`);
    t.match(detail.list_id![0], message, `${what}: message`);
    t.equal(body.message, pythonJson(detail), `${what}: message is the detail as JSON`);
  }

  // The documented example, exactly.
  const blank = JSON.parse((await bearer(app, 'POST', '/v1/subscriber_list/', { list_id: '' })).body) as unknown;
  t.strictSame(
    blank,
    {
      code: 400,
      error_code: 'error',
      type: 'ValidationError',
      message: '{"list_id": ["This field may not be blank."]}',
      detail: { list_id: ['This field may not be blank.'] },
    },
    'blank list_id: the documented error body',
  );

  const missing = expectLong(t, await bearer(app, 'POST', '/v1/subscriber_list/', { list_name: 'no id' }), 400, 'missing list_id');
  t.strictSame(missing.detail, { list_id: ['This field is required.'] });
  const noBody = expectLong(t, await bearer(app, 'POST', '/v1/subscriber_list/'), 400, 'no body');
  t.ok(typeof noBody.detail === 'object' && noBody.detail !== null, 'no body: field errors');
  const arrayBody = expectLong(t, await bearer(app, 'POST', '/v1/subscriber_list/', [{ list_id: 'x' }]), 400, 'an array body');
  t.strictSame(Object.keys(arrayBody.detail as object), ['non_field_errors']);
  const badName = expectLong(
    t,
    await bearer(app, 'POST', '/v1/subscriber_list/', { list_id: 'fine', list_name: 5 }),
    400,
    'list_name a number',
  );
  t.strictSame(Object.keys(badName.detail as object), ['list_name']);
  const badFlag = expectLong(
    t,
    await bearer(app, 'POST', '/v1/subscriber_list/', { list_id: 'fine', track_user_entry: 'yes' }),
    400,
    'flag a string',
  );
  t.strictSame(Object.keys(badFlag.detail as object), ['track_user_entry']);
  expectLong(
    t,
    await app.inject({
      method: 'POST',
      url: '/v1/subscriber_list/',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      payload: '{"list_id": ',
    }),
    400,
    'invalid JSON',
  );

  t.strictSame(await snapshot(app, version), before, 'nothing changed');
});

t.test('valid list_ids at the edges: 64 characters, mixed case, padded', async (t) => {
  const app = await build(t);
  const long = `A_-${'b'.repeat(61)}`;
  t.equal((await createList(t, app, long)).list_id, long.toLowerCase(), '64 characters: stored lower-cased');
  t.equal((await createList(t, app, '  Padded-ID_9  ')).list_id, 'padded-id_9', 'trimmed and lower-cased');
  t.equal(
    expectJson<ListObject>(t, await bearer(app, 'GET', '/v1/subscriber_list/PADDED-ID_9/'), 200, 'get by upper case').list_id,
    'padded-id_9',
  );
  const upsert = await createList(t, app, 'PADDED-id_9', { list_name: 'renamed' });
  t.equal(upsert.list_name, 'renamed', 'creating an existing list_id (any case) updates it');
  t.equal(upsert.list_description, '', 'fields not sent keep their value');
  const all = expectJson<{ meta: { count: number } }>(t, await bearer(app, 'GET', '/v1/subscriber_list/'), 200, 'get all');
  t.equal(all.meta.count, 2, 'the upsert did not make a second list');
});

t.test('unknown list on every route: 404 long form "list_id: <id> not found"', async (t) => {
  const { app, version } = await seeded(t);
  const before = await snapshot(app, version);
  const ids = { distinct_ids: ['u1'] };
  const routes: Array<[InjectOptions['method'] & string, string, unknown]> = [
    ['GET', '/v1/subscriber_list/nope/', undefined],
    ['DELETE', '/v1/subscriber_list/nope/', undefined],
    ['PATCH', '/v1/subscriber_list/nope/delete/', {}],
    ['POST', '/v1/subscriber_list/nope/subscriber/add/', ids],
    ['POST', '/v1/subscriber_list/nope/subscriber/remove/', ids],
    ['GET', '/v1/subscriber_list/nope/subscriber/', undefined],
    ['POST', '/v1/subscriber_list/nope/start_sync/', {}],
    ['GET', `/v1/subscriber_list/nope/version/${version}/`, undefined],
    ['DELETE', `/v1/subscriber_list/nope/version/${version}/`, undefined],
    ['POST', `/v1/subscriber_list/nope/version/${version}/subscriber/add/`, ids],
    ['POST', `/v1/subscriber_list/nope/version/${version}/subscriber/remove/`, ids],
    ['PATCH', `/v1/subscriber_list/nope/version/${version}/finish_sync/`, {}],
    ['PATCH', `/v1/subscriber_list/nope/version/${version}/delete/`, {}],
  ];
  for (const [method, url, body] of routes) {
    const res = await bearer(app, method, url, body);
    const err = expectLong(t, res, 404, `${method} ${url}`);
    t.strictSame(err, {
      code: 404,
      error_code: 'not_found',
      type: 'NotFound',
      message: 'list_id: nope not found',
      detail: 'list_id: nope not found',
    });
    matchesUpstream(t, 'get_404', err, `${method} ${url}`);
  }
  t.strictSame(
    Object.keys(upstreamExamples.get_404 as object).sort(),
    ['code', 'detail', 'error_code', 'message', 'type'],
    'the same keys as upstream',
  );

  // A version of another list, and an unknown version.
  await createList(t, app, 'other');
  for (const [method, url, body] of routes.filter(([, u]) => u.includes('/version/'))) {
    for (const [listId, versionId] of [
      ['other', version],
      [LIST, '01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ] as const) {
      const target = url.replace('/nope/', `/${listId}/`).replace(version, versionId);
      const err = expectLong(t, await bearer(app, method, target, body), 404, `${method} ${target}`);
      t.equal(err.message, `version_id ${versionId} not found for list_id ${listId}`);
      t.equal(err.detail, err.message);
    }
  }
  expectJson(t, await bearer(app, 'PATCH', '/v1/subscriber_list/other/delete/', {}), 200, 'drop other');
  t.strictSame(await snapshot(app, version), before, 'nothing changed');
});

t.test('distinct_ids that are not a list of distinct_ids: 400, nothing changed', async (t) => {
  const { app, version } = await seeded(t);
  const before = await snapshot(app, version);
  const bodies: Array<[string, unknown, RegExp]> = [
    ['a string', { distinct_ids: 'u3' }, /list/],
    ['an object', { distinct_ids: { u3: true } }, /list/],
    ['null', { distinct_ids: null }, /list/],
    ['a number', { distinct_ids: 3 }, /list/],
    ['missing', {}, /required/],
    ['no body', undefined, /object/],
    ['a number inside', { distinct_ids: ['u3', 4] }, /\[1\]: Not a valid string/],
    ['an empty id inside', { distinct_ids: ['u3', ''] }, /\[1\]: distinct_id must not be empty/],
    ['a 256-character id', { distinct_ids: ['d'.repeat(256)] }, /\[0\]: .*255/],
    ['10,001 ids', { distinct_ids: Array.from({ length: 10_001 }, (_, i) => `x${i}`) }, /10000/],
  ];
  const targets = ['subscriber/add/', 'subscriber/remove/', `version/${version}/subscriber/add/`, `version/${version}/subscriber/remove/`];
  for (const target of targets) {
    for (const [what, body, message] of bodies) {
      const res = await bearer(app, 'POST', `/v1/subscriber_list/${LIST}/${target}`, body);
      const err = expectLong(t, res, 400, `${target}: ${what}`);
      const detail = err.detail as Record<string, string[]>;
      const key = body === undefined ? 'non_field_errors' : 'distinct_ids';
      t.strictSame(Object.keys(detail), [key], `${target}: ${what}: detail names ${key}`);
      t.match(detail[key]!.join(' '), message, `${target}: ${what}: says what is wrong`);
      t.equal(err.message, pythonJson(detail));
    }
  }
  // At the limit: 10,000 ids are fine (added to a draft, then discarded by the snapshot check below).
  const limit = await bearer(app, 'POST', `/v1/subscriber_list/${LIST}/version/${version}/subscriber/remove/`, {
    distinct_ids: Array.from({ length: 10_000 }, (_, i) => `x${i}`),
  });
  t.strictSame(expectJson(t, limit, 201, '10,000 ids'), { success: true, affected_count: 0 });
  t.strictSame(await snapshot(app, version), before, 'nothing changed');
});

t.test('bad query parameters: 400 long form naming the parameter', async (t) => {
  const { app, version } = await seeded(t);
  const cases: Array<[string, string]> = [
    ['/v1/subscriber_list/?limit=0', 'limit'],
    ['/v1/subscriber_list/?limit=1001', 'limit'],
    ['/v1/subscriber_list/?limit=ten', 'limit'],
    ['/v1/subscriber_list?limit=-1&offset=0', 'limit'],
    ['/v1/subscriber_list/?offset=-5', 'offset'],
    ['/v1/subscriber_list/?offset=1.5', 'offset'],
    [`/v1/subscriber_list/${LIST}/subscriber/?limit=0`, 'limit'],
    [`/v1/subscriber_list/${LIST}/subscriber/?limit=5000`, 'limit'],
    [`/v1/subscriber_list/${LIST}/subscriber/?sort=name`, 'sort'],
  ];
  for (const [url, param] of cases) {
    const err = expectLong(t, await bearer(app, 'GET', url), 400, url);
    t.strictSame(Object.keys(err.detail as object), [param], `${url}: names ${param}`);
  }
  // Unknown parameters are ignored; limit at its bounds is fine.
  for (const url of [
    '/v1/subscriber_list/?limit=1000&offset=0&foo=bar',
    '/v1/subscriber_list?limit=1',
    `/v1/subscriber_list/${LIST}/subscriber/?limit=1000&sort=id&x=1`,
  ]) {
    t.equal((await bearer(app, 'GET', url)).statusCode, 200, `${url}: 200`);
  }
  const far = expectJson<{ meta: unknown; results: unknown[] }>(
    t,
    await bearer(app, 'GET', '/v1/subscriber_list/?offset=100'),
    200,
    'offset past the end',
  );
  t.strictSame(far, { meta: { count: 1, limit: 20, offset: 100 }, results: [] });
  void version;
});

t.test('other methods: 405; no credentials: 401 long form', async (t) => {
  const { app, version } = await seeded(t);
  const before = await snapshot(app, version);
  const paths: Array<[string, string[]]> = [
    ['/v1/subscriber_list/', ['GET', 'HEAD', 'POST']],
    [`/v1/subscriber_list/${LIST}/`, ['GET', 'HEAD', 'DELETE']],
    [`/v1/subscriber_list/${LIST}/delete/`, ['PATCH']],
    [`/v1/subscriber_list/${LIST}/subscriber/`, ['GET', 'HEAD']],
    [`/v1/subscriber_list/${LIST}/subscriber/add/`, ['POST']],
    [`/v1/subscriber_list/${LIST}/subscriber/remove/`, ['POST']],
    [`/v1/subscriber_list/${LIST}/start_sync/`, ['POST']],
    [`/v1/subscriber_list/${LIST}/version/${version}/`, ['GET', 'HEAD', 'DELETE']],
    [`/v1/subscriber_list/${LIST}/version/${version}/subscriber/add/`, ['POST']],
    [`/v1/subscriber_list/${LIST}/version/${version}/subscriber/remove/`, ['POST']],
    [`/v1/subscriber_list/${LIST}/version/${version}/finish_sync/`, ['PATCH']],
    [`/v1/subscriber_list/${LIST}/version/${version}/delete/`, ['PATCH']],
    ['/v1/user/u1/subscribed_to/list/', ['GET', 'HEAD']],
  ];
  for (const [path, allowed] of paths) {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      if (allowed.includes(method)) continue;
      const res = await bearer(app, method, path, method === 'GET' ? undefined : {});
      expectApiError(t, res, 405, `${method} ${path}`);
      t.equal(res.headers.allow, allowed.join(', '), `${method} ${path}: Allow header`);
    }
    const noAuth = await app.inject({ method: allowed[0] as 'GET', url: path });
    const err = expectApiError(t, noAuth, 401, `${allowed[0]} ${path} without credentials`);
    if (path.startsWith('/v1/subscriber_list/')) t.ok('error_code' in err, `${path}: 401 in the long form`);
  }
  t.strictSame(await snapshot(app, version), before, 'nothing changed');
});

t.test('subscribed_to/list: unknown user 404 and bad distinct_id 400 in the short form', async (t) => {
  const { app } = await seeded(t);
  const notFound = expectApiError(t, await bearer(app, 'GET', '/v1/user/u1/subscribed_to/list/'), 404, 'member that is not a user');
  t.strictSame(notFound, { code: 404, message: "user [distinct_id: 'u1'] not found" });
  matchesUpstream(t, 'subscribed_to_list_404', notFound);
  const long = expectApiError(t, await bearer(app, 'GET', `/v1/user/${'d'.repeat(256)}/subscribed_to/list/`), 400, '256 characters');
  t.strictSame(Object.keys(long).sort(), ['code', 'message'], 'short form');
  const limit = expectApiError(t, await bearer(app, 'GET', '/v1/user/u1/subscribed_to/list/?limit=0'), 400, 'limit=0');
  t.strictSame(Object.keys(limit).sort(), ['code', 'message']);
});
