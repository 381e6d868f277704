/**
 * What the Python SDK (0.19.7) really sends for tenant-scoped user profiles
 * (recorded by scripts/sdk-capture/python/user_tenants.py into
 * test/fixtures/sdk-requests/python-user-tenants.json), replayed byte for byte
 * in order against a fresh emulator, and checked against what the SDK does
 * with each answer:
 * - upsert_for_tenant, get_for_tenant, edit (both forms), list_associated_tenants:
 *   `resp.json()` when the status is < 400;
 * - async_edit and unlink_tenant: only the status is read;
 * - any status >= 400 raises SuprsendAPIException.
 * The tenant edit instance sent through async_edit (`/event/` with a
 * `tenant_id`) edits the tenant-scoped profile, never the global one.
 */
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, build, type CapturedRequest, loadCapture, replay, stepRequests } from '../helpers/index.js';

const capture = loadCapture('python-user-tenants');

function only(step: string): CapturedRequest {
  const [request, ...more] = stepRequests(capture, step);
  if (more.length > 0) throw new Error(`step ${step} sent ${more.length + 1} requests`);
  return request!;
}

/** What the SDK returns for a success (`resp.json()`), after asserting the recorded status. */
function parsed(t: Test, step: string, res: LightMyRequestResponse): any {
  t.equal(res.statusCode, only(step).status, `${step}: the status recorded (${only(step).status})`);
  t.ok(res.statusCode < 400, `${step}: a success, so the SDK returns resp.json()`);
  t.match(String(res.headers['content-type']), /^application\/json/, `${step}: JSON`);
  return JSON.parse(res.body);
}

const emails = (user: any) => (user.$email ?? []).map((i: any) => i.value);

t.test('the Python SDK tenant-scoped user calls, replayed in order', async (t) => {
  const app = await build(t);
  const send = (step: string) => replay(app, only(step));

  parsed(t, 'tenants.upsert', await send('tenants.upsert'));
  const global = parsed(t, 'users.upsert', await send('users.upsert'));

  const upserted = parsed(t, 'users.upsert_for_tenant', await send('users.upsert_for_tenant'));
  t.equal(only('users.upsert_for_tenant').url, '/v1/user/tina/tenant/acme/', 'the path the SDK builds');
  t.same([upserted.tenant_id, upserted.properties, emails(upserted)], ['acme', { name: 'Tina', role: 'admin' }, ['tina@acme.test']]);
  t.same(parsed(t, 'users.get_for_tenant', await send('users.get_for_tenant')), upserted, 'get_for_tenant answers the same');

  t.equal(only('users.edit with tenant_id').method, 'PATCH');
  t.equal(parsed(t, 'users.edit with tenant_id', await send('users.edit with tenant_id')).properties.seat, 7);
  const edited = parsed(t, 'users.edit with a tenant edit instance', await send('users.edit with a tenant edit instance'));
  t.same(
    [edited.properties.desk, edited.$sms.map((i: any) => i.value)],
    ['A-1', ['+14155550100']],
    'the edit instance operations, in the tenant',
  );

  const asyncEdit = only('users.async_edit with a tenant edit instance');
  t.equal(asyncEdit.url, '/event/', 'async_edit goes through /event/');
  t.equal(JSON.parse(asyncEdit.body!).tenant_id, 'acme', 'with the tenant_id');
  const accepted = await send('users.async_edit with a tenant edit instance');
  t.equal(accepted.statusCode, asyncEdit.status);
  t.equal(accepted.statusCode, 202, 'accepted');
  t.equal(accepted.headers['x-emulator-failed-records'], undefined, 'and applied');

  const list = parsed(t, 'users.list_associated_tenants', await send('users.list_associated_tenants'));
  t.same(list.meta, { count: 1, limit: 10, offset: 0 });
  t.same(list.results[0].properties, { role: 'admin', seat: 7, desk: 'A-1', team: 'core' }, 'the async edit reached the tenant profile');
  t.same(
    [emails(list.results[0]), list.results[0].$sms.map((i: any) => i.value)],
    [['tina@acme.test'], ['+14155550100']],
    'each tenant with its own identities',
  );

  const after = parsed(t, 'users.get', await send('users.get'));
  t.same(after, global, 'the global profile is exactly as upserted: no tenant edit reached it');

  const unlinked = await send('users.unlink_tenant');
  t.equal(unlinked.statusCode, 204, 'unlink: the SDK reads only the status');
  const gone = await send('users.get_for_tenant after unlink');
  t.equal(gone.statusCode, 404, 'so the SDK raises SuprsendAPIException');
  t.match(JSON.parse(gone.body).message, /has no profile in tenant 'acme'/, 'with a message it shows');
  t.equal((await bearer(app, 'GET', '/v1/user/tina/')).statusCode, 200, 'the user stays');
});
