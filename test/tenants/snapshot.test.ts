/**
 * Tenants in snapshots (version 2): exported, imported into a fresh server
 * and exported again unchanged, served the same; version 1 documents (no
 * tenants) still imported; bad tenants refused with nothing changed; a seed
 * file holding tenants.
 */
import t from 'tap';
import { admin, bearer, build, databaseDigest, expectJson, tempDir, WS_A, WS_B, writeIn } from '../helpers/index.js';
import { adminOk } from '../admin/fixtures/admin.js';
import { richWorkspace, snapshotOf, snapshotV1Of, tenant as snapshotTenant, T0, T1 } from '../admin/fixtures/snapshot.js';
import { asBrand, expectedTenant, getTenant, listTenants, type TenantPage, untouchedDefault, upsertTenant } from './fixtures/helpers.js';

const B = WS_B.api_keys[0]!;

interface Doc {
  format: string;
  version: number;
  workspaces: { name: string; tenants: ReturnType<typeof snapshotTenant>[] }[];
}

/** What the API serves of a workspace's tenants, as text. */
async function served(app: Awaited<ReturnType<typeof build>>, apiKey?: string) {
  const get = async (url: string) => {
    const res = await bearer(app, 'GET', url, undefined, apiKey);
    return `${res.statusCode} ${res.body}`;
  };
  return {
    list: await get('/v1/tenant/?limit=100'),
    brands: await get('/v1/brand/?limit=100'),
    acme: await get('/v1/tenant/acme/'),
    default: await get('/v1/tenant/default/'),
  };
}

t.test('export → import into a fresh server → export: identical, and the API serves the same tenants', async (t) => {
  const first = await build(t);
  await upsertTenant(t, first, 'acme', {
    tenant_name: 'Acme',
    logo: 'https://acme.test/logo.png',
    timezone: 'Europe/Paris',
    blocked_channels: ['sms', 'email'],
    embedded_preference_url: 'https://acme.test/prefs',
    hosted_preference_domain: 'prefs.acme.test',
    primary_color: '#ff0000',
    secondary_color: '#0f0',
    tertiary_color: '#0000ff',
    social_links: { website: 'https://acme.test', x: 'https://x.test/acme' },
    properties: { plan: 'enterprise', nested: { a: [1, 2] }, constructor: 'ok' },
  });
  await upsertTenant(t, first, 'beta', { tenant_name: 'Beta' });
  await upsertTenant(t, first, 'default', { tenant_name: 'The Org', properties: { hq: 'Berlin' } });
  await upsertTenant(t, first, 'acme', { tenant_name: 'Acme in B' }, B);

  const doc = await adminOk<Doc>(t, first, 'GET', '/_emulator/snapshot', undefined, 200);
  t.equal(doc.version, 2, 'snapshots are version 2');
  const a = doc.workspaces.find((w) => w.name === WS_A.name)!;
  t.strictSame(
    a.tenants.map((x) => x.tenant_id),
    ['acme', 'beta', 'default'],
    'stored tenants, oldest first (the default once changed)',
  );
  t.strictSame(a.tenants[0]!.social_links, { website: 'https://acme.test', x: 'https://x.test/acme' }, 'only the links set');
  t.strictSame(a.tenants[0]!.blocked_channels, ['sms', 'email']);
  t.strictSame(
    doc.workspaces.find((w) => w.name === WS_B.name)!.tenants.map((x) => x.tenant_id),
    ['acme'],
    "B's untouched default is not stored, so not exported",
  );

  const before = await served(first);
  const beforeB = await served(first, B);
  const second = await build(t);
  const imported = await adminOk<{ imported: { name: string; tenants: number }[] }>(t, second, 'POST', '/_emulator/snapshot', doc, 200);
  t.strictSame(
    imported.imported.map((w) => [w.name, w.tenants]),
    [
      [WS_A.name, 3],
      [WS_B.name, 1],
    ],
    'the import counts the tenants',
  );
  t.strictSame(await adminOk(t, second, 'GET', '/_emulator/snapshot', undefined, 200), doc, 'the export is identical');
  t.strictSame(await served(second), before, 'A serves the same tenants');
  t.strictSame(await served(second, B), beforeB, 'B too');

  // Imported tenants keep working.
  const edited = await upsertTenant(t, second, 'acme', { properties: { seats: 3 } });
  t.strictSame(edited.properties, { plan: 'enterprise', nested: { a: [1, 2] }, constructor: 'ok', seats: 3 });
  t.equal((await bearer(second, 'DELETE', '/v1/tenant/beta/')).statusCode, 204);
});

t.test('an untouched default follows the workspace it is imported into; a changed one keeps its name', async (t) => {
  const app = await build(t);
  const doc = snapshotOf({ ...richWorkspace('copy'), tenants: [], user_tenant_profiles: [] });
  await adminOk(t, app, 'POST', '/_emulator/snapshot', doc, 200);
  const ws = await adminOk<{ api_keys: string[] }>(t, app, 'GET', '/_emulator/workspaces/copy', undefined, 200);
  t.strictSame(await getTenant(t, app, 'default', ws.api_keys[0]!), untouchedDefault('copy'));
  await adminOk(t, app, 'POST', '/_emulator/snapshot', snapshotOf(richWorkspace('copy')), 200);
  const changed = await getTenant(t, app, 'default', ws.api_keys[0]!);
  t.strictSame(
    changed,
    expectedTenant({ tenant_id: 'default', tenant_name: 'Org copy', primary_color: '#112233', updated_at: T1.replace('+00:00', 'Z') }),
  );
});

t.test('a version 1 snapshot (before tenants) is still imported: its workspaces hold only their default tenant', async (t) => {
  const app = await build(t);
  await upsertTenant(t, app, 'acme', { tenant_name: 'Acme' });
  await upsertTenant(t, app, 'default', { tenant_name: 'Changed' });
  const old = snapshotV1Of(richWorkspace(WS_A.name, 'a'));
  t.notOk('tenants' in old.workspaces[0]!, 'the document has no tenants');
  const res = await adminOk<{ imported: unknown[] }>(t, app, 'POST', '/_emulator/snapshot', old, 200);
  t.strictSame(res.imported, [{ name: WS_A.name, users: 2, lists: 1, objects: 2, subscriptions: 2, tenants: 0 }]);
  t.strictSame(await listTenants(t, app), { meta: { count: 1, limit: 20, offset: 0 }, results: [untouchedDefault(WS_A.name)] });
  expectJson(t, await bearer(app, 'GET', '/v1/user/alice/'), 200, 'its users are there');
  const exported = await adminOk<Doc>(t, app, 'GET', `/_emulator/snapshot?workspace=${WS_A.name}`, undefined, 200);
  t.equal(exported.version, 2, 'and it exports as version 2');
  t.strictSame(exported.workspaces[0]!.tenants, []);
  // A version 2 document must carry tenants.
  const noTenants = snapshotOf(old.workspaces[0]);
  const bad = expectJson<{ message: string }>(t, await admin(app, 'POST', '/_emulator/snapshot', noTenants), 400, 'v2 without tenants');
  t.match(bad.message, /tenants/);
});

t.test('bad tenants in a snapshot: 400 naming the place, nothing changed', async (t) => {
  const app = await build(t);
  await upsertTenant(t, app, 'acme', { tenant_name: 'Acme' });
  const before = databaseDigest(app);
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an upper-case tenant_id', { tenant_id: 'Acme' }, /tenants\.0\.tenant_id/],
    ['a 65-character tenant_id', { tenant_id: 'a'.repeat(65) }, /tenant_id/],
    ['a blank name', { tenant_name: '' }, /tenant_name/],
    ['a bad colour', { primary_color: 'blue' }, /primary_color/],
    ['a bad time zone', { timezone: 'Nowhere/Land' }, /timezone/],
    ['an unknown channel', { blocked_channels: ['fax'] }, /blocked_channels/],
    ['an unknown social link', { social_links: { myspace: 'https://m.test' } }, /social_links/],
    ['an empty social link (unset links are left out)', { social_links: { website: '' } }, /social_links/],
    ['a bad timestamp', { updated_at: '2024-05-01T10:00:00Z' }, /updated_at/],
    ['properties not an object', { properties: [] }, /properties/],
  ];
  for (const [what, change, message] of cases) {
    const doc = snapshotOf({
      ...richWorkspace(WS_A.name),
      tenants: [{ ...snapshotTenant('beta', 'Beta'), ...change }],
      user_tenant_profiles: [],
    });
    const res = expectJson<{ message: string }>(t, await admin(app, 'POST', '/_emulator/snapshot', doc), 400, what);
    t.match(res.message, message, `${what}: the message names the place (${res.message})`);
  }
  const twice = snapshotOf({
    ...richWorkspace(WS_A.name),
    tenants: [snapshotTenant('beta', 'B1'), snapshotTenant('beta', 'B2')],
    user_tenant_profiles: [],
  });
  const dup = expectJson<{ message: string }>(t, await admin(app, 'POST', '/_emulator/snapshot', twice), 400, 'a tenant twice');
  t.match(dup.message, /tenant twice/);
  t.equal(databaseDigest(app), before, 'nothing changed');
});

t.test('a seed file (SEED_PATH) can hold tenants', async (t) => {
  const dir = tempDir(t);
  const seed = snapshotOf({
    ...richWorkspace(WS_A.name, 'seed'),
    tenants: [
      snapshotTenant('acme', 'Seeded Acme', { properties: { from: 'seed' }, created_at: T0, updated_at: T0 }),
      snapshotTenant('default', 'Seeded Org'),
    ],
  });
  const app = await build(t, { seedPath: writeIn(dir, 'seed.json', JSON.stringify(seed)) });
  const page = await listTenants(t, app);
  t.strictSame(
    page.results.map((r) => [r.tenant_id, r.tenant_name]),
    [
      ['default', 'Seeded Org'],
      ['acme', 'Seeded Acme'],
    ],
  );
  t.strictSame(page.results[1]!.properties, { from: 'seed' });
  const brands = expectJson<TenantPage<ReturnType<typeof asBrand>>>(t, await bearer(app, 'GET', '/v1/brand/'), 200);
  t.strictSame(brands.results, page.results.map(asBrand), 'the brands API serves the seeded tenants');
});
