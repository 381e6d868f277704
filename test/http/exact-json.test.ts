/**
 * What a client sends comes back exactly, or is refused with a 400 that names
 * the place; never silently changed. One rule on every path:
 * - "constructor" and "prototype" are ordinary property names: stored and
 *   returned by upsert, PATCH, /event/ and objects, and across a snapshot;
 * - "__proto__" is refused as a key (schema validation would drop it);
 * - integers are kept exactly up to ±(2^53 − 1) and refused beyond, and so is
 *   a number too large for a double (1e400); a counter never rounds either.
 * A refusal is a 400, except in an /event/ batch, where the record holding it
 * fails on its own like any invalid record. The every-route sweep of the
 * refusals is in body-shape.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { admin, bearer, build, databaseDigest, expectApiError, expectJson, signed, tempDir } from '../helpers/index.js';

const NAMES = { constructor: { of: 'a car' }, prototype: [1, 'x'] };

t.test('"constructor" and "prototype" are stored and returned on every write path, and across a snapshot', async (t) => {
  const app = await build(t);
  const user = async (id: string) =>
    expectJson<{ properties: Record<string, unknown> }>(t, await bearer(app, 'GET', `/v1/user/${id}/`), 200, id);

  expectJson(t, await bearer(app, 'POST', '/v1/user/upserted/', { ...NAMES, nested: NAMES }), 201, 'upsert');
  t.same((await user('upserted')).properties, { ...NAMES, nested: NAMES }, 'upsert');

  expectJson(t, await bearer(app, 'POST', '/v1/user/patched/', {}), 201);
  expectJson(
    t,
    await bearer(app, 'PATCH', '/v1/user/patched/', { operations: [{ $set: NAMES }, { $append: { list: 'constructor' } }] }),
    202,
  );
  t.same((await user('patched')).properties, { ...NAMES, list: ['constructor'] }, 'PATCH $set');

  const record = { distinct_id: 'evented', $schema: '2', $insert_id: 'i-1', $time: Date.now(), $user_operations: [{ $set: NAMES }] };
  t.equal((await signed(app, 'POST', '/event/', record)).statusCode, 202, '/event/ identity record');
  t.same((await user('evented')).properties, NAMES, '/event/');

  const object = expectJson<{ properties: unknown }>(t, await bearer(app, 'POST', '/v1/object/teams/t1/', NAMES), 201, 'object upsert');
  t.same(object.properties, NAMES, 'object upsert');

  const exported = (await admin(app, 'GET', '/_emulator/snapshot')).body;
  const copy = await build(t);
  expectJson(t, await admin(copy, 'POST', '/_emulator/snapshot', exported), 200, 'import');
  for (const id of ['upserted', 'patched', 'evented']) {
    t.same(
      JSON.parse((await bearer(copy, 'GET', `/v1/user/${id}/`)).body).properties,
      (await user(id)).properties,
      `${id} after a snapshot round-trip`,
    );
  }
  t.same(JSON.parse((await bearer(copy, 'GET', '/v1/object/teams/t1/')).body).properties, NAMES, 'the object after a round-trip');

  expectJson(t, await bearer(app, 'PATCH', '/v1/user/patched/', { operations: [{ $unset: ['constructor', 'prototype'] }] }), 202);
  t.same((await user('patched')).properties, { list: ['constructor'] }, '$unset removes them like any property');
});

t.test('"__proto__" as an operator is a 400 like an unknown operator, and changes nothing', async (t) => {
  const app = await build(t);
  expectJson(t, await bearer(app, 'POST', '/v1/user/u1/', { name: 'u1' }), 201);
  const before = databaseDigest(app);
  const err = expectApiError(t, await bearer(app, 'PATCH', '/v1/user/u1/', '{"operations":[{"__proto__":{"$set":{"x":1}}}]}'), 400);
  t.equal(err.message, 'operations[0].__proto__: "__proto__" is not accepted as a key');
  t.equal(databaseDigest(app), before);
});

t.test('integers up to ±(2^53 − 1) and doubles come back exactly as sent', async (t) => {
  const app = await build(t);
  const body = '{"max":9007199254740991,"min":-9007199254740991,"tenth":0.1,"huge":1e300,"tiny":5e-324,"digits":"12345678901234567890"}';
  const res = await bearer(app, 'POST', '/v1/user/numbers/', body);
  t.equal(res.statusCode, 201);
  const text = (await bearer(app, 'GET', '/v1/user/numbers/')).body;
  for (const kept of [
    '"max":9007199254740991',
    '"min":-9007199254740991',
    '"tenth":0.1',
    '"huge":1e+300',
    '"tiny":5e-324',
    '"digits":"12345678901234567890"',
  ]) {
    t.ok(text.includes(kept), `${kept} as sent`);
  }
  const token = `fcm-${'1234567890'.repeat(8)}`;
  t.equal(
    (await bearer(app, 'POST', '/v1/user/numbers/', { $androidpush: [token] })).statusCode,
    201,
    'long digit runs inside strings are text',
  );
});

t.test('an integer beyond 2^53 − 1 is refused wherever it is, however long', async (t) => {
  const app = await build(t);
  expectJson(t, await bearer(app, 'POST', '/v1/user/u1/', { count: 9007199254740990 }), 201);
  const before = databaseDigest(app);

  const add = { operations: [{ $add: { count: 1 } }, { $add: { count: 1 } }] };
  t.match(
    expectApiError(t, await bearer(app, 'PATCH', '/v1/user/u1/', add), 400, 'a counter past 2^53 − 1').message,
    /^operations\[1\]\.\$add\.count: adding 1 to "count" gives an integer beyond/,
  );
  const long = `{"n":${'9'.repeat(300)}}`;
  t.match(
    expectApiError(t, await bearer(app, 'POST', '/v1/user/u1/', long), 400, '300 digits').message,
    /^n: 999999999999999999999999… \(300 digits\) is an integer beyond/,
  );
  const endless = `{"n":${'9'.repeat(200_000)}}`;
  t.match(
    expectApiError(t, await bearer(app, 'POST', '/v1/user/u1/', endless), 400, '200,000 digits').message,
    /^n: a number too large to keep/,
  );

  t.equal(databaseDigest(app), before, 'nothing changed');
  t.equal(JSON.parse((await bearer(app, 'GET', '/v1/user/u1/')).body).properties.count, 9007199254740990);

  // In a batch each record stands alone: the one holding the number fails (202 and the journal's failures), the rest apply.
  const batch = `[{"event":"paid","distinct_id":"u1","properties":{"order":{"id":90071992547409931}}},{"$schema":"2","distinct_id":"u2","$user_operations":[{"$set":{"n":1}}]}]`;
  const res = await signed(app, 'POST', '/event/', batch);
  t.equal(res.statusCode, 202);
  t.equal(res.headers['x-emulator-failed-records'], '1');
  const journal = JSON.parse((await admin(app, 'GET', '/_emulator/journal?kind=failures')).body);
  t.match(journal.entries[0], {
    record_index: 0,
    reason: /^properties\.order\.id: 90071992547409931 is an integer beyond/,
  });
  t.equal((await bearer(app, 'GET', '/v1/user/u2/')).statusCode, 200, 'the other record applied');
});

t.test('snapshots follow the same rule: an import or a seed file with an inexact number or "__proto__" is refused', async (t) => {
  const app = await build(t);
  const exported = JSON.parse((await admin(app, 'GET', '/_emulator/snapshot')).body);
  exported.workspaces[0].users = [
    {
      distinct_id: 'x',
      properties: { n: 1 },
      created_at: '2026-01-01T00:00:00.000000+00:00',
      updated_at: '2026-01-01T00:00:00.000000+00:00',
      identities: [],
    },
  ];
  const good = JSON.stringify(exported);
  const big = good.replace('"n":1', '"n":12345678901234567890');
  const proto = good.replace('"n":1', '"__proto__":1');
  const before = databaseDigest(app);
  t.match(
    expectApiError(t, await admin(app, 'POST', '/_emulator/snapshot', big), 400).message,
    /^workspaces\[0\]\.users\[0\]\.properties\.n: 12345678901234567890 is an integer beyond/,
  );
  t.match(
    expectApiError(t, await admin(app, 'POST', '/_emulator/snapshot', proto), 400).message,
    /^workspaces\[0\]\.users\[0\]\.properties\.__proto__: "__proto__" is not accepted/,
  );
  t.equal(databaseDigest(app), before, 'nothing imported');

  const dir = tempDir(t, 'emulator-exact-');
  const seedPath = join(dir, 'seed.json');
  writeFileSync(seedPath, big);
  await t.rejects(
    build(t, { seedPath }),
    /SEED_PATH \(--seed-path\): .*seed\.json: workspaces\[0\]\.users\[0\]\.properties\.n: 12345678901234567890 is an integer beyond/,
  );
  writeFileSync(seedPath, good);
  const seeded = await build(t, { seedPath });
  t.equal(JSON.parse((await bearer(seeded, 'GET', '/v1/user/x/')).body).properties.n, 1, 'the same seed with the number fixed starts');
});
