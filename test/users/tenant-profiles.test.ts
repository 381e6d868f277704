/**
 * Tenant-scoped user profiles (`/v1/user/{id}/tenant/{tenant_id}/`): a user
 * seen in a tenant is the global profile with the tenant-scoped keys over it,
 * shallowly; the global profile never changes through them. Listings of a
 * user's tenants and of a tenant's users, unlinking, `/event/` records with a
 * tenant_id, cascades (user delete, tenant delete, merge), snapshots, reset,
 * isolation, and bad input that changes nothing.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { admin, bearer, build, countRows, databaseDigest, expectApiError, ok, signed, WS_B } from '../helpers/index.js';

async function withTenants(t: Test, ...tenantIds: string[]): Promise<FastifyInstance> {
  const app = await build(t);
  for (const id of tenantIds) await ok(t, app, 'POST', `/v1/tenant/${id}/`, { tenant_name: id.toUpperCase() }, 201);
  return app;
}

const emails = (user: any) => (user.$email ?? []).map((i: any) => i.value);

t.test('a user seen in a tenant: tenant-scoped keys win, shallowly; the global profile is untouched', async (t) => {
  const app = await withTenants(t, 'acme');
  const global = await ok(
    t,
    app,
    'POST',
    '/v1/user/tina/',
    { name: 'Tina', role: 'user', prefs: { a: 1, b: 2 }, $email: ['tina@example.com'] },
    201,
  );
  const scoped = await ok(
    t,
    app,
    'POST',
    '/v1/user/tina/tenant/acme/',
    { role: 'admin', prefs: { a: 3 }, $email: ['tina@acme.test'] },
    201,
  );
  t.equal(scoped.distinct_id, 'tina');
  t.equal(scoped.tenant_id, 'acme');
  t.same(scoped.properties, { name: 'Tina', role: 'admin', prefs: { a: 3 } }, 'objects are replaced, not deep-merged');
  t.same(emails(scoped), ['tina@acme.test'], "a channel the tenant profile has shows only the tenant's identities");
  t.same(scoped.$inbox, global.$inbox, "other channels are the global profile's");
  t.same(await ok(t, app, 'GET', '/v1/user/tina/tenant/acme/', undefined, 200), scoped, 'GET answers the same');
  t.same(await ok(t, app, 'GET', '/v1/user/tina/', undefined, 200), global, 'the global profile is exactly as before');

  const edited = await ok(
    t,
    app,
    'PATCH',
    '/v1/user/tina/tenant/acme/',
    { operations: [{ $set: { seat: 7 } }, { $append: { $sms: ['+14155550100'] } }, { $unset: ['prefs'] }] },
    202,
  );
  t.same(
    edited.properties,
    { name: 'Tina', role: 'admin', prefs: { a: 1, b: 2 }, seat: 7 },
    'unsetting a tenant key shows the global one again',
  );
  t.same(
    edited.$sms.map((i: any) => i.value),
    ['+14155550100'],
  );
  t.same(await ok(t, app, 'GET', '/v1/user/tina/', undefined, 200), global, 'still untouched after a PATCH');
});

t.test("a user's tenants, a tenant's users, and unlinking", async (t) => {
  const app = await withTenants(t, 'acme', 'beta');
  await ok(t, app, 'POST', '/v1/user/u1/', { name: 'one' }, 201);
  await ok(t, app, 'POST', '/v1/user/u2/', { name: 'two' }, 201);
  await ok(t, app, 'POST', '/v1/user/u1/tenant/acme/', { role: 'a' }, 201);
  await ok(t, app, 'POST', '/v1/user/u1/tenant/beta/', { role: 'b' }, 201);
  await ok(t, app, 'POST', '/v1/user/u2/tenant/acme/', { name: 'two at acme' }, 201);

  for (const path of ['associated_tenant', 'tenant']) {
    const all = await ok(t, app, 'GET', `/v1/user/u1/${path}/`, undefined, 200);
    t.same(all.meta, { count: 2, limit: 20, offset: 0 }, path);
    t.same(
      all.results.map((r: any) => [r.tenant_id, r.properties]),
      [
        ['acme', { role: 'a' }],
        ['beta', { role: 'b' }],
      ],
      `${path}: each tenant with the tenant-scoped profile alone, oldest first`,
    );
    const second = await ok(t, app, 'GET', `/v1/user/u1/${path}/?limit=1&offset=1`, undefined, 200);
    t.same([second.meta, second.results.map((r: any) => r.tenant_id)], [{ count: 2, limit: 1, offset: 1 }, ['beta']]);
  }

  const acme = await ok(t, app, 'GET', '/v1/user/?tenant_id=acme', undefined, 200);
  t.equal(acme.meta.count, 2);
  t.same(
    acme.results.map((r: any) => [r.distinct_id, r.properties]),
    [
      ['u2', { name: 'two at acme' }],
      ['u1', { name: 'one', role: 'a' }],
    ],
    'the users mapped to the tenant, newest mapping first, as seen there',
  );
  const page1 = await ok(t, app, 'GET', '/v1/user/?tenant_id=acme&limit=1', undefined, 200);
  const page2 = await ok(t, app, 'GET', `/v1/user/?tenant_id=acme&limit=1&after=${page1.meta.after}`, undefined, 200);
  t.same([page1.results[0].distinct_id, page2.results[0].distinct_id, page2.meta.has_next], ['u2', 'u1', false], 'cursor paging');
  t.equal((await ok(t, app, 'GET', '/v1/user/', undefined, 200)).meta.count, 2, 'without tenant_id: every user, as before');

  t.equal((await bearer(app, 'DELETE', '/v1/user/u1/tenant/acme/')).statusCode, 204, 'unlink');
  expectApiError(t, await bearer(app, 'GET', '/v1/user/u1/tenant/acme/'), 404, 'the tenant profile is gone');
  t.same((await ok(t, app, 'GET', '/v1/user/u1/', undefined, 200)).properties, { name: 'one' }, 'the global profile stays');
  t.same(
    (await ok(t, app, 'GET', '/v1/user/?tenant_id=acme', undefined, 200)).results.map((r: any) => r.distinct_id),
    ['u2'],
  );
  expectApiError(t, await bearer(app, 'DELETE', '/v1/user/u1/tenant/acme/'), 404, 'unlinking again');
});

t.test('unknown tenant, unknown user, bad input: 4xx in the error shape, nothing changed', async (t) => {
  const app = await withTenants(t, 'acme');
  await ok(t, app, 'POST', '/v1/user/u1/', { name: 'one' }, 201);
  await ok(t, app, 'POST', '/v1/user/u1/tenant/acme/', { role: 'a' }, 201);
  const before = databaseDigest(app);
  const cases: Array<[method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body: unknown, status: number, message: RegExp]> = [
    ['POST', '/v1/user/u1/tenant/nope/', { x: 1 }, 404, /^tenant not found/],
    ['GET', '/v1/user/u1/tenant/nope/', undefined, 404, /^tenant not found/],
    ['PATCH', '/v1/user/u1/tenant/nope/', { operations: [{ $set: { x: 1 } }] }, 404, /^tenant not found/],
    ['DELETE', '/v1/user/u1/tenant/nope/', undefined, 404, /^tenant not found/],
    ['GET', '/v1/user/?tenant_id=nope', undefined, 404, /^tenant not found/],
    ['GET', '/v1/user/ghost/tenant/acme/', undefined, 404, /^user \[distinct_id: 'ghost'\] not found$/],
    ['PATCH', '/v1/user/ghost/tenant/acme/', { operations: [{ $set: { x: 1 } }] }, 404, /not found/],
    ['DELETE', '/v1/user/ghost/tenant/acme/', undefined, 404, /not found/],
    ['GET', '/v1/user/ghost/associated_tenant/', undefined, 404, /not found/],
    ['POST', '/v1/user/u1/tenant/acme/', { $email: 'not-a-list' }, 400, /\$email/],
    ['POST', '/v1/user/u1/tenant/acme/', { $email: ['not an email'] }, 400, /email/],
    ['PATCH', '/v1/user/u1/tenant/acme/', { operations: [] }, 400, /must not be empty/],
    ['PATCH', '/v1/user/u1/tenant/acme/', { operations: [{ $add: { role: 1 } }] }, 400, /cannot add/],
    ['GET', '/v1/user/u1/associated_tenant/?limit=0', undefined, 400, /limit/],
    ['GET', '/v1/user/u1/tenant/?offset=-1', undefined, 400, /offset/],
    ['POST', `/v1/user/${'x'.repeat(256)}/tenant/acme/`, {}, 400, /distinct_id/],
  ];
  for (const [method, url, body, status, message] of cases) {
    const err = expectApiError(t, await bearer(app, method, url, body), status, `${method} ${url}`);
    t.match(err.message, message);
  }
  t.equal(databaseDigest(app), before, 'nothing changed');
});

t.test('an upsert in a tenant creates the user when missing; other workspaces see nothing', async (t) => {
  const app = await withTenants(t, 'acme');
  const created = await ok(t, app, 'POST', '/v1/user/newbie/tenant/acme/', { role: 'guest' }, 201);
  t.same(created.properties, { role: 'guest' });
  const global = await ok(t, app, 'GET', '/v1/user/newbie/', undefined, 200);
  t.same(global.properties, {}, 'the global profile exists, empty');
  t.equal(global.$inbox.length, 1, 'with its $inbox, shown in the tenant too');
  t.same(created.$inbox, global.$inbox);
  const other = await bearer(app, 'GET', '/v1/user/newbie/tenant/acme/', undefined, WS_B.api_keys[0]);
  expectApiError(t, other, 404, 'workspace B');
});

t.test('/event/ identity records with a tenant_id edit only the tenant profile', async (t) => {
  const app = await withTenants(t, 'acme');
  await ok(t, app, 'POST', '/v1/user/tina/', { role: 'user' }, 201);
  const record = (id: string, tenant: string) => ({
    $schema: '2',
    distinct_id: id,
    tenant_id: tenant,
    $insert_id: `ins-${id}-${tenant}`,
    $time: Date.now(),
    $user_operations: [{ $set: { role: 'admin' } }, { $append: { $email: 'tina@acme.test' } }],
  });
  const res = await signed(app, 'POST', '/event/', [record('tina', 'acme'), record('fresh', 'acme'), record('tina', 'nope')]);
  t.equal(res.statusCode, 202);
  t.equal(res.headers['x-emulator-failed-records'], '1', 'the unknown tenant fails its record');
  const global = await ok(t, app, 'GET', '/v1/user/tina/', undefined, 200);
  t.same([global.properties, global.$email], [{ role: 'user' }, undefined], 'the global profile did not change');
  const scoped = await ok(t, app, 'GET', '/v1/user/tina/tenant/acme/', undefined, 200);
  t.same([scoped.properties, emails(scoped)], [{ role: 'admin' }, ['tina@acme.test']]);
  t.same((await ok(t, app, 'GET', '/v1/user/fresh/tenant/acme/', undefined, 200)).properties, { role: 'admin' }, 'a new user too');
});

t.test('cascades: deleting a user or a tenant deletes its tenant profiles; a merge keeps the primary’s', async (t) => {
  const app = await withTenants(t, 'acme', 'beta');
  const profiles = () => countRows(app, 'SELECT count(*) AS n FROM user_tenant_profiles');
  const identities = () => countRows(app, 'SELECT count(*) AS n FROM user_tenant_identities');
  for (const id of ['p', 's', 'gone'])
    await ok(t, app, 'POST', `/v1/user/${id}/tenant/acme/`, { who: `${id}@acme`, $email: [`${id}@acme.test`] }, 201);
  await ok(t, app, 'POST', '/v1/user/s/tenant/beta/', { who: 's@beta' }, 201);
  t.same([profiles(), identities()], [4, 3]);

  t.equal((await bearer(app, 'DELETE', '/v1/user/gone/')).statusCode, 204);
  t.same([profiles(), identities()], [3, 2], "the user's tenant profiles and their identities went with it");

  await ok(t, app, 'POST', '/v1/user/p/merge/', { from_user_id: 's' }, 201);
  t.same((await ok(t, app, 'GET', '/v1/user/p/tenant/acme/', undefined, 200)).properties.who, 'p@acme', "the primary's own stays");
  t.same((await ok(t, app, 'GET', '/v1/user/p/tenant/beta/', undefined, 200)).properties.who, 's@beta', "the secondary's moves over");
  t.equal(profiles(), 2, "the secondary's profile in a tenant the primary has one in is dropped");

  t.equal((await bearer(app, 'DELETE', '/v1/tenant/beta/')).statusCode, 204);
  expectApiError(t, await bearer(app, 'GET', '/v1/user/p/tenant/beta/'), 404);
  t.equal(profiles(), 1, "the tenant's profiles went with it");
  t.same((await ok(t, app, 'GET', '/v1/user/p/tenant/acme/', undefined, 200)).properties.who, 'p@acme', 'others stay');
});

t.test('snapshots carry tenant profiles; reset empties them', async (t) => {
  const app = await withTenants(t, 'acme');
  await ok(t, app, 'POST', '/v1/user/tina/', { role: 'user' }, 201);
  const scoped = await ok(t, app, 'POST', '/v1/user/tina/tenant/acme/', { role: 'admin', $email: ['tina@acme.test'] }, 201);
  const exported = (await admin(app, 'GET', '/_emulator/snapshot')).body;
  const copy = await build(t);
  t.equal((await admin(copy, 'POST', '/_emulator/snapshot', exported)).statusCode, 200);
  t.same(await ok(t, copy, 'GET', '/v1/user/tina/tenant/acme/', undefined, 200), scoped, 'the same user as seen in the tenant');
  t.equal((await admin(copy, 'GET', '/_emulator/snapshot')).body, exported, 'export → import → export is stable');

  t.equal((await admin(app, 'POST', '/_emulator/reset')).statusCode, 204);
  expectApiError(t, await bearer(app, 'GET', '/v1/user/tina/tenant/acme/'), 404);
});

t.test('user_tenancy_mode exclusive: a user has a profile in one tenant at most', async (t) => {
  const app = await build(t);
  const created = await admin(app, 'POST', '/_emulator/workspaces', {
    name: 'solo',
    api_keys: ['solo_api_key_1'],
    user_tenancy_mode: 'exclusive',
  });
  t.equal(created.statusCode, 201);
  t.equal(JSON.parse(created.body).user_tenancy_mode, 'exclusive');
  const send = (method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, body?: unknown) =>
    bearer(app, method, url, body, 'solo_api_key_1');
  for (const id of ['acme', 'beta']) t.equal((await send('POST', `/v1/tenant/${id}/`, { tenant_name: id })).statusCode, 201);
  t.equal((await send('POST', '/v1/user/u1/tenant/acme/', { role: 'a' })).statusCode, 201);
  t.equal((await send('POST', '/v1/user/u1/tenant/acme/', { role: 'a2' })).statusCode, 201, 'the same tenant again is fine');
  const before = databaseDigest(app);
  for (const [method, body] of [
    ['POST', { role: 'b' }],
    ['PATCH', { operations: [{ $set: { role: 'b' } }] }],
  ] as const) {
    const err = expectApiError(t, await send(method, '/v1/user/u1/tenant/beta/', body), 400, `${method} in a second tenant`);
    t.equal(err.message, 'user is already associated with a different tenant');
  }
  t.equal(databaseDigest(app), before, 'nothing changed');
  t.equal((await send('DELETE', '/v1/user/u1/tenant/acme/')).statusCode, 204);
  t.equal((await send('POST', '/v1/user/u1/tenant/beta/', { role: 'b' })).statusCode, 201, 'after unlinking, another tenant');
  t.equal(
    (await ok(t, app, 'GET', '/_emulator/workspaces/default', undefined, 200, admin)).user_tenancy_mode,
    'shared',
    'shared by default',
  );
});
