/**
 * What the request journal keeps of a request, and how much: a large body as
 * a redacted prefix (flagged, with its size), no body for a 401, capped
 * distinct_ids, a byte limit that evicts the oldest entries; control-plane
 * requests are left out however their path is percent-encoded.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { BODY_PREFIX_BYTES } from '../../src/journal/journal.js';
import { redactSecrets, redactSecretsInText } from '../../src/journal/redact.js';
import { adminOk } from './fixtures/admin.js';
import { admin, api, build, expectJson, WS_A } from '../helpers/index.js';

const A = WS_A.api_keys[0]!;

interface Entry {
  seq: number;
  method: string;
  path: string;
  status: number;
  auth: string;
  distinct_ids: string[];
  distinct_ids_truncated?: boolean;
  body: unknown;
  body_truncated?: boolean;
  body_bytes?: number;
  error: string | null;
}

async function journal(t: Test, app: FastifyInstance, query = ''): Promise<Entry[]> {
  return (await adminOk<{ entries: Entry[] }>(t, app, 'GET', `/_emulator/journal${query}`, undefined, 200)).entries;
}

t.test('a body larger than the kept prefix is a redacted prefix, flagged with its size', async (t) => {
  const app = await build(t);
  const big = { api_key: 'big-secret-key', name: 'Big', padding: 'x'.repeat(40_000), tail: 'the-end' };
  const bigText = JSON.stringify(big);
  expectJson(t, await api(app, 'POST', '/v1/user/big/', A, big), 201, 'a 40 KB upsert');
  const small = { name: 'Small', password: 'small-secret' };
  expectJson(t, await api(app, 'POST', '/v1/user/small/', A, small), 201, 'a small upsert');

  const [smallEntry, bigEntry] = (await journal(t, app)) as [Entry, Entry];
  t.same(smallEntry.body, { name: 'Small', password: '[redacted]' }, 'a small body is whole, parsed and redacted');
  t.notOk('body_truncated' in smallEntry, 'a whole body is not flagged');
  t.notOk('body_bytes' in smallEntry, 'nor sized');

  t.match(bigEntry, { path: '/v1/user/big/', status: 201, body_truncated: true, body_bytes: Buffer.byteLength(bigText) });
  t.same(bigEntry.distinct_ids, ['big']);
  t.type(bigEntry.body, 'string', 'the kept part is text');
  const prefix = bigEntry.body as string;
  t.ok(prefix.startsWith('{"api_key":"[redacted]","name":"Big","padding":"xxx'), 'it is the start of the body, redacted');
  t.ok(Buffer.byteLength(prefix) <= BODY_PREFIX_BYTES, `at most ${BODY_PREFIX_BYTES} bytes (${Buffer.byteLength(prefix)})`);
  t.notOk(prefix.includes('big-secret-key'), 'the secret is not kept');
  t.notOk(prefix.includes('the-end'), 'what follows the prefix is not kept');
});

t.test('distinct_ids come from the whole body, even when only a prefix of it is kept', async (t) => {
  const app = await build(t);
  const records = Array.from({ length: 400 }, (_, i) => ({ distinct_id: `rec-${i}`, event: 'E', properties: { i, pad: 'p'.repeat(40) } }));
  t.ok(JSON.stringify(records).length > BODY_PREFIX_BYTES, 'the batch is larger than the kept prefix');
  expectJson(t, await api(app, 'POST', '/event/', A, records), 202, 'a large /event/ batch');
  const found = await journal(t, app, '?distinct_id=rec-399');
  t.equal(found.length, 1, 'the last record names the request');
  t.equal(found[0]!.distinct_ids.length, 400, 'every record counted');
  t.equal(found[0]!.body_truncated, true);

  const escaped = '{"distinct\\u005fid":"escaped-id","event":"E","properties":{}}';
  t.equal(JSON.parse(escaped).distinct_id, 'escaped-id', 'a key spelt with an escape');
  expectJson(t, await api(app, 'POST', '/event/', A, escaped), 202, 'an event whose key is escaped');
  t.equal((await journal(t, app, '?distinct_id=escaped-id')).length, 1, 'its distinct_id is found too');
});

t.test('an entry keeps at most 1000 distinct_ids and says when it left some out', async (t) => {
  const app = await build(t);
  const ids = Array.from({ length: 1500 }, (_, i) => `bulk-${i}`);
  const res = await api(app, 'DELETE', '/v1/bulk/user/', A, { distinct_ids: ids });
  t.ok(res.statusCode < 500, `answered ${res.statusCode}`);
  const [entry] = await journal(t, app);
  t.equal(entry!.distinct_ids.length, 1000, '1000 kept');
  t.same(entry!.distinct_ids.slice(0, 2), ['bulk-0', 'bulk-1'], 'the first ones');
  t.equal(entry!.distinct_ids_truncated, true, 'flagged');
  expectJson(t, await api(app, 'DELETE', '/v1/bulk/user/', A, { distinct_ids: ['one'] }), 204, 'a short bulk delete');
  const [short] = await journal(t, app);
  t.notOk('distinct_ids_truncated' in short!, 'not flagged when all are kept');
});

t.test('a 401 keeps method, path, status and reason, never the body', async (t) => {
  const app = await build(t);
  const sent = { name: 'Mallory', note: 'unauthenticated-body-text', padding: 'y'.repeat(30_000) };
  expectJson(t, await api(app, 'POST', '/v1/user/mallory/', 'not-a-real-api-key', sent), 401, 'a large body, wrong key');
  expectJson(t, await api(app, 'POST', '/v1/user/eve/', 'not-a-real-api-key', { note: 'small-unauthenticated' }), 401, 'a small one');
  const entries = await journal(t, app);
  t.same(
    entries.map((e) => [e.method, e.path, e.status, e.auth, e.body, e.body_truncated, e.distinct_ids]),
    [
      ['POST', '/v1/user/eve/', 401, 'failed', null, true, ['eve']],
      ['POST', '/v1/user/mallory/', 401, 'failed', null, true, ['mallory']],
    ],
    'no body; distinct_ids from the path only',
  );
  t.same(
    entries.map((e) => e.body_bytes),
    [JSON.stringify({ note: 'small-unauthenticated' }).length, JSON.stringify(sent).length],
    'the size sent',
  );
  t.ok(
    entries.every((e) => /^Not Authenticated/.test(e.error ?? '')),
    'the reason',
  );
  const dump = JSON.stringify(entries);
  t.notOk(dump.includes('unauthenticated-body-text') || dump.includes('small-unauthenticated'), 'nothing of the bodies');
  t.same(await journal(t, app, '?distinct_id=Mallory'), [], 'body fields are not filter keys of a 401');
});

t.test('control-plane requests with a percent-encoded path are not journalled', async (t) => {
  const app = await build(t);
  expectJson(t, await api(app, 'POST', '/v1/user/alice/', A, { n: 1 }), 201, 'one API request');
  for (const url of ['/%5Femulator/status', '/%5femulator/status', '/_%65mulator/status', '/%5F%65mulator/workspaces?x=%5F']) {
    expectJson(t, await admin(app, 'GET', url), 200, `${url} is the control plane`);
    expectJson(t, await admin(app, 'GET', url, undefined, null), 401, `${url} without the token`);
    expectJson(t, await admin(app, 'GET', url, undefined, `Bearer ${A}`), 401, `${url} with an API key`);
  }
  expectJson(t, await admin(app, 'GET', '/%5Femulator/nothing-here'), 404, 'an unknown control-plane path');
  t.equal((await app.inject({ method: 'GET', url: '/%68ealthz' })).statusCode, 200, '/healthz, encoded');
  t.same(
    (await journal(t, app)).map((e) => `${e.method} ${e.path}`),
    ['POST /v1/user/alice/'],
    'only the API request',
  );
  expectJson(t, await api(app, 'GET', '/v1/user/%61lice/', A), 200, 'an encoded API path');
  t.same(
    (await journal(t, app, '?limit=1')).map((e) => `${e.path} ${e.distinct_ids}`),
    ['/v1/user/%61lice/ alice'],
    'is journalled as sent, with its decoded distinct_id',
  );
});

t.test('the journal holds at most JOURNAL_MAX_BYTES, evicting the oldest entries', async (t) => {
  const maxBytes = 1024 * 1024;
  const app = await build(t, { journalMaxBytes: maxBytes });
  const { journal: j } = app.emulator;
  t.same(j.stats(), { entries: 0, bytes: 0, max_bytes: maxBytes }, 'empty');
  const body = { pad: 'z'.repeat(BODY_PREFIX_BYTES - 20) };
  let most = 0;
  for (let i = 0; i < 120; i++) {
    expectJson(t, await api(app, 'POST', `/v1/user/u${i}/`, A, body), 201, `upsert u${i}`);
    const s = j.stats();
    most = Math.max(most, s.bytes);
    if (s.bytes > maxBytes) t.fail(`over the limit after ${i + 1} requests: ${s.bytes}`);
  }
  const s = j.stats();
  t.ok(most <= maxBytes, `never over the limit (at most ${most} of ${maxBytes})`);
  t.ok(s.entries < 120 && s.entries > 10, `the oldest went (${s.entries} kept)`);
  t.ok(s.bytes > maxBytes - 2 * 40 * 1024, `and only as many as needed (${s.bytes} bytes)`);
  const entries = await journal(t, app, '?limit=1000');
  t.equal(entries.length, s.entries, 'the query sees what the accounting counts');
  t.same(
    entries.map((e) => e.path),
    Array.from({ length: s.entries }, (_, k) => `/v1/user/u${119 - k}/`),
    'the newest, in order',
  );

  await adminOk(t, app, 'DELETE', '/_emulator/journal', undefined, 204);
  t.same(j.stats(), { entries: 0, bytes: 0, max_bytes: maxBytes }, 'clearing gives the bytes back');
});

t.test('JOURNAL_MAX_BYTES is a setting with a floor', async (t) => {
  const { loadConfig } = await import('../../src/config.js');
  t.equal(loadConfig({}).journalMaxBytes, 32 * 1024 * 1024, 'default 32 MiB');
  t.equal(loadConfig({ JOURNAL_MAX_BYTES: '2097152' }).journalMaxBytes, 2 * 1024 * 1024, 'from the environment');
  t.equal(loadConfig({}, ['--journal-max-bytes', '4194304']).journalMaxBytes, 4 * 1024 * 1024, 'from a flag');
  t.throws(() => loadConfig({ JOURNAL_MAX_BYTES: '1000' }), /JOURNAL_MAX_BYTES/, 'below 1 MiB is refused');
});

t.test('redacting a body prefix as text matches redacting the parsed body', async (t) => {
  const docs: unknown[] = [
    { name: 'n', secret: 's3cr3t', nested: { api_key: 'k', keep: [1, 2, { token: { deep: 'x' } }] } },
    [
      { distinct_id: 'd', properties: { password: 'p', 'x"y': 'q', n: 1 } },
      { credentials: ['a', { b: 'c' }], ok: true },
    ],
    { authorization: null, API_KEY: 12.5e3, passwd: false, text: 'a "quoted" \\ value: with "token":"inside"' },
  ];
  for (const doc of docs) {
    const text = JSON.stringify(doc, null, doc === docs[1] ? 2 : undefined);
    t.same(JSON.parse(redactSecretsInText(text)), redactSecrets(doc), `whole: ${text.slice(0, 40)}`);
    for (let cut = 0; cut <= text.length; cut++) {
      const out = redactSecretsInText(text.slice(0, cut));
      for (const secret of ['s3cr3t', '"k"', 'deep', '"p"', '"a"', '12.5', 'false']) {
        if (out.includes(secret) && !JSON.stringify(redactSecrets(doc)).includes(secret)) {
          t.fail(`cut at ${cut}: "${secret}" left in ${out}`);
        }
      }
    }
  }
  t.equal(redactSecretsInText('{"api\\u005fkey":"v"}'), '{"api\\u005fkey":"[redacted]"}', 'an escaped key');
  t.equal(redactSecretsInText('not json at all'), 'not json at all', 'other text as is');
  t.equal(redactSecretsInText('{"token":"abc'), '{"token":"[redacted]"', 'a secret cut off');
});
