/**
 * What the Python SDK (0.19.7) really sends for tenants.upsert/get/list/delete
 * and brands.upsert/get/list (recorded by scripts/sdk-capture/python/tenants.py
 * into test/fixtures/sdk-requests/python-tenants.json), replayed byte for byte
 * against a fresh emulator, and checked against what the SDK's code does with
 * the answer:
 * - get, upsert, list: `resp.json()` is returned when the status is < 400;
 * - delete: only the status is read (`{"success": True, "status_code": …}`);
 * - any status >= 400 raises SuprsendAPIException, whose message is
 *   `rjson.get("message") or rjson.get("detail")` when the content type is JSON.
 */
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { build, type CapturedRequest, loadCapture, replay, stepRequests, WS_A } from '../helpers/index.js';
import { type Brand, expectedTenant, type Tenant, TENANT_TIMESTAMP, type TenantPage, untouchedDefault } from './fixtures/helpers.js';

const capture = loadCapture('python-tenants');

/** The one request of a step. */
function only(step: string): CapturedRequest {
  const [request, ...more] = stepRequests(capture, step);
  if (more.length > 0) throw new Error(`step ${step} sent ${more.length + 1} requests`);
  return request!;
}

/** What the SDK returns for a success (`resp.json()`), after asserting the recorded status. */
function parsed<T>(t: Test, step: string, res: LightMyRequestResponse): T {
  t.equal(res.statusCode, only(step).status, `${step}: the status recorded (${only(step).status})`);
  t.ok(res.statusCode < 400, `${step}: a success, so the SDK returns resp.json()`);
  t.match(String(res.headers['content-type']), /^application\/json/, `${step}: JSON`);
  return JSON.parse(res.body) as T;
}

/** The SuprsendAPIException message the SDK builds from an error answer. */
function exceptionMessage(t: Test, step: string, res: LightMyRequestResponse): string {
  t.equal(res.statusCode, only(step).status, `${step}: the status recorded`);
  t.ok(res.statusCode >= 400, `${step}: an error, so the SDK raises SuprsendAPIException`);
  t.match(String(res.headers['content-type']), /application\/json/, `${step}: JSON, so the SDK reads message`);
  const body = JSON.parse(res.body) as { message?: string; detail?: unknown };
  return body.message || String(body.detail);
}

t.test('the Python SDK tenants and brands calls, replayed in order', async (t) => {
  const app = await build(t);
  const send = (step: string) => replay(app, only(step));

  t.strictSame(parsed<Tenant>(t, 'tenants.get default', await send('tenants.get default')), untouchedDefault(WS_A.name));

  const created = parsed<Tenant>(t, 'tenants.upsert create', await send('tenants.upsert create'));
  t.match(created.updated_at, TENANT_TIMESTAMP);
  t.strictSame(
    created,
    expectedTenant({
      tenant_id: 'acme',
      tenant_name: 'Acme Inc',
      logo: 'https://acme.test/logo.png',
      timezone: 'America/New_York',
      blocked_channels: ['sms'],
      embedded_preference_url: 'https://app.acme.test/settings/notifications',
      hosted_preference_domain: 'preferences.acme.test',
      primary_color: '#ff0000',
      secondary_color: '#00ff00',
      tertiary_color: '#0000ff',
      social_links: { website: 'https://acme.test' },
      properties: { plan: 'enterprise' },
      updated_at: created.updated_at,
    }),
  );

  // json.dumps sends None as null: tenant_name and blocked_channels stay.
  t.match(only('tenants.upsert update').body, /"tenant_name": null, "blocked_channels": null/, 'the SDK sends the nulls');
  const updated = parsed<Tenant>(t, 'tenants.upsert update', await send('tenants.upsert update'));
  t.strictSame(
    { ...updated, updated_at: null },
    { ...created, social_links: { ...created.social_links, website: '' }, properties: { plan: 'enterprise', seats: 10 }, updated_at: null },
    'null leaves name and channels, "" removes the website, properties upserted',
  );

  t.equal(
    exceptionMessage(t, 'tenants.upsert missing name', await send('tenants.upsert missing name')),
    '{"tenant_name": ["This field is required."]}',
  );
  t.equal(only('tenants.upsert bad id').url, '/v1/tenant/Beta%20Inc/', 'the SDK percent-encodes the id');
  t.match(exceptionMessage(t, 'tenants.upsert bad id', await send('tenants.upsert bad id')), /^\{"tenant_id": \["Only lower-case/);

  t.strictSame(parsed<Tenant>(t, 'tenants.get', await send('tenants.get')), updated);
  t.equal(only('tenants.list').url, '/v1/tenant/?limit=20&offset=0');
  t.strictSame(parsed<TenantPage>(t, 'tenants.list', await send('tenants.list')), {
    meta: { count: 2, limit: 20, offset: 0 },
    results: [untouchedDefault(WS_A.name), updated],
  });
  t.strictSame(parsed<TenantPage>(t, 'tenants.list page', await send('tenants.list page')), {
    meta: { count: 2, limit: 1, offset: 1 },
    results: [updated],
  });

  t.equal(exceptionMessage(t, 'tenants.delete default', await send('tenants.delete default')), 'The default tenant cannot be deleted');
  const deleted = await send('tenants.delete');
  t.equal(deleted.statusCode, 204, 'delete: 204, which the SDK reports as success');
  t.equal(only('tenants.delete').status, 204);
  t.equal(exceptionMessage(t, 'tenants.get deleted', await send('tenants.get deleted')), 'No tenant found for tenant_id acme');
  t.equal(exceptionMessage(t, 'tenants.delete deleted', await send('tenants.delete deleted')), 'No tenant found for tenant_id acme');

  const brand = parsed<Brand>(t, 'brands.upsert', await send('brands.upsert'));
  t.strictSame([brand.brand_id, brand.brand_name, brand.primary_color, brand.properties], ['shop', 'Shop', '#123456', { k: 'v' }]);
  t.strictSame(parsed<Brand>(t, 'brands.get', await send('brands.get')), brand);
  const brands = parsed<TenantPage<Brand>>(t, 'brands.list', await send('brands.list'));
  t.strictSame(
    brands.results.map((b) => b.brand_id),
    ['default', 'shop'],
  );
  t.equal(exceptionMessage(t, 'brands.get unknown', await send('brands.get unknown')), 'No brand found for brand_id nope');
  t.equal(capture.requests.length, 16, 'every recorded request was looked at');
});
