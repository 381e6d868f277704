/**
 * Contract tests: the real `@suprsend/node-sdk` `tenants` and `brands` APIs
 * (list, get, upsert each; the Node SDK has no delete) against a real,
 * listening emulator. Every request is built, signed and sent by the SDK
 * itself. Expected values come from the spec's tenant object (§4b.2) and the
 * project's decisions; only updated_at is taken from the server, after its
 * format is checked.
 */
import t from 'tap';
import { listening, WS_A, WS_B } from '../helpers/index.js';
import { rejectionOf, sdkFor } from '../helpers/sdk.js';
import {
  asBrand,
  type Brand,
  expectedTenant,
  matchesUpstreamList,
  matchesUpstreamTenant,
  type Tenant,
  TENANT_TIMESTAMP,
  type TenantPage,
  untouchedDefault,
} from '../tenants/fixtures/helpers.js';

const PAYLOAD = {
  tenant_name: 'Acme Inc',
  logo: 'https://acme.test/logo.png',
  timezone: 'America/New_York',
  blocked_channels: ['sms'],
  embedded_preference_url: 'https://app.acme.test/settings/notifications',
  hosted_preference_domain: 'preferences.acme.test',
  primary_color: '#ff0000',
  secondary_color: '#00ff00',
  tertiary_color: '#0000ff',
  social_links: { website: 'https://acme.test', facebook: '', linkedin: '', x: '', instagram: '' },
  properties: { plan: 'enterprise' },
};

t.test('every tenants method of the Node SDK', async (t) => {
  const { baseUrl } = await listening(t);
  const sdk = sdkFor(baseUrl);
  const tenants = sdk.tenants;

  // ---- get: the default tenant exists on a fresh workspace ----
  const fresh = (await tenants.get('default')) as Tenant;
  t.strictSame(fresh, untouchedDefault(WS_A.name));
  matchesUpstreamTenant(t, fresh);

  // ---- upsert ----
  const created = (await tenants.upsert('acme', PAYLOAD)) as Tenant;
  t.match(created.updated_at, TENANT_TIMESTAMP);
  t.strictSame(
    created,
    expectedTenant({ ...PAYLOAD, tenant_id: 'acme', social_links: { website: 'https://acme.test' }, updated_at: created.updated_at }),
    'upsert answers the whole tenant',
  );
  matchesUpstreamTenant(t, created, 'upsert');
  const updated = (await tenants.upsert('acme', { properties: { seats: 10 }, social_links: { website: '' } })) as Tenant;
  t.strictSame(updated.properties, { plan: 'enterprise', seats: 10 }, 'properties upserted');
  t.equal(updated.social_links.website, '', '"" removed the link');
  t.equal(updated.tenant_name, 'Acme Inc', 'the name stays');
  t.strictSame(await tenants.get('acme'), updated, 'get answers what upsert answered');
  // detail_url trims the id, as upstream's SDK does before sending it.
  t.strictSame(await tenants.get('  acme '), updated);

  // ---- errors the SDK turns into SuprsendApiError ----
  t.equal((await rejectionOf(tenants.get('nope')))?.message, '404: No tenant found for tenant_id nope');
  t.equal(
    (await rejectionOf(tenants.upsert('newone', { logo: 'https://x.test/l.png' })))?.message,
    '400: {"tenant_name": ["This field is required."]}',
  );
  t.match((await rejectionOf(tenants.upsert('Bad', { tenant_name: 'x' })))?.message, /^400: \{"tenant_id": \[/);

  // ---- list (the SDK sends limit=20&offset=0 unless told; it clamps the limit itself) ----
  for (const id of ['t1', 't2']) await tenants.upsert(id, { tenant_name: id });
  const all = (await tenants.list()) as TenantPage;
  t.strictSame(all.meta, { count: 4, limit: 20, offset: 0 });
  t.strictSame(
    all.results.map((r) => r.tenant_id),
    ['default', 'acme', 't1', 't2'],
  );
  matchesUpstreamList(t, all);
  const page = (await tenants.list({ limit: 2, offset: 1 })) as TenantPage;
  t.strictSame(page, { meta: { count: 4, limit: 2, offset: 1 }, results: [updated, all.results[2]] });
  t.equal(((await tenants.list({ limit: 5000 })) as TenantPage).meta.limit, 20, 'the SDK replaces a limit over 1000 by 20');

  // ---- another workspace sees none of it ----
  const other = sdkFor(baseUrl, WS_B);
  t.equal((await rejectionOf(other.tenants.get('acme')))?.message, '404: No tenant found for tenant_id acme');
  t.strictSame(((await other.tenants.list()) as TenantPage).results, [untouchedDefault(WS_B.name)]);
});

t.test('every brands method of the Node SDK: the same tenants under brand_id and brand_name', async (t) => {
  const { baseUrl } = await listening(t);
  const sdk = sdkFor(baseUrl);
  const { tenant_name: _, ...rest } = PAYLOAD;

  const created = (await sdk.brands.upsert('acme', { brand_name: 'Acme Brand', ...rest })) as Brand;
  const asTenant = (await sdk.tenants.get('acme')) as Tenant;
  t.equal(asTenant.tenant_name, 'Acme Brand', 'a brand is a tenant');
  t.strictSame(created, asBrand(asTenant), 'upsert answers the brand');
  t.strictSame(await sdk.brands.get('acme'), created, 'get');
  t.strictSame(await sdk.brands.get('default'), asBrand(untouchedDefault(WS_A.name)), 'the default tenant is a brand too');

  await sdk.tenants.upsert('acme', { tenant_name: 'Renamed' });
  t.equal(((await sdk.brands.get('acme')) as Brand).brand_name, 'Renamed', 'changed as a tenant, read as a brand');

  const list = (await sdk.brands.list({ limit: 1, offset: 1 })) as TenantPage<Brand>;
  t.strictSame(list.meta, { count: 2, limit: 1, offset: 1 });
  t.strictSame(
    list.results.map((b) => [b.brand_id, b.brand_name]),
    [['acme', 'Renamed']],
  );
  t.equal((await rejectionOf(sdk.brands.get('nope')))?.message, '404: No brand found for brand_id nope');
  t.equal(
    (await rejectionOf(sdk.brands.upsert('b2', { primary_color: '#fff' })))?.message,
    '400: {"brand_name": ["This field is required."]}',
  );
});
