import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { tempDir, bearer, testConfig, WS_B } from '../helpers/index.js';

/** Builds an app on the given database file; the caller closes it. */
async function open(databasePath: string): Promise<FastifyInstance> {
  const app = await buildApp(testConfig({ databasePath }));
  await app.ready();
  return app;
}

const USERS: Array<[string, Record<string, unknown>]> = [
  [
    'alice',
    {
      name: 'Alice',
      plan: { tier: 'gold', seats: 3 },
      $timezone: 'Europe/Berlin',
      $preferred_language: 'de',
      $email: ['alice@example.com', 'alice@work.example'],
      $sms: ['+4915112345678'],
      $androidpush: ['android-token-1'],
      $slack: [{ user_id: 'U123', access_token: 'xoxb-1' }],
      $webpush: [{ endpoint: 'https://push.example/abc', keys: { p256dh: 'p', auth: 'a' } }],
    },
  ],
  ['bob/with slash', { name: 'Bob', $whatsapp: ['+15555550100'] }],
  ['carol', { name: 'Carol' }],
];

t.test('users survive closing and reopening the database file', async (t) => {
  const dir = tempDir(t, 'suprsend-emulator-persist-');
  const file = join(dir, 'nested', 'emulator.db');

  // First run: create, edit, delete.
  const first = await open(file);
  const expected = new Map<string, string>();
  try {
    for (const [id, body] of USERS) {
      const res = await bearer(first, 'POST', `/v1/user/${encodeURIComponent(id)}/`, body);
      t.equal(res.statusCode, 201, `create ${id}`);
    }
    const edit = await bearer(first, 'PATCH', '/v1/user/alice/', {
      operations: [
        { $set: { visits: 1 }, $append: { $iospush: 'ios-token-1' } },
        { $remove: { $email: 'alice@work.example' } },
        { $add: { visits: 2 } },
      ],
    });
    t.equal(edit.statusCode, 202, 'edit alice');
    const edited = JSON.parse(edit.body);
    t.equal(edited.properties.visits, 3);
    t.same(
      edited.$email.map((i: { value: string }) => i.value),
      ['alice@example.com'],
    );
    t.equal(edited.$iospush.length, 1);
    t.equal((await bearer(first, 'DELETE', '/v1/user/carol/')).statusCode, 204, 'delete carol');
    t.equal((await bearer(first, 'POST', '/v1/user/b-user/', { name: 'in B' }, WS_B.api_keys[0])).statusCode, 201, 'a user in workspace B');

    for (const id of ['alice', 'bob/with slash']) {
      const res = await bearer(first, 'GET', `/v1/user/${encodeURIComponent(id)}/`);
      t.equal(res.statusCode, 200);
      expected.set(id, res.body);
    }
    expected.set('list', (await bearer(first, 'GET', '/v1/user/?limit=100')).body);
    expected.set('listB', (await bearer(first, 'GET', '/v1/user/', undefined, WS_B.api_keys[0])).body);
  } finally {
    await first.close();
  }
  t.ok(statSync(file).size > 0, 'the database file exists');

  // Second run on the same file: everything is still there.
  const second = await open(file);
  try {
    for (const id of ['alice', 'bob/with slash']) {
      const res = await bearer(second, 'GET', `/v1/user/${encodeURIComponent(id)}/`);
      t.equal(res.statusCode, 200, `${id} found after reopening`);
      t.equal(res.body, expected.get(id), `${id} byte-for-byte equal after reopening`);
    }
    const carol = await bearer(second, 'GET', '/v1/user/carol/');
    t.equal(carol.statusCode, 404, 'the deleted user stays deleted');
    t.equal((await bearer(second, 'GET', '/v1/user/?limit=100')).body, expected.get('list'), 'listing equal');
    t.equal((await bearer(second, 'GET', '/v1/user/', undefined, WS_B.api_keys[0])).body, expected.get('listB'), "B's listing equal");
    const meta = JSON.parse(expected.get('list') ?? '{}').meta;
    t.equal(meta.count, 2, 'two users in A');

    // A write in the second run.
    const res = await bearer(second, 'PATCH', '/v1/user/alice/', { operations: [{ $set: { reopened: true } }] });
    t.equal(res.statusCode, 202);
    expected.set('alice', res.body);
    t.equal((await second.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  } finally {
    await second.close();
  }

  // Third run: migrations re-applied to an up-to-date schema are harmless.
  const third = await open(file);
  try {
    const alice = await bearer(third, 'GET', '/v1/user/alice/');
    t.equal(alice.body, expected.get('alice'), 'the second run’s write is there');
    t.equal(JSON.parse(alice.body).properties.reopened, true);
    t.equal((await bearer(third, 'GET', `/v1/user/${encodeURIComponent('bob/with slash')}/`)).body, expected.get('bob/with slash'));
    const client = third.emulator.db.$client;
    t.equal(String(client.pragma('journal_mode', { simple: true })).toLowerCase(), 'wal', 'WAL journal mode');
    t.equal(client.pragma('foreign_keys', { simple: true }), 1, 'foreign keys on');
    t.same(client.pragma('integrity_check', { simple: true }), 'ok', 'integrity check passes');
    const migrations = client
      .prepare("select count(*) as n from sqlite_master where type = 'table' and name like '%migrations%'")
      .get() as { n: number };
    t.equal(migrations.n, 1, 'one migrations table');
    const applied = client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
    t.ok(applied.n >= 1, 'migrations recorded');
    const create = await bearer(third, 'POST', '/v1/user/dave/', { name: 'Dave' });
    t.equal(create.statusCode, 201, 'writes still work after the third open');
    t.equal(JSON.parse((await bearer(third, 'GET', '/v1/user/')).body).meta.count, 3);
  } finally {
    await third.close();
  }
});

t.test('an in-memory database is not persisted between apps', async (t) => {
  const a = await open(':memory:');
  t.equal((await bearer(a, 'POST', '/v1/user/mem/', {})).statusCode, 201);
  await a.close();
  const b = await open(':memory:');
  t.teardown(() => b.close());
  t.equal((await bearer(b, 'GET', '/v1/user/mem/')).statusCode, 404);
});
