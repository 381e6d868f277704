/**
 * The request journal stays small under a flood of large unauthenticated
 * requests, and a filtered query over it is a scan of small records.
 *
 * Measured once on this scenario (10,000 × 64 KB, then
 * ?distinct_id=nobody), heap used after a forced GC: before the byte bound,
 * 656 MB after the flood and 1,805 MB after a first query that took 38 s (with
 * bodies of many small fields the process died out of heap at 4.3 GB); after,
 * 33 MB and 33 MB, the query answering in tens of milliseconds. This test
 * asserts the journal's own accounting, not time or heap.
 */
import t from 'tap';
import { adminOk } from '../admin/fixtures/admin.js';
import { api, build, expectJson } from '../helpers/index.js';

const FLOOD = 10_000;
const BODY_BYTES = 64 * 1024;
/** Below what the flood's entries count for, so that the limit is hit and the oldest go. */
const MAX_BYTES = 4 * 1024 * 1024;

interface Status {
  journal: { entries: number; bytes: number; max_bytes: number };
}

t.test(`${FLOOD} unauthenticated 64 KB requests, then filtered queries`, async (t) => {
  const app = await build(t, { journalSize: FLOOD, journalMaxBytes: MAX_BYTES, validateResponses: false });
  // An /event/ batch of small records: the shape whose parsing cost the most.
  const records: unknown[] = [];
  while (JSON.stringify(records).length < BODY_BYTES - 100) {
    records.push({ distinct_id: `in-body-${records.length}`, event: 'E', properties: { n: records.length } });
  }
  const payload = JSON.stringify(records).padEnd(BODY_BYTES, ' ');
  t.equal(Buffer.byteLength(payload), BODY_BYTES);

  let most = 0;
  for (let i = 0; i < FLOOD; i++) {
    if (i === FLOOD - 100) {
      expectJson(t, await api(app, 'POST', '/v1/user/needle/', 'not-a-real-api-key', { name: 'Needle' }), 401, 'the needle');
    }
    const res = await app.inject({
      method: 'POST',
      url: `/event/?n=${i}`,
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-real-api-key' },
      payload,
    });
    if (res.statusCode !== 401) t.fail(`request ${i} answered ${res.statusCode}`);
    if (i % 500 === 0) most = Math.max(most, app.emulator.journal.stats().bytes);
  }

  const { journal } = await adminOk<Status>(t, app, 'GET', '/_emulator/status', undefined, 200);
  t.equal(journal.max_bytes, MAX_BYTES, 'the configured limit');
  t.ok(journal.bytes <= MAX_BYTES && most <= MAX_BYTES, `the accounting stays within it (${journal.bytes}, at most ${most})`);
  t.ok(journal.entries > 1000 && journal.entries < FLOOD, `the oldest entries went (${journal.entries} kept)`);
  t.ok(journal.bytes / journal.entries < 1024, `a 401 entry counts for well under 1 KiB (${Math.round(journal.bytes / journal.entries)})`);

  type Entries = { entries: { path: string; query: string; status: number; body: unknown; body_bytes: number; distinct_ids: string[] }[] };
  const nobody = await adminOk<Entries>(t, app, 'GET', '/_emulator/journal?distinct_id=nobody', undefined, 200);
  t.same(nobody.entries, [], 'distinct_id=nobody: none');
  const inBody = await adminOk<Entries>(t, app, 'GET', '/_emulator/journal?distinct_id=in-body-0', undefined, 200);
  t.same(inBody.entries, [], "a 401's body names no one");
  const needle = await adminOk<Entries>(t, app, 'GET', '/_emulator/journal?distinct_id=needle', undefined, 200);
  t.same(
    needle.entries.map((e) => [e.path, e.status, e.body]),
    [['/v1/user/needle/', 401, null]],
    'distinct_id=needle: the one request, without its body',
  );
  const newest = await adminOk<Entries>(t, app, 'GET', '/_emulator/journal?path=/event/&limit=2', undefined, 200);
  t.same(
    newest.entries.map((e) => [e.query, e.body, e.body_bytes]),
    [
      [`n=${FLOOD - 1}`, null, BODY_BYTES],
      [`n=${FLOOD - 2}`, null, BODY_BYTES],
    ],
    'the newest flood requests, sized but bodiless',
  );
  const after = await adminOk<Status>(t, app, 'GET', '/_emulator/status', undefined, 200);
  t.same(after.journal, journal, 'querying adds nothing to the journal');
});
