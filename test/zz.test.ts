import t from 'tap';
import { build, bearer, signed } from './helpers/index.js';
t.test('x', async (t) => {
  const app = await build(t);
  const show = async (label: string, m: any, u: string, b?: any) => {
    const r = await bearer(app, m, u, b);
    console.log(label, r.statusCode, r.body.slice(0, 400));
  };
  await show('global', 'POST', '/v1/user/tina/', { name: 'Tina', role: 'user', $email: ['tina@example.com'] });
  await show('scoped', 'POST', '/v1/user/tina/tenant/acme/', { role: 'admin', $email: ['tina@acme.test'] });
  await show('get', 'GET', '/v1/user/tina/tenant/acme/');
  await show('global-after', 'GET', '/v1/user/tina/');
  await show('patch', 'PATCH', '/v1/user/tina/tenant/default/', { operations: [{ $set: { plan: 'x' } }] });
  await show('list', 'GET', '/v1/user/tina/associated_tenant/');
  await show('list2', 'GET', '/v1/user/tina/tenant/?limit=1&offset=1');
  await show('by-tenant', 'GET', '/v1/user/?tenant_id=acme');
  await show('unknown', 'POST', '/v1/user/tina/tenant/nope/', {});
  await show('unlink', 'DELETE', '/v1/user/tina/tenant/acme/');
  await show('unlink2', 'DELETE', '/v1/user/tina/tenant/acme/');
  await show('get2', 'GET', '/v1/user/tina/tenant/acme/');
});
