/**
 * Workspaces follow the configuration: one removed from WORKSPACES_FILE is
 * revoked at the next start (its keys answer 401, its data is deleted);
 * duplicate workspace or API keys are refused naming both workspaces; a bad
 * WORKSPACES_FILE is reported without quoting any part of a secret.
 */
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createWorkspace, rowsWhere } from './fixtures/admin.js';
import { admin, api, expectApiError, expectJson, tempDir, testConfig, WS_A, WS_B, writeIn } from '../helpers/index.js';

t.test('a workspace removed from the configuration is revoked at the next start, and its data deleted', async (t) => {
  const dir = tempDir(t, 'emulator-revoke-');
  const databasePath = join(dir, 'emulator.db');
  const first = await buildApp(testConfig({ databasePath }));
  expectJson(t, await api(first, 'POST', '/v1/user/b1/', WS_B.api_keys[0]!, { name: 'B1' }), 201, 'a user in "other"');
  await first.close();

  const second = await buildApp(testConfig({ databasePath, workspaces: [WS_A] }));
  t.teardown(() => second.close());
  expectApiError(t, await api(second, 'GET', '/v1/user/b1/', WS_B.api_keys[0]!), 401, 'its API key no longer opens anything');
  expectApiError(t, await admin(second, 'GET', '/_emulator/workspaces/other'), 404, 'the control plane does not list it');
  expectJson(t, await api(second, 'POST', '/v1/user/a1/', WS_A.api_keys[0]!, {}), 201, 'the remaining workspace works');
  second.emulator.workspaces.drainGc();
  t.equal(rowsWhere(second, 'users', 'workspace', 'other'), 0, 'its data is deleted');
  await second.close();

  const third = await buildApp(testConfig({ databasePath }));
  t.teardown(() => third.close());
  expectApiError(t, await api(third, 'GET', '/v1/user/b1/', WS_B.api_keys[0]!), 404, 'configured again, it starts empty');
});

t.test('configuring it again while its old rows still wait for deletion gives it a fresh data key', async (t) => {
  const dir = tempDir(t, 'emulator-revoke-');
  const databasePath = join(dir, 'emulator.db');
  const first = await buildApp(testConfig({ databasePath }));
  expectJson(t, await api(first, 'POST', '/v1/user/b1/', WS_B.api_keys[0]!, {}), 201, 'a user in "other"');
  await first.close();
  const second = await buildApp(testConfig({ databasePath, workspaces: [WS_A] }));
  // As if the server stopped before the background deletion finished.
  second.emulator.db.$client
    .prepare("insert or ignore into retired_data (data_key, retired_at) values ('other', '2025-01-01T00:00:00.000000+00:00')")
    .run();
  await second.close();
  const third = await buildApp(testConfig({ databasePath }));
  t.teardown(() => third.close());
  t.not(third.emulator.workspaces.get('other').dataKey, 'other', 'not the retired data key');
  expectJson(t, await api(third, 'POST', '/v1/user/b2/', WS_B.api_keys[0]!, {}), 201, 'a new user');
  third.emulator.workspaces.drainGc();
  expectJson(t, await api(third, 'GET', '/v1/user/b2/', WS_B.api_keys[0]!), 200, 'survives the deletion of the old rows');
  expectApiError(t, await api(third, 'GET', '/v1/user/b1/', WS_B.api_keys[0]!), 404, 'the old user is gone');
});

t.test('duplicate keys in the configuration are refused naming both workspaces', async (t) => {
  const dir = tempDir(t, 'emulator-dup-');
  const base = { name: 'one', key: 'one_workspace_key_0123456789', secret: 's1', api_keys: ['one_api_key'] };
  const cases: [string, unknown[], RegExp][] = [
    ['the same workspace key', [base, { ...base, name: 'two', api_keys: ['two_api_key'] }], /"one" and "two".*workspace key/],
    ['the same API key', [base, { ...base, name: 'two', key: 'two_workspace_key_0123456789' }], /"one" and "two".*API key/],
    ["the env workspace's API key", [{ ...base, api_keys: [WS_A.api_keys[0]] }], /"default" and "one".*API key/],
    ["the env workspace's key", [{ ...base, key: WS_A.key }], /"default" and "one".*workspace key/],
  ];
  for (const [what, workspaces, message] of cases) {
    const file = writeIn(dir, `${what.replace(/\W/g, '_')}.json`, JSON.stringify({ workspaces }));
    const env = {
      SUPRSEND_WORKSPACE_KEY: WS_A.key,
      SUPRSEND_WORKSPACE_SECRET: WS_A.secret,
      SUPRSEND_API_KEY: WS_A.api_keys[0]!,
      WORKSPACES_FILE: file,
    };
    t.throws(() => loadConfig(env), { name: 'ConfigError', message }, what);
  }
});

t.test('creating a workspace with a key in use names the workspace holding it', async (t) => {
  const app = await buildApp(testConfig());
  t.teardown(() => app.close());
  await createWorkspace(t, app, { name: 'holder', key: 'holder_workspace_key_0123456', api_keys: ['holder_api_key'] });
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ name: 'n1', key: 'holder_workspace_key_0123456' }, /'n1'.*workspace key.*'holder'/],
    [{ name: 'n2', api_keys: ['holder_api_key'] }, /'n2'.*API key.*'holder'/],
    [{ name: 'n3', key: WS_B.key }, /'n3'.*workspace key.*'other'/],
    [{ name: 'n4', api_keys: [WS_A.api_keys[0]!] }, /'n4'.*API key.*'default'/],
  ];
  for (const [body, message] of cases) {
    const err = expectApiError(t, await admin(app, 'POST', '/_emulator/workspaces', body), 409, String(body.name));
    t.match(err.message, message);
  }
});

t.test('a runtime workspace holding a key the configuration now gives another stops the start, naming both', async (t) => {
  const dir = tempDir(t, 'emulator-clash-');
  const databasePath = join(dir, 'emulator.db');
  const first = await buildApp(testConfig({ databasePath }));
  await createWorkspace(t, first, { name: 'made-at-runtime', key: 'runtime_workspace_key_0123456', api_keys: ['runtime_api_key'] });
  await first.close();
  const clashes = [
    { ...WS_B, name: 'newcomer', key: 'runtime_workspace_key_0123456', api_keys: ['newcomer_api_key'] },
    { ...WS_B, name: 'newcomer', key: 'newcomer_workspace_key_0123456', api_keys: ['runtime_api_key'] },
  ];
  for (const newcomer of clashes) {
    await t.rejects(buildApp(testConfig({ databasePath, workspaces: [WS_A, newcomer] })), {
      name: 'ConfigError',
      message: /"made-at-runtime".*"newcomer"/,
    });
  }
  const after = await buildApp(testConfig({ databasePath }));
  t.teardown(() => after.close());
  expectJson(t, await admin(after, 'GET', '/_emulator/workspaces/made-at-runtime'), 200, 'the refused start changed nothing');
});

t.test('a malformed WORKSPACES_FILE is reported without any part of a secret', async (t) => {
  const dir = tempDir(t, 'emulator-wsfile-');
  const secret = 'Zq8QWXv41KpLmN7rT2yBhJ';
  const files: [string, string][] = [
    ['a schema error', JSON.stringify({ workspaces: [{ name: 'has space', key: 'short', secret, api_keys: [secret, 7], inbox: secret }] })],
    ['a key that is too short', JSON.stringify({ workspaces: [{ name: 'ok', key: secret.slice(0, 12), secret }] })],
    ['broken JSON around the secret', `{"workspaces": [{"name": "ok", "secret": ${secret}}]}`],
    ['broken JSON after the secret', `{"workspaces": [{"name": "ok", "secret": "${secret}" "key": 1}]}`],
    ['the secret as a bare value', `${secret}`],
  ];
  for (const [what, text] of files) {
    const file = writeIn(dir, `${what.replace(/\W/g, '_')}.json`, text);
    let message = '';
    try {
      loadConfig({ WORKSPACES_FILE: file });
      t.fail(`${what}: should be refused`);
    } catch (err) {
      t.ok(err instanceof ConfigError, `${what}: a ConfigError`);
      message = (err as Error).message;
    }
    t.match(message, /WORKSPACES_FILE/, `${what}: names the setting`);
    const leaked: string[] = [];
    for (let i = 0; i + 5 <= secret.length; i++) if (message.includes(secret.slice(i, i + 5))) leaked.push(secret.slice(i, i + 5));
    t.same(leaked, [], `${what}: no 5-character piece of the secret in ${JSON.stringify(message)}`);
  }
});
