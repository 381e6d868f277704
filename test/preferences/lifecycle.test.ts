/**
 * Where stored choices and the catalog go: user/object/tenant deletes and
 * merges cascade; a workspace reset forgets choices and overrides but keeps
 * the catalog (it is workspace configuration, like the keys); snapshots carry
 * catalog, choices and overrides; no data crosses workspaces.
 */
import t from 'tap';
import { admin, build, expectJson, ok, signedAs, WS_B } from '../helpers/index.js';
import { defineCatalog, PRODUCT_CATALOG } from './fixtures/catalog.js';

const choice = (body: { original_preference: string | null; preference: string }) => [body.original_preference, body.preference];

t.test('cascades: user delete, merge, object delete, tenant delete', async (t) => {
  const app = await build(t);
  await defineCatalog(t, app, PRODUCT_CATALOG);
  for (const id of ['alice', 'bob']) await ok(t, app, 'POST', `/v1/user/${id}/`, {}, 201);
  await ok(t, app, 'POST', '/v1/object/teams/t1/', {}, 201);
  await ok(t, app, 'POST', '/v1/tenant/acme/', { tenant_name: 'Acme' }, 201);
  const news = (who: string, q = '') => `/v1/user/${who}/preference/category/newsletter/${q}`;
  await ok(t, app, 'PATCH', news('alice'), { preference: 'opt_in' }, 202);
  await ok(t, app, 'PATCH', news('bob'), { preference: 'opt_in', opt_out_channels: ['sms'] }, 202);
  await ok(t, app, 'PATCH', news('alice', '?tenant_id=acme'), { preference: 'opt_in' }, 202);

  // Merge: the primary (alice) keeps hers; bob's go with bob.
  await ok(t, app, 'POST', '/v1/user/alice/merge/', { from_user_id: 'bob' }, 201);
  const merged = await ok(t, app, 'GET', news('alice'), undefined, 200);
  t.strictSame(choice(merged), ['opt_out', 'opt_in']);
  t.equal(merged.channels[1].preference, 'opt_in', "bob's sms opt-out did not move over");
  await ok(t, app, 'POST', '/v1/user/bob/', {}, 201);
  t.strictSame(choice(await ok(t, app, 'GET', news('bob'), undefined, 200)), [null, 'opt_out'], 'a new bob starts from the defaults');

  // Tenant delete: choices scoped to it go; a new tenant of that id starts clean.
  await ok(t, app, 'PATCH', '/v1/tenant/acme/preference/category/otp/', { enabled_for_tenant: false }, 200);
  t.equal(
    (await app.inject({ method: 'DELETE', url: '/v1/tenant/acme/', headers: { authorization: 'Bearer api_key_a' } })).statusCode,
    204,
  );
  await ok(t, app, 'POST', '/v1/tenant/acme/', { tenant_name: 'Acme again' }, 201);
  t.strictSame(choice(await ok(t, app, 'GET', news('alice', '?tenant_id=acme'), undefined, 200)), [null, 'opt_out']);
  t.equal((await ok(t, app, 'GET', '/v1/tenant/acme/preference/category/otp/', undefined, 200)).enabled_for_tenant, true);
  t.strictSame(choice(await ok(t, app, 'GET', news('alice'), undefined, 200)), ['opt_out', 'opt_in'], 'the default scope stays');

  // User delete, object delete.
  await ok(t, app, 'PATCH', '/v1/object/teams/t1/preference/category/newsletter/', { preference: 'opt_in' }, 202);
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/user/alice/', headers: { authorization: 'Bearer api_key_a' } })).statusCode, 204);
  t.equal(
    (await app.inject({ method: 'DELETE', url: '/v1/object/teams/t1/', headers: { authorization: 'Bearer api_key_a' } })).statusCode,
    204,
  );
  await ok(t, app, 'POST', '/v1/user/alice/', {}, 201);
  await ok(t, app, 'POST', '/v1/object/teams/t1/', {}, 201);
  t.strictSame(choice(await ok(t, app, 'GET', news('alice'), undefined, 200)), [null, 'opt_out']);
  t.strictSame(choice(await ok(t, app, 'GET', '/v1/object/teams/t1/preference/category/newsletter/', undefined, 200)), [null, 'opt_out']);
  t.equal((app.emulator.db.$client.prepare('select count(*) as n from preference_sets').get() as { n: number }).n, 0, 'no orphan rows');
});

t.test('reset keeps the catalog, forgets choices; snapshots carry all three; workspaces stay apart', async (t) => {
  const app = await build(t);
  await defineCatalog(t, app, PRODUCT_CATALOG);
  await ok(t, app, 'POST', '/v1/user/alice/', {}, 201);
  await ok(t, app, 'POST', '/v1/tenant/acme/', { tenant_name: 'Acme' }, 201);
  await ok(
    t,
    app,
    'PATCH',
    '/v1/user/alice/preference/category/invoice-ready/',
    { preference: 'opt_in', opt_out_channels: ['email'], digest_schedule: { frequency: 'daily' } },
    202,
  );
  await ok(
    t,
    app,
    'PATCH',
    '/v1/user/alice/preference/channel_preference/?tenant_id=acme',
    { channel_preferences: [{ channel: 'sms', is_restricted: true }] },
    202,
  );
  await ok(t, app, 'PATCH', '/v1/tenant/acme/preference/category/newsletter/', { visible_to_subscriber: false, properties: { x: 1 } }, 200);

  // The other workspace sees none of it.
  const other = signedAs(WS_B);
  await ok(t, app, 'POST', '/v1/user/alice/', {}, 201, other);
  t.strictSame((await ok(t, app, 'GET', '/v1/user/alice/preference/', undefined, 200, other)).sections, [], 'no catalog in workspace B');

  const answers = async () => ({
    full: await ok(t, app, 'GET', '/v1/user/alice/preference/', undefined, 200),
    acme: await ok(t, app, 'GET', '/v1/user/alice/preference/?tenant_id=acme', undefined, 200),
    tenant: await ok(t, app, 'GET', '/v1/tenant/acme/preference/', undefined, 200),
  });
  const before = await answers();
  t.equal(before.full.sections[1].subcategories[0].digest_schedule.frequency, 'daily', 'digest_schedule echoed back');
  const snapshot = expectJson<{ workspaces: Record<string, unknown>[] }>(
    t,
    await admin(app, 'GET', '/_emulator/snapshot?workspace=default'),
    200,
  );
  t.equal((snapshot.workspaces[0]!.preferences as unknown[]).length, 2);
  t.equal((snapshot.workspaces[0]!.tenant_preference_categories as unknown[]).length, 1);
  t.strictSame((snapshot.workspaces[0]!.preference_categories as { channels: string[] }).channels, ['email', 'sms', 'inbox']);

  // Reset: the catalog stays, choices and overrides go.
  t.equal((await admin(app, 'POST', '/_emulator/workspaces/default/reset')).statusCode, 204);
  await ok(t, app, 'POST', '/v1/user/alice/', {}, 201);
  const afterReset = await ok(t, app, 'GET', '/v1/user/alice/preference/', undefined, 200);
  t.equal(afterReset.sections.length, 3, 'the catalog survives a reset');
  t.equal(afterReset.sections[1].subcategories[0].original_preference, null, 'choices do not');

  // Import the snapshot back: everything as before (and into a new workspace too).
  expectJson(t, await admin(app, 'POST', '/_emulator/snapshot', snapshot), 200);
  t.strictSame(await answers(), before, 'round trip');
  // A catalog emptied, then a snapshot with the catalog: the snapshot's catalog returns.
  await defineCatalog(t, app, { root_categories: [] });
  expectJson(t, await admin(app, 'POST', '/_emulator/snapshot', snapshot), 200);
  t.strictSame(await answers(), before, 'the snapshot brings its catalog');
  // A version-2 document without the new parts still imports (no choices, catalog kept).
  const old = structuredClone(snapshot);
  for (const k of ['preference_categories', 'preferences', 'tenant_preference_categories']) delete old.workspaces[0]![k];
  expectJson(t, await admin(app, 'POST', '/_emulator/snapshot', old), 200);
  const fromOld = await ok(t, app, 'GET', '/v1/user/alice/preference/', undefined, 200);
  t.equal(fromOld.sections.length, 3);
  t.equal(fromOld.sections[1].subcategories[0].original_preference, null);
});

t.test('catalog from WORKSPACES_FILE-style config and workspace creation', async (t) => {
  const app = await build(t);
  const created = await admin(app, 'POST', '/_emulator/workspaces', { name: 'with-cats', preference_categories: PRODUCT_CATALOG });
  t.equal(created.statusCode, 201, created.body);
  const doc = expectJson<{ channels: string[]; root_categories: { sections: unknown[] }[] }>(
    t,
    await admin(app, 'GET', '/_emulator/workspaces/with-cats/preference-categories'),
    200,
  );
  t.strictSame(doc.channels, ['email', 'sms', 'inbox']);
  t.strictSame(doc.root_categories[0], {
    root_category: 'system',
    sections: [
      {
        name: 'Security',
        slug: 'security',
        description: null,
        tags: null,
        categories: [
          {
            category: 'otp',
            name: 'OTP',
            description: null,
            default_preference: 'cant_unsubscribe',
            default_mandatory_channels: ['email'],
            default_opt_in_channels: null,
            tags: null,
          },
        ],
      },
    ],
  });
  // What GET answers can be PUT back unchanged.
  const again = expectJson(t, await admin(app, 'PUT', '/_emulator/workspaces/with-cats/preference-categories', doc), 200);
  t.strictSame(again, doc);
});

t.test('PREFERENCE_CATEGORIES_FILE gives the default workspace its catalog; a bad file stops the start naming the field', async (t) => {
  const { loadConfig, ConfigError } = await import('../../src/config.js');
  const { tempDir, writeIn, TEST_ENV } = await import('../helpers/index.js');
  const dir = tempDir(t);
  const good = writeIn(dir, 'cats.json', JSON.stringify(PRODUCT_CATALOG));
  const config = loadConfig({ ...TEST_ENV, PREFERENCE_CATEGORIES_FILE: good });
  t.strictSame(config.workspaces[0]!.preference_categories?.channels, ['email', 'sms', 'inbox']);
  const bad = writeIn(
    dir,
    'bad.json',
    JSON.stringify({
      root_categories: [{ root_category: 'system', categories: [{ category: 'x', name: 'X', default_preference: 'never' }] }],
    }),
  );
  t.throws(() => loadConfig({ ...TEST_ENV, PREFERENCE_CATEGORIES_FILE: bad }), ConfigError);
  t.throws(
    () => loadConfig({ ...TEST_ENV, PREFERENCE_CATEGORIES_FILE: bad }),
    /PREFERENCE_CATEGORIES_FILE.*root_categories\.0\.categories\.0\.default_preference: must be one of opt_in, opt_out, cant_unsubscribe/s,
  );
});
