/**
 * Listening beyond loopback with the public dev admin token: the control plane
 * is off (every route answers 403 saying why, and the banner says what to set);
 * a real token turns it on; loopback keeps the dev token working.
 */
import t from 'tap';
import { DEV_ADMIN_TOKEN, loadConfig } from '../../src/config.js';
import { startupBanner } from '../../src/server.js';
import { admin, api, build, expectApiError, expectJson, WS_A } from '../helpers/index.js';

const REAL_TOKEN = 'a_real_secret_admin_token_42';

t.test('0.0.0.0 with the dev token: the control plane refuses, the API works', async (t) => {
  for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
    const app = await build(t, { host, adminToken: DEV_ADMIN_TOKEN });
    for (const [method, url] of [
      ['GET', '/_emulator/workspaces'],
      ['POST', '/_emulator/reset'],
      ['GET', '/_emulator/snapshot'],
    ] as const) {
      const err = expectApiError(
        t,
        await admin(app, method, url, undefined, `Bearer ${DEV_ADMIN_TOKEN}`),
        403,
        `${host}: ${method} ${url}`,
      );
      t.match(err.message, /EMULATOR_ADMIN_TOKEN/, 'the message says what to set');
      t.match(err.message, /disabled/);
      t.notMatch(err.message, DEV_ADMIN_TOKEN, 'the message does not repeat the token');
    }
    expectJson(t, await api(app, 'POST', '/v1/user/u1/', WS_A.api_keys[0]!, {}), 201, `${host}: the SuprSend API is served`);
  }
});

t.test('0.0.0.0 with a real token: the control plane works', async (t) => {
  const app = await build(t, { host: '0.0.0.0', adminToken: REAL_TOKEN });
  expectJson(t, await admin(app, 'GET', '/_emulator/workspaces', undefined, `Bearer ${REAL_TOKEN}`), 200, 'the real token opens it');
  expectApiError(
    t,
    await admin(app, 'GET', '/_emulator/workspaces', undefined, `Bearer ${DEV_ADMIN_TOKEN}`),
    401,
    'the dev token does not',
  );
});

t.test('loopback with the dev token: the control plane works', async (t) => {
  for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
    const app = await build(t, { host, adminToken: DEV_ADMIN_TOKEN });
    expectJson(t, await admin(app, 'GET', '/_emulator/workspaces', undefined, `Bearer ${DEV_ADMIN_TOKEN}`), 200, host);
  }
});

t.test('the start line says the control plane is off, and why', async (t) => {
  const exposed = loadConfig({ HOST: '0.0.0.0', DATABASE_PATH: ':memory:' });
  const line = startupBanner(exposed, 'http://0.0.0.0:8080');
  t.match(line, /control plane: OFF/);
  t.match(line, /EMULATOR_ADMIN_TOKEN/);
  t.notMatch(line, DEV_ADMIN_TOKEN, 'the dev token is not advertised');

  const real = startupBanner(
    loadConfig({ HOST: '0.0.0.0', DATABASE_PATH: ':memory:', EMULATOR_ADMIN_TOKEN: REAL_TOKEN }),
    'http://0.0.0.0:8080',
  );
  t.match(real, /control plane: http:\/\/0\.0\.0\.0:8080\/_emulator\/ admin token: \(from EMULATOR_ADMIN_TOKEN\)/);
  const local = startupBanner(loadConfig({ DATABASE_PATH: ':memory:' }), 'http://127.0.0.1:8080');
  t.match(local, `admin token: ${DEV_ADMIN_TOKEN}`, 'on loopback the dev token is shown as before');
});
