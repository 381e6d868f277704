import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import type { WorkspaceConfig } from '../../src/config.js';
import { requestSignature, signedTargets } from '../../src/http/signature.js';
import { bearer, build, expectApiError, expectJson, md5, signedHeaders, WS_A } from '../helpers/index.js';

// The fixed vectors of the SDK wire notes (computed with @suprsend/node-sdk's own signature.js).
const CT = 'application/json; charset=utf-8';
const DATE = 'Tue, 01 Apr 2025 10:00:00 GMT';
const SECRET = 'secret123';
const PATCH_BODY = '{"operations":[{"$set":{"name":"Alice"}}]}';
const PATCH_MD5 = '49f653f70c2274ac664e3cdc808b5477';
const PATCH_URI = '/v1/user/user-1/';
const PATCH_SIG = 'uLlpS22gxkMc8jfurgNB0mOaNyLlbOM0ohhOSnLi74Y=';
const GET_URI = '/v1/user/?limit=10&after=abc';
const GET_SIG = 'yj27mRifYrrgqAUKaqXP87xhvJULJV7sa1IXghG3kOM=';
const JAVA_DATE = 'Fri, 3 Apr 2026 09:05:07 UTC';

/** A workspace whose secret is the one of the vectors. */
const VEC: WorkspaceConfig = {
  name: 'vectors',
  key: 'vector_workspace_key_0001',
  secret: SECRET,
  api_keys: ['vector_api_key_0001'],
  inbox_secret: 'vector_inbox',
  inbox: true,
};

async function vectorApp(t: Test) {
  const app = await build(t, { workspaces: [VEC, WS_A] });
  const created = await bearer(app, 'POST', '/v1/user/user-1/', { name: 'Original', $email: ['one@example.com'] }, VEC.api_keys[0]);
  t.equal(created.statusCode, 201, 'user-1 pre-created');
  return app;
}

t.test('requestSignature reproduces the SDK test vectors', async (t) => {
  t.equal(md5(PATCH_BODY), PATCH_MD5, 'md5 of the PATCH body');
  t.equal(md5('{}'), '99914b932bd37a50b983c5e7c90ae93b', 'md5 of {}');
  t.equal(
    requestSignature(SECRET, { method: 'PATCH', body: Buffer.from(PATCH_BODY, 'utf8'), contentType: CT, date: DATE, target: PATCH_URI }),
    PATCH_SIG,
    'PATCH row',
  );
  t.equal(requestSignature(SECRET, { method: 'GET', body: undefined, contentType: CT, date: DATE, target: GET_URI }), GET_SIG, 'GET row');
  t.equal(
    requestSignature(SECRET, { method: 'GET', body: Buffer.alloc(0), contentType: CT, date: DATE, target: GET_URI }),
    GET_SIG,
    'an empty body hashes as ""',
  );
  t.equal(
    requestSignature(SECRET, { method: 'patch', body: Buffer.from(PATCH_BODY), contentType: CT, date: DATE, target: PATCH_URI }),
    PATCH_SIG,
    'the verb is upper-cased',
  );
});

t.test('every signed field changes the signature', async (t) => {
  const base = { method: 'PATCH', body: Buffer.from(PATCH_BODY), contentType: CT, date: DATE, target: PATCH_URI };
  const variants: Array<[string, typeof base, string]> = [
    ['method', { ...base, method: 'POST' }, SECRET],
    ['body', { ...base, body: Buffer.from(PATCH_BODY.replace('Alice', 'Alicf')) }, SECRET],
    ['content type', { ...base, contentType: 'application/json' }, SECRET],
    ['date', { ...base, date: 'Tue, 01 Apr 2025 10:00:01 GMT' }, SECRET],
    ['target', { ...base, target: '/v1/user/user-2/' }, SECRET],
    ['secret', base, 'secret124'],
  ];
  for (const [what, parts, secret] of variants) t.not(requestSignature(secret, parts), PATCH_SIG, what);
});

t.test('signedTargets offers the raw target and the decoded path', async (t) => {
  t.same(signedTargets('/v1/user/user-1/'), ['/v1/user/user-1/']);
  t.same(signedTargets('/v1/user/a%2Fb%20c/?limit=1'), ['/v1/user/a%2Fb%20c/?limit=1', '/v1/user/a/b c/?limit=1']);
});

t.test('the PATCH vector is accepted end to end', async (t) => {
  const app = await vectorApp(t);
  const res = await app.inject({
    method: 'PATCH',
    url: PATCH_URI,
    headers: { 'content-type': CT, date: DATE, authorization: `${VEC.key}:${PATCH_SIG}` },
    payload: PATCH_BODY,
  });
  const user = expectJson<{ distinct_id: string; properties: Record<string, unknown> }>(t, res, 202, 'PATCH vector');
  t.equal(user.distinct_id, 'user-1');
  t.equal(user.properties.name, 'Alice', 'the signed operation was applied');
});

t.test('the GET vector passes authentication', async (t) => {
  const app = await vectorApp(t);
  const res = await app.inject({
    method: 'GET',
    url: GET_URI,
    headers: { 'content-type': CT, date: DATE, authorization: `${VEC.key}:${GET_SIG}` },
  });
  // "abc" is not a cursor this server issued, so the listing answers 400 about `after`: authentication passed.
  t.not(res.statusCode, 401, 'not rejected as unauthenticated');
  const err = expectApiError(t, res, 400, 'cursor "abc"');
  t.match(err.message, /after/, 'the 400 is about the cursor');

  // The same signature over another date is refused, so the acceptance above was the signature's doing.
  const wrongDate = await app.inject({
    method: 'GET',
    url: GET_URI,
    headers: { 'content-type': CT, date: 'Tue, 01 Apr 2025 10:00:01 GMT', authorization: `${VEC.key}:${GET_SIG}` },
  });
  expectApiError(t, wrongDate, 401, 'signature over another Date');

  // A valid listing signed by the same workspace: 200.
  const ok = await app.inject({
    method: 'GET',
    url: '/v1/user/?limit=10',
    headers: signedHeaders(VEC, 'GET', '/v1/user/?limit=10', undefined, DATE),
  });
  const page = expectJson<{ meta: { count: number }; results: Array<{ distinct_id: string }> }>(t, ok, 200, 'signed listing');
  t.equal(page.meta.count, 1);
  t.same(
    page.results.map((r) => r.distinct_id),
    ['user-1'],
  );
});

t.test('percent-encoded distinct_id: raw-path and decoded-path signatures are both accepted', async (t) => {
  const app = await vectorApp(t);
  const url = '/v1/user/a%2Fb%20c/';
  const created = expectJson<{ distinct_id: string }>(
    t,
    await bearer(app, 'POST', url, { name: 'slashy' }, VEC.api_keys[0]),
    201,
    'create "a/b c"',
  );
  t.equal(created.distinct_id, 'a/b c', '%2F does not split the segment; %20 is a space');

  // Node / Python / Java: signed over the raw path as sent.
  const raw = await app.inject({ method: 'GET', url, headers: signedHeaders(VEC, 'GET', url, undefined) });
  t.equal(expectJson<{ distinct_id: string }>(t, raw, 200, 'raw-path signature').distinct_id, 'a/b c');

  // Go: signed over the percent-decoded path.
  const decoded = await app.inject({ method: 'GET', url, headers: signedHeaders(VEC, 'GET', '/v1/user/a/b c/', undefined) });
  t.equal(expectJson<{ distinct_id: string }>(t, decoded, 200, 'decoded-path signature').distinct_id, 'a/b c');

  // Go also signs a PATCH body over the decoded path.
  const body = '{"operations":[{"$set":{"name":"go"}}]}';
  const goPatch = await app.inject({ method: 'PATCH', url, headers: signedHeaders(VEC, 'PATCH', '/v1/user/a/b c/', body), payload: body });
  const patched = expectJson<{ properties: Record<string, unknown> }>(t, goPatch, 202, 'decoded-path PATCH');
  t.equal(patched.properties.name, 'go');

  // Query strings stay raw in both forms.
  const listUrl = '/v1/user/?limit=5';
  const list = await app.inject({ method: 'GET', url: listUrl, headers: signedHeaders(VEC, 'GET', listUrl, undefined) });
  t.equal(list.statusCode, 200, 'signed query string');

  // A signature over a different path is not accepted.
  const other = await app.inject({ method: 'GET', url, headers: signedHeaders(VEC, 'GET', '/v1/user/a%2Fb%20d/', undefined) });
  expectApiError(t, other, 401, 'signature over another path');
  const otherQuery = await app.inject({ method: 'GET', url: '/v1/user/?limit=6', headers: signedHeaders(VEC, 'GET', listUrl, undefined) });
  expectApiError(t, otherQuery, 401, 'signature over another query');
});

t.test('a Java-style Date header is accepted', async (t) => {
  const app = await vectorApp(t);
  const get = await app.inject({ method: 'GET', url: PATCH_URI, headers: signedHeaders(VEC, 'GET', PATCH_URI, undefined, JAVA_DATE) });
  t.equal(expectJson<{ distinct_id: string }>(t, get, 200, 'GET with Java Date').distinct_id, 'user-1');

  const body = '{"operations":[{"$set":{"lang":"java"}}]}';
  const patch = await app.inject({
    method: 'PATCH',
    url: PATCH_URI,
    headers: signedHeaders(VEC, 'PATCH', PATCH_URI, body, JAVA_DATE),
    payload: body,
  });
  t.equal(expectJson<{ properties: Record<string, unknown> }>(t, patch, 202, 'PATCH with Java Date').properties.lang, 'java');
});

t.test('bad credentials answer 401 in the long error form and change nothing', async (t) => {
  const app = await vectorApp(t);
  const before = await bearer(app, 'GET', PATCH_URI, undefined, VEC.api_keys[0]);
  t.equal(before.statusCode, 200);

  const check401 = (res: Parameters<typeof expectApiError>[1], what: string) => {
    const err = expectApiError(t, res, 401, what);
    t.equal(typeof err.error_code, 'string', `${what}: error_code is a string`);
    t.equal(typeof err.type, 'string', `${what}: type is a string`);
  };

  // Wrong secret.
  const wrongSecret = { ...VEC, secret: 'secret124' };
  check401(
    await app.inject({
      method: 'PATCH',
      url: PATCH_URI,
      headers: signedHeaders(wrongSecret, 'PATCH', PATCH_URI, PATCH_BODY, DATE),
      payload: PATCH_BODY,
    }),
    'wrong secret',
  );

  // Tampered body: signed one body, sent another.
  const tampered = PATCH_BODY.replace('Alice', 'Mallory');
  check401(
    await app.inject({
      method: 'PATCH',
      url: PATCH_URI,
      headers: { 'content-type': CT, date: DATE, authorization: `${VEC.key}:${PATCH_SIG}` },
      payload: tampered,
    }),
    'tampered body',
  );
  // The same body re-serialised (spaces added) is a different byte string: also refused.
  check401(
    await app.inject({
      method: 'PATCH',
      url: PATCH_URI,
      headers: { 'content-type': CT, date: DATE, authorization: `${VEC.key}:${PATCH_SIG}` },
      payload: JSON.stringify(JSON.parse(PATCH_BODY), null, 1),
    }),
    're-serialised body',
  );

  // Unknown workspace key, with a signature that would be right for the known secret.
  const unknownKey = { ...VEC, key: 'not_a_known_workspace_key' };
  check401(
    await app.inject({ method: 'GET', url: PATCH_URI, headers: signedHeaders(unknownKey, 'GET', PATCH_URI, undefined) }),
    'unknown workspace key',
  );

  // Another workspace's key with this workspace's secret.
  check401(
    await app.inject({ method: 'GET', url: PATCH_URI, headers: signedHeaders({ ...VEC, key: WS_A.key }, 'GET', PATCH_URI, undefined) }),
    "another workspace's key",
  );

  // No Authorization header.
  check401(await app.inject({ method: 'GET', url: PATCH_URI, headers: { 'content-type': CT, date: DATE } }), 'missing Authorization');
  check401(
    await app.inject({ method: 'PATCH', url: PATCH_URI, headers: { 'content-type': CT, date: DATE }, payload: PATCH_BODY }),
    'missing Authorization on PATCH',
  );

  // Garbage.
  for (const garbage of [
    'garbage',
    'Basic dXNlcjpwYXNz',
    ':',
    `${VEC.key}:`,
    `:${PATCH_SIG}`,
    'Bearer',
    'Bearer ',
    `${VEC.key} ${PATCH_SIG}`,
  ]) {
    check401(
      await app.inject({ method: 'GET', url: PATCH_URI, headers: { 'content-type': CT, date: DATE, authorization: garbage } }),
      `garbage ${JSON.stringify(garbage)}`,
    );
  }

  const after = await bearer(app, 'GET', PATCH_URI, undefined, VEC.api_keys[0]);
  t.equal(after.body, before.body, 'the user is unchanged after the refused requests');
  t.equal(JSON.parse(after.body).properties.name, 'Original');
});

t.test('Bearer API keys', async (t) => {
  const app = await vectorApp(t);
  const ok = await bearer(app, 'GET', PATCH_URI, undefined, VEC.api_keys[0]);
  t.equal(expectJson<{ distinct_id: string }>(t, ok, 200, 'known API key').distinct_id, 'user-1');
  const lower = await app.inject({ method: 'GET', url: PATCH_URI, headers: { authorization: `bearer ${VEC.api_keys[0]}` } });
  t.equal(lower.statusCode, 200, 'the scheme name is case-insensitive');

  const unknown = await bearer(app, 'GET', PATCH_URI, undefined, 'not_an_api_key');
  const err = expectApiError(t, unknown, 401, 'unknown API key');
  t.equal(typeof err.error_code, 'string');
  // The workspace key is not an API key.
  expectApiError(t, await bearer(app, 'GET', PATCH_URI, undefined, VEC.key), 401, 'workspace key used as Bearer');
  // Neither is the secret.
  expectApiError(t, await bearer(app, 'GET', PATCH_URI, undefined, VEC.secret), 401, 'secret used as Bearer');
});

t.test('over a real socket: the PATCH vector and an encoded path', async (t) => {
  const app = await vectorApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;

  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });

  const patch = await send('PATCH', PATCH_URI, { 'content-type': CT, date: DATE, authorization: `${VEC.key}:${PATCH_SIG}` }, PATCH_BODY);
  t.equal(patch.status, 202, `PATCH vector over HTTP (${patch.body.slice(0, 200)})`);
  t.equal(JSON.parse(patch.body).properties.name, 'Alice');

  const url = '/v1/user/x%2Fy%20z/';
  const up = '{"name":"wire"}';
  const created = await send('POST', url, signedHeaders(VEC, 'POST', url, up), up);
  t.equal(created.status, 201, 'signed POST on an encoded path');
  t.equal(JSON.parse(created.body).distinct_id, 'x/y z');
  const goStyle = await send('GET', url, signedHeaders(VEC, 'GET', '/v1/user/x/y z/', undefined));
  t.equal(goStyle.status, 200, 'decoded-path signature over HTTP');
  t.equal(JSON.parse(goStyle.body).properties.name, 'wire');
});
