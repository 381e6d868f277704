/**
 * A signature covers the path the server routes. Go signs the percent-decoded
 * path, so the decoded form is accepted too, but only where it cannot be the
 * target of another request: a signature made for
 * `GET /v1/user/alice/subscribed_to/list/` must not open
 * `GET /v1/user/alice%2Fsubscribed_to%2Flist/` (another user).
 */
import t from 'tap';
import { signedTargets } from '../../src/http/signature.js';
import { bearer, build, expectApiError, expectJson, signedHeaders, WS_A } from '../helpers/index.js';

t.test('signedTargets: the decoded target is dropped where it is served and decoding moved a boundary', async (t) => {
  const served = (target: string) => target.startsWith('/v1/user/alice/') || target.startsWith('/v1/user/alice?');
  t.same(
    signedTargets('/v1/user/alice%2Fsubscribed_to%2Flist/', served),
    ['/v1/user/alice%2Fsubscribed_to%2Flist/'],
    '%2F, decoded target served: raw only',
  );
  t.same(
    signedTargets('/v1/user/a%2Fb/', served),
    ['/v1/user/a%2Fb/', '/v1/user/a/b/'],
    '%2F, decoded target not served: both (what Go signs)',
  );
  t.same(
    signedTargets('/v1/user/alice%20x/', () => true),
    ['/v1/user/alice%20x/', '/v1/user/alice x/'],
    '%20 only: both',
  );
  t.same(signedTargets('/v1/user/alice%3Fa=1/', served), ['/v1/user/alice%3Fa=1/'], '%3F, served: raw only');
  t.same(
    signedTargets('/v1/user/a%2541/', () => true),
    ['/v1/user/a%2541/'],
    '%25, served: raw only',
  );
});

t.test('a signature for one resource does not open another through %2F', async (t) => {
  const app = await build(t);
  for (const id of ['alice', 'alice/subscribed_to/list']) {
    const res = await bearer(app, 'POST', `/v1/user/${encodeURIComponent(id)}/`, { name: id });
    t.equal(res.statusCode, 201, `user ${JSON.stringify(id)} created`);
  }
  const url = '/v1/user/alice%2Fsubscribed_to%2Flist/';

  // Signed for alice's subscription list, sent to the user "alice/subscribed_to/list".
  const forList = signedHeaders(WS_A, 'GET', '/v1/user/alice/subscribed_to/list/', undefined);
  const listed = await app.inject({ method: 'GET', url: '/v1/user/alice/subscribed_to/list/', headers: forList });
  t.equal(listed.statusCode, 200, 'the signature opens the request it was made for');
  const replayed = await app.inject({ method: 'GET', url, headers: forList });
  const err = expectApiError(t, replayed, 401, 'replayed on the %2F path');
  t.match(err.message, /signature mismatch/);

  // The same for a write: a PATCH signed for alice does not change "alice/subscribed_to/list" … nor the other way.
  const body = '{"operations":[{"$set":{"name":"pwned"}}]}';
  const patchAlice = signedHeaders(WS_A, 'PATCH', '/v1/user/alice/', body);
  const patched = await app.inject({ method: 'PATCH', url: '/v1/user/alice%2F/', headers: patchAlice, payload: body });
  expectApiError(t, patched, 401, 'a PATCH signed for alice, sent to "alice/"');

  // A ? or % brought out by decoding is a boundary too.
  const forAliceQuery = signedHeaders(WS_A, 'GET', '/v1/user/alice?x=1/', undefined);
  expectApiError(t, await app.inject({ method: 'GET', url: '/v1/user/alice%3Fx=1/', headers: forAliceQuery }), 401, '%3F');
  const forAa = signedHeaders(WS_A, 'GET', '/v1/user/a%41/', undefined);
  expectApiError(t, await app.inject({ method: 'GET', url: '/v1/user/a%2541/', headers: forAa }), 401, '%25');

  // The raw-path signature (Node, Python, Java) still opens the %2F user.
  const raw = await app.inject({ method: 'GET', url, headers: signedHeaders(WS_A, 'GET', url, undefined) });
  t.equal(expectJson<{ distinct_id: string }>(t, raw, 200, 'raw-path signature').distinct_id, 'alice/subscribed_to/list');

  for (const id of ['alice', 'alice/subscribed_to/list']) {
    const res = await bearer(app, 'GET', `/v1/user/${encodeURIComponent(id)}/`);
    t.equal(JSON.parse(res.body).properties.name, id, `${JSON.stringify(id)} unchanged`);
  }
});

t.test('Go-style decoded signatures still work where the decoded path routes nowhere, or decoding moves no boundary', async (t) => {
  const app = await build(t);
  const ids = ['a/b c', 'with space', 'x/y/z', 'ünï'];
  for (const id of ids) {
    const url = `/v1/user/${encodeURIComponent(id)}/`;
    const decoded = `/v1/user/${id}/`;
    const body = JSON.stringify({ name: id });
    const created = await app.inject({ method: 'POST', url, headers: signedHeaders(WS_A, 'POST', decoded, body), payload: body });
    t.equal(expectJson<{ distinct_id: string }>(t, created, 201, `Go upsert of ${JSON.stringify(id)}`).distinct_id, id);
    const got = await app.inject({ method: 'GET', url, headers: signedHeaders(WS_A, 'GET', decoded, undefined) });
    t.equal(got.statusCode, 200, `Go GET of ${JSON.stringify(id)}`);
  }
});
