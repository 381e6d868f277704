import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { ConfigError, DEV_WORKSPACE, loadConfig } from '../../src/config.js';
import { tempDir, writeIn } from '../helpers/index.js';

/** Asserts that loading throws a ConfigError whose message names every given text. */
function expectConfigError(t: Test, fn: () => unknown, names: string[], what: string): void {
  try {
    fn();
    t.fail(`${what}: expected a ConfigError, nothing was thrown`);
  } catch (err) {
    t.ok(err instanceof ConfigError, `${what}: a ConfigError (got ${(err as Error)?.name})`);
    t.equal((err as Error).name, 'ConfigError', `${what}: name`);
    for (const n of names) t.match((err as Error).message, n, `${what}: message names ${n}`);
  }
}

t.test('defaults', async (t) => {
  const c = loadConfig({});
  t.equal(c.port, 8080);
  t.equal(c.host, '127.0.0.1');
  t.match(c.databasePath, /^\.\/data\/[^/]+$/, 'database under ./data/');
  t.equal(c.logLevel, 'info');
  t.equal(c.plusAsSpace, false);
  t.equal(c.workspaces.length, 1, 'one workspace');
  const ws = c.workspaces[0]!;
  t.equal(ws.name, 'default');
  t.equal(ws.key, DEV_WORKSPACE.key, 'dev workspace key');
  t.ok(ws.key.length >= 20, 'the dev key has at least 20 characters (the Node SDK refuses shorter ones)');
  t.equal(ws.secret, DEV_WORKSPACE.secret);
  t.ok(ws.secret.length > 0);
  t.same(ws.api_keys, [DEV_WORKSPACE.apiKey], 'dev API key');
  t.ok(DEV_WORKSPACE.apiKey.length > 0);
  t.equal(ws.inbox, true);
});

t.test('unrelated and empty environment variables are ignored', async (t) => {
  const c = loadConfig({ SOME_OTHER_VAR: 'x', HOME: 'x', PORT: '' });
  t.equal(c.port, 8080, 'an empty PORT means the default');
});

t.test('environment variables', async (t) => {
  const key = 'env_workspace_key_01234567';
  const c = loadConfig({
    PORT: '9000',
    HOST: '0.0.0.0',
    DATABASE_PATH: 'var/emulator.db',
    LOG_LEVEL: 'debug',
    BODY_LIMIT: '4096',
    PLUS_AS_SPACE: 'true',
    DURABILITY: 'full',
    SUPRSEND_WORKSPACE_KEY: key,
    SUPRSEND_WORKSPACE_SECRET: 'env-secret',
    SUPRSEND_API_KEY: 'env-api-key',
  });
  t.equal(c.port, 9000);
  t.equal(c.host, '0.0.0.0');
  t.equal(c.databasePath, 'var/emulator.db');
  t.equal(c.logLevel, 'debug');
  t.equal(c.bodyLimit, 4096);
  t.equal(c.plusAsSpace, true);
  t.equal(c.durability, 'full');
  t.equal(c.workspaces.length, 1);
  t.match(c.workspaces[0], { key, secret: 'env-secret', api_keys: ['env-api-key'] });
});

t.test('--kebab-case flags, and flags win over the environment', async (t) => {
  const c = loadConfig({ PORT: '9000', HOST: '0.0.0.0', LOG_LEVEL: 'debug', DATABASE_PATH: 'env.db' }, [
    '--port',
    '9100',
    '--host=::1',
    '--log-level',
    'warn',
    '--plus-as-space',
    '--body-limit=8192',
  ]);
  t.equal(c.port, 9100, '--port beats PORT');
  t.equal(c.host, '::1', '--host=value form');
  t.equal(c.logLevel, 'warn', '--log-level beats LOG_LEVEL');
  t.equal(c.plusAsSpace, true, 'a bare boolean flag means true');
  t.equal(c.bodyLimit, 8192);
  t.equal(c.databasePath, 'env.db', 'not given as a flag: the environment value stays');

  const w = loadConfig({}, ['--suprsend-workspace-key', 'flag_workspace_key_0123456', '--suprsend-workspace-secret', 's3']);
  t.equal(w.workspaces[0]?.key, 'flag_workspace_key_0123456');
  t.equal(w.workspaces[0]?.secret, 's3');

  expectConfigError(t, () => loadConfig({}, ['--no-such-flag', '1']), ['--no-such-flag'], 'unknown flag');
  expectConfigError(t, () => loadConfig({}, ['port', '1']), ['port'], 'an argument that is not a flag');
});

t.test('bad values throw a ConfigError naming the variable', async (t) => {
  expectConfigError(t, () => loadConfig({ PORT: 'abc' }), ['PORT'], 'PORT=abc');
  expectConfigError(t, () => loadConfig({ PORT: '70000' }), ['PORT'], 'PORT=70000');
  expectConfigError(t, () => loadConfig({}, ['--port', 'abc']), ['PORT'], '--port abc');
  expectConfigError(t, () => loadConfig({ LOG_LEVEL: 'loud' }), ['LOG_LEVEL'], 'LOG_LEVEL=loud');
  expectConfigError(
    t,
    () => loadConfig({ SUPRSEND_WORKSPACE_KEY: 'k'.repeat(10), SUPRSEND_WORKSPACE_SECRET: 'secret' }),
    ['SUPRSEND_WORKSPACE_KEY'],
    '10-character workspace key',
  );
  expectConfigError(
    t,
    () => loadConfig({ SUPRSEND_WORKSPACE_KEY: 'k'.repeat(10) }),
    ['SUPRSEND_WORKSPACE_KEY'],
    '10-character key without a secret',
  );
  expectConfigError(
    t,
    () => loadConfig({ SUPRSEND_WORKSPACE_KEY: 'k'.repeat(24) }),
    ['SUPRSEND_WORKSPACE_SECRET'],
    'a key without its secret',
  );
  expectConfigError(t, () => loadConfig({ BODY_LIMIT: 'big' }), ['BODY_LIMIT'], 'BODY_LIMIT=big');
  expectConfigError(t, () => loadConfig({ DURABILITY: 'sometimes' }), ['DURABILITY'], 'DURABILITY=sometimes');
  expectConfigError(t, () => loadConfig({ PLUS_AS_SPACE: 'maybe' }), ['PLUS_AS_SPACE'], 'PLUS_AS_SPACE=maybe');
  // Several bad values: each is named.
  expectConfigError(t, () => loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' }), ['PORT', 'LOG_LEVEL'], 'two bad values');
});

t.test('WORKSPACES_FILE adds workspaces', async (t) => {
  const dir = tempDir(t, 'suprsend-emulator-config-');
  const file = join(dir, 'workspaces.json');
  writeFileSync(
    file,
    JSON.stringify({
      workspaces: [{ name: 'second', key: 'second_workspace_key_0001', secret: 'second-secret', api_keys: ['second-api-key'] }],
    }),
  );
  const c = loadConfig({ WORKSPACES_FILE: file, LOG_LEVEL: 'silent', DATABASE_PATH: ':memory:' });
  t.same(
    c.workspaces.map((w) => w.name),
    ['default', 'second'],
    'the primary workspace plus the file’s',
  );
  const second = c.workspaces[1]!;
  t.match(second, { key: 'second_workspace_key_0001', secret: 'second-secret', api_keys: ['second-api-key'], inbox: true });
  t.same(
    loadConfig({}, ['--workspaces-file', file]).workspaces.map((w) => w.name),
    ['default', 'second'],
    'as a flag too',
  );

  // The loaded workspace works on the wire, isolated from the default one.
  const app = await buildApp({ ...c, validateResponses: true });
  t.teardown(() => app.close());
  await app.ready();
  const create = await app.inject({
    method: 'POST',
    url: '/v1/user/from-file/',
    headers: { authorization: 'Bearer second-api-key', 'content-type': 'application/json' },
    payload: '{"name":"F"}',
  });
  t.equal(create.statusCode, 201, 'the file workspace’s API key works');
  const other = await app.inject({
    method: 'GET',
    url: '/v1/user/from-file/',
    headers: { authorization: `Bearer ${DEV_WORKSPACE.apiKey}` },
  });
  t.equal(other.statusCode, 404, 'the default workspace does not see it');
});

t.test('an invalid WORKSPACES_FILE is a ConfigError', async (t) => {
  const dir = tempDir(t, 'suprsend-emulator-config-');
  const write = (name: string, text: string) => writeIn(dir, name, text);
  const cases: Array<[string, string]> = [
    ['not JSON', write('bad.json', '{"workspaces": [')],
    ['no workspaces', write('empty.json', '{"workspaces": []}')],
    ['wrong shape', write('shape.json', '{"workspaces": {"name": "x"}}')],
    ['a 10-character key', write('short.json', JSON.stringify({ workspaces: [{ name: 'w', key: 'k'.repeat(10), secret: 's' }] }))],
    ['a missing secret', write('nosecret.json', JSON.stringify({ workspaces: [{ name: 'w', key: 'k'.repeat(24) }] }))],
    ['a bad name', write('name.json', JSON.stringify({ workspaces: [{ name: 'has space', key: 'k'.repeat(24), secret: 's' }] }))],
    [
      'a duplicate key',
      write(
        'dupkey.json',
        JSON.stringify({
          workspaces: [
            { name: 'w1', key: 'k'.repeat(24), secret: 's' },
            { name: 'w2', key: 'k'.repeat(24), secret: 's' },
          ],
        }),
      ),
    ],
    ['a missing file', join(dir, 'does-not-exist.json')],
  ];
  for (const [what, path] of cases) expectConfigError(t, () => loadConfig({ WORKSPACES_FILE: path }), ['WORKSPACES_FILE'], what);
});
