/**
 * Tenants through the API: the default tenant of every workspace, create,
 * update (null leaves a field, "" clears it, properties upsert), get, list
 * with offset paging, delete, the brands alias over the same store, and
 * isolation between workspaces.
 */
import t from 'tap';
import { admin, bearer, build, expectJson, WS_A, WS_B } from '../helpers/index.js';
import { adminOk, createWorkspace } from '../admin/fixtures/admin.js';
import {
  asBrand,
  type Brand,
  expectedTenant,
  getTenant,
  listTenants,
  matchesUpstreamList,
  matchesUpstreamTenant,
  NO_LINKS,
  TENANT_TIMESTAMP,
  type TenantPage,
  untouchedDefault,
  upsertTenant,
} from './fixtures/helpers.js';

const B = WS_B.api_keys[0]!;

const ACME = {
  tenant_name: 'Acme Inc',
  logo: 'https://acme.test/logo.png',
  timezone: 'America/New_York',
  blocked_channels: ['sms'],
  embedded_preference_url: 'https://app.acme.test/settings/notifications',
  hosted_preference_domain: 'preferences.acme.test',
  primary_color: '#ff0000',
  secondary_color: '#00ff00',
  tertiary_color: '#0000ff',
  social_links: { website: 'https://acme.test', facebook: '', linkedin: 'https://linkedin.test/acme' },
  properties: { plan: 'enterprise', address: { city: 'Paris' } },
};

t.test('every workspace has a default tenant: fresh, created at run time, after resets', async (t) => {
  const app = await build(t);
  const fresh = await getTenant(t, app, 'default');
  t.strictSame(fresh, untouchedDefault(WS_A.name), 'named after the workspace, nothing else set, never updated');
  matchesUpstreamTenant(t, fresh, 'fresh default');
  t.strictSame(await getTenant(t, app, 'default', B), untouchedDefault(WS_B.name), "the other workspace's default has its name");
  const page = await listTenants(t, app);
  t.strictSame(page, { meta: { count: 1, limit: 20, offset: 0 }, results: [fresh] }, 'the listing holds it');
  matchesUpstreamList(t, page);

  const runtime = await createWorkspace(t, app, { name: 'runtime-ws' });
  t.strictSame(
    await getTenant(t, app, 'default', runtime.api_keys[0]!),
    untouchedDefault('runtime-ws'),
    'a workspace created at run time has one',
  );

  // Changed, then reset: back to the computed default.
  await upsertTenant(t, app, 'default', { tenant_name: 'Org', primary_color: '#123456' });
  await upsertTenant(t, app, 'default', { tenant_name: 'Org B' }, B);
  await upsertTenant(t, app, 'acme', { tenant_name: 'Acme' });
  t.equal((await admin(app, 'POST', '/_emulator/workspaces/default/reset')).statusCode, 204, 'reset one workspace');
  t.strictSame(await listTenants(t, app), { meta: { count: 1, limit: 20, offset: 0 }, results: [untouchedDefault(WS_A.name)] });
  t.equal((await getTenant(t, app, 'default', B)).tenant_name, 'Org B', 'the other workspace keeps its change');
  t.equal((await admin(app, 'POST', '/_emulator/reset')).statusCode, 204, 'reset everything');
  t.strictSame(await getTenant(t, app, 'default', B), untouchedDefault(WS_B.name), 'after a full reset too');
  t.strictSame(await getTenant(t, app, 'default', runtime.api_keys[0]!), untouchedDefault('runtime-ws'));
});

t.test('create, get, update: null leaves a field, "" clears it, properties upsert on first-level keys', async (t) => {
  const app = await build(t);
  const created = await upsertTenant(t, app, 'acme', ACME);
  t.match(created.updated_at, TENANT_TIMESTAMP, 'updated_at: microseconds and Z, as upstream');
  t.strictSame(
    created,
    expectedTenant({
      ...ACME,
      tenant_id: 'acme',
      social_links: { website: 'https://acme.test', linkedin: 'https://linkedin.test/acme' },
      updated_at: created.updated_at,
    }),
    'POST answers 201 with the whole tenant',
  );
  matchesUpstreamTenant(t, created, 'created');
  t.strictSame(await getTenant(t, app, 'acme'), created, 'GET answers the same');

  // Go sends "blocked_channels": null on every upsert; nulls leave fields as they are.
  const nulls = await upsertTenant(t, app, 'acme', {
    tenant_name: null,
    logo: null,
    timezone: null,
    blocked_channels: null,
    primary_color: null,
    social_links: null,
    properties: null,
  });
  t.strictSame({ ...nulls, updated_at: null }, { ...created, updated_at: null }, 'null changes nothing');
  t.ok(nulls.updated_at! > created.updated_at!, 'but updated_at moves');
  const empty = await upsertTenant(t, app, 'acme', {});
  t.strictSame({ ...empty, updated_at: null }, { ...created, updated_at: null }, 'an empty body changes nothing (the tenant exists)');

  const changed = await upsertTenant(t, app, 'acme', {
    tenant_name: 'Acme Corp',
    logo: '',
    blocked_channels: [],
    secondary_color: '',
    social_links: { website: '', Twitter: 'https://x.test/acme', youtube: null },
    properties: { plan: 'pro', seats: 5, address: null },
  });
  t.strictSame(
    changed,
    expectedTenant({
      ...ACME,
      tenant_id: 'acme',
      tenant_name: 'Acme Corp',
      logo: null,
      blocked_channels: [],
      secondary_color: null,
      social_links: { x: 'https://x.test/acme', linkedin: 'https://linkedin.test/acme' },
      properties: { plan: 'pro', address: null, seats: 5 },
      updated_at: changed.updated_at,
    }),
    '"" clears a field and removes a link, twitter is x, properties are upserted per first-level key, [] empties blocked_channels',
  );
  t.strictSame(changed.social_links, { ...NO_LINKS, linkedin: 'https://linkedin.test/acme', x: 'https://x.test/acme' });

  // preference_page_url (the OpenAPI request's name) fills embedded_preference_url.
  const older = await upsertTenant(t, app, 'acme', { preference_page_url: 'https://old.acme.test/prefs' });
  t.equal(older.embedded_preference_url, 'https://old.acme.test/prefs');
  // Unknown keys, and tenant_id / updated_at in the body (a fetched tenant sent back), are ignored.
  const roundTrip = await upsertTenant(t, app, 'acme', { ...older, tenant_id: 'other', updated_at: 'x', unknown: 1 });
  t.strictSame({ ...roundTrip, updated_at: null }, { ...older, updated_at: null }, 'a fetched tenant posted back changes nothing');
  t.equal((await bearer(app, 'GET', '/v1/tenant/other/')).statusCode, 404, 'the body tenant_id does not create another tenant');
});

t.test('list: default first, then creation order; limit and offset', async (t) => {
  const app = await build(t);
  for (const id of ['t3', 't1', 't2']) await upsertTenant(t, app, id, { tenant_name: id.toUpperCase() });
  const all = await listTenants(t, app);
  t.strictSame(
    all.results.map((r) => r.tenant_id),
    ['default', 't3', 't1', 't2'],
  );
  t.strictSame(all.meta, { count: 4, limit: 20, offset: 0 });
  matchesUpstreamList(t, all);
  const pages: string[][] = [];
  for (let offset = 0; offset < 5; offset += 2) {
    const page = await listTenants(t, app, `?limit=2&offset=${offset}`);
    t.strictSame(page.meta, { count: 4, limit: 2, offset });
    pages.push(page.results.map((r) => r.tenant_id));
  }
  t.strictSame(pages, [['default', 't3'], ['t1', 't2'], []], 'pages of two, then an empty one');
  t.strictSame(
    (await listTenants(t, app, '?limit=1&offset=1')).results.map((r) => r.tenant_id),
    ['t3'],
    'offset 1 skips the computed default',
  );

  // Once stored, the default stays first.
  await upsertTenant(t, app, 'default', { primary_color: '#000000' });
  const stored = await listTenants(t, app, '?limit=2');
  t.strictSame(
    stored.results.map((r) => r.tenant_id),
    ['default', 't3'],
  );
  t.equal(stored.meta.count, 4, 'the stored default is counted once');
  t.equal(stored.results[0]!.tenant_name, WS_A.name, 'its name stays the workspace name when only a colour changed');
  t.match(stored.results[0]!.updated_at, TENANT_TIMESTAMP);

  // The limit is brought into 1..1000, as the SDKs do before sending it.
  t.equal((await listTenants(t, app, '?limit=5000')).meta.limit, 1000);
  t.equal((await listTenants(t, app, '?limit=0')).meta.limit, 1);
  t.strictSame((await listTenants(t, app, '?offset=10')).results, [], 'an offset past the end is an empty page');
});

t.test('delete: 204, then 404; the default tenant cannot be deleted', async (t) => {
  const app = await build(t);
  await upsertTenant(t, app, 'gone', { tenant_name: 'Gone' });
  const res = await bearer(app, 'DELETE', '/v1/tenant/gone/');
  t.equal(res.statusCode, 204);
  t.equal(res.body, '', 'no body');
  t.equal((await bearer(app, 'GET', '/v1/tenant/gone/')).statusCode, 404);
  t.equal((await bearer(app, 'DELETE', '/v1/tenant/gone/')).statusCode, 404, 'a second delete is a 404');
  t.equal((await bearer(app, 'DELETE', '/v1/tenant/default/')).statusCode, 400);
  t.strictSame(await listTenants(t, app), { meta: { count: 1, limit: 20, offset: 0 }, results: [untouchedDefault(WS_A.name)] });
  // Re-created, it starts afresh (tenant_name required again).
  t.equal((await bearer(app, 'POST', '/v1/tenant/gone/', { logo: 'https://x.test/l.png' })).statusCode, 400);
  t.equal((await upsertTenant(t, app, 'gone', { tenant_name: 'Back' })).logo, null);
});

t.test('brands are the same tenants under brand_id and brand_name', async (t) => {
  const app = await build(t);
  const { tenant_name: _, ...rest } = ACME;
  const brand = expectJson<Brand>(
    t,
    await bearer(app, 'POST', '/v1/brand/acme/', { brand_name: 'Acme Brand', ...rest }),
    201,
    'brand upsert',
  );
  const tenant = await getTenant(t, app, 'acme');
  t.equal(tenant.tenant_name, 'Acme Brand', 'created as a brand, read as a tenant');
  t.strictSame(brand, asBrand(tenant), 'same fields, brand names');
  t.strictSame(Object.keys(brand).slice(0, 2), ['brand_id', 'brand_name']);

  const renamed = await upsertTenant(t, app, 'acme', { tenant_name: 'Acme Tenant', properties: { k: 'v' } });
  const back = expectJson<Brand>(t, await bearer(app, 'GET', '/v1/brand/acme/'), 200, 'brand get');
  t.strictSame(back, asBrand(renamed), 'changed as a tenant, read back as a brand');

  const list = expectJson<TenantPage<Brand>>(t, await bearer(app, 'GET', '/v1/brand/?limit=10&offset=0'), 200, 'brand list');
  t.strictSame(list, { meta: { count: 2, limit: 10, offset: 0 }, results: [asBrand(untouchedDefault(WS_A.name)), back] });

  // tenant_name on a brand route is not the brand's name: creating needs brand_name.
  const noName = expectJson<{ detail: unknown }>(t, await bearer(app, 'POST', '/v1/brand/b2/', { tenant_name: 'x' }), 400, 'no brand_name');
  t.strictSame(noName.detail, { brand_name: ['This field is required.'] });
  const missing = expectJson<{ message: string }>(t, await bearer(app, 'GET', '/v1/brand/nope/'), 404, 'unknown brand');
  t.equal(missing.message, 'No brand found for brand_id nope');
  t.equal((await bearer(app, 'DELETE', '/v1/brand/acme/')).statusCode, 405, 'no SDK deletes brands: DELETE is not served');
});

t.test('workspaces never see each other’s tenants', async (t) => {
  const app = await build(t);
  await upsertTenant(t, app, 'acme', { tenant_name: 'Acme in A', properties: { ws: 'a' } });
  t.equal((await bearer(app, 'GET', '/v1/tenant/acme/', undefined, B)).statusCode, 404, "B does not see A's tenant");
  t.equal((await bearer(app, 'DELETE', '/v1/tenant/acme/', undefined, B)).statusCode, 404, 'nor delete it');
  const inB = await upsertTenant(t, app, 'acme', { tenant_name: 'Acme in B' }, B);
  t.strictSame(inB.properties, {}, "B's acme is its own");
  t.equal((await getTenant(t, app, 'acme')).tenant_name, 'Acme in A', "A's is unchanged");
  t.equal((await listTenants(t, app, '', B)).meta.count, 2);
  t.equal((await bearer(app, 'DELETE', '/v1/tenant/acme/', undefined, B)).statusCode, 204);
  t.equal((await getTenant(t, app, 'acme')).tenant_name, 'Acme in A', "deleting B's leaves A's");
  // The workspace's name is per workspace too.
  t.equal((await getTenant(t, app, 'default', B)).tenant_name, WS_B.name);
});

t.test('dropping a runtime workspace deletes its tenants', async (t) => {
  const app = await build(t);
  const ws = await createWorkspace(t, app, { name: 'temp' });
  await upsertTenant(t, app, 'acme', { tenant_name: 'Acme' }, ws.api_keys[0]!);
  const dataKey = app.emulator.workspaces.get('temp').dataKey;
  t.equal((await admin(app, 'DELETE', '/_emulator/workspaces/temp')).statusCode, 204);
  app.emulator.workspaces.drainGc();
  const n = app.emulator.db.$client.prepare('SELECT count(*) AS n FROM tenants WHERE workspace = ?').get(dataKey) as { n: number };
  t.equal(n.n, 0, 'no tenant row of the dropped workspace is left');
  await adminOk(t, app, 'POST', '/_emulator/workspaces', { name: 'temp' }, 201);
});
