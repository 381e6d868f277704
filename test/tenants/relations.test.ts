/**
 * What TenantService offers the domains that hang off tenants (tenant-scoped
 * user profiles, tenant preferences): `exists()`, and deletion hooks that run
 * inside the delete's transaction, so a failing cascade deletes nothing.
 */
import t from 'tap';
import { bearer, build, databaseDigest, dataKey, WS_A, WS_B } from '../helpers/index.js';
import { getTenant, upsertTenant } from './fixtures/helpers.js';

t.test('exists(): the default tenant always, others once created, per workspace', async (t) => {
  const app = await build(t);
  const { tenants, workspaces } = app.emulator;
  const a = workspaces.get(WS_A.name);
  const b = workspaces.get(WS_B.name);
  t.ok(tenants.exists(a, 'default'), 'default exists on a fresh workspace');
  t.notOk(tenants.exists(a, 'acme'));
  await upsertTenant(t, app, 'acme', { tenant_name: 'Acme' });
  t.ok(tenants.exists(a, 'acme'));
  t.notOk(tenants.exists(b, 'acme'), 'not in the other workspace');
  t.equal((await bearer(app, 'DELETE', '/v1/tenant/acme/')).statusCode, 204);
  t.notOk(tenants.exists(a, 'acme'), 'gone once deleted');
});

t.test('deletion hooks run in the delete transaction with the data key and tenant_id', async (t) => {
  const app = await build(t);
  const calls: Array<[string, string]> = [];
  let fail = false;
  app.emulator.tenants.addRelations({
    tenantDeleted(workspace, tenantId) {
      calls.push([workspace, tenantId]);
      // What a cascade would do: write in the same transaction (here, to a table the digest sees).
      app.emulator.db.$client.prepare("UPDATE tenants SET tenant_name = 'touched' WHERE workspace = ?").run(workspace);
      if (fail) throw new Error('cascade failed');
    },
  });
  await upsertTenant(t, app, 'acme', { tenant_name: 'Acme' });
  await upsertTenant(t, app, 'beta', { tenant_name: 'Beta' });
  t.equal((await bearer(app, 'DELETE', '/v1/tenant/acme/')).statusCode, 204);
  t.strictSame(calls, [[dataKey(app, WS_A.name), 'acme']], 'called once, with the data key and the tenant_id');
  t.equal((await getTenant(t, app, 'beta')).tenant_name, 'touched', "the hook's write is kept");

  fail = true;
  await upsertTenant(t, app, 'gamma', { tenant_name: 'Gamma' });
  const before = databaseDigest(app);
  const res = await bearer(app, 'DELETE', '/v1/tenant/gamma/');
  t.equal(res.statusCode, 500, 'a failing cascade is a server error');
  t.equal(databaseDigest(app), before, 'and nothing was deleted or written');
  t.equal((await getTenant(t, app, 'gamma')).tenant_name, 'Gamma');

  // Not called for what is not deleted.
  calls.length = 0;
  t.equal((await bearer(app, 'DELETE', '/v1/tenant/default/')).statusCode, 400);
  t.equal((await bearer(app, 'DELETE', '/v1/tenant/nope/')).statusCode, 404);
  t.strictSame(calls, [], 'no hook for a refused or unknown delete');
});
