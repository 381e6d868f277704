/**
 * Decision 12: a 2xx means committed. A server child under load from 20
 * writers is SIGKILLed; a new child on the same file must show every
 * acknowledged write with the acknowledged content.
 */
import http from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { mapLimit, send, serverEnv, spawnServer, waitExit, type Reply } from './fixtures/server.js';
import { tempDir, signedHeaders, WS_A } from '../helpers/index.js';

const WRITERS = 20;
const LOAD_MS = 1500;
/** Upper bound on each writer's loop, whatever the timing. */
const MAX_ITERATIONS = 5000;

type Json = Record<string, unknown>;

interface Identity {
  value: unknown;
}

const emailsOf = (user: Json) => ((user.$email as Identity[] | undefined) ?? []).map((i) => String(i.value)).sort();

t.test('every write acknowledged before a SIGKILL is there after a restart', async (t) => {
  const dir = tempDir(t, 'suprsend-robust-crash-');
  const dbFile = join(dir, 'emulator.db');
  const env = serverEnv({ DATABASE_PATH: dbFile });

  const first = await spawnServer(t, env);
  const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS });
  t.teardown(() => agent.destroy());

  const call = (writer: number, method: string, path: string, body: unknown): Promise<Reply> => {
    const payload = JSON.stringify(body);
    // Even writers sign like the SDKs, odd ones use the API key.
    const headers =
      writer % 2 === 0
        ? signedHeaders(WS_A, method, path, payload)
        : { authorization: `Bearer ${WS_A.api_keys[0]}`, 'content-type': 'application/json' };
    return send({ port: first.port, method, path, headers, body: payload, agent, timeoutMs: 10_000 });
  };

  /** distinct_id → the last acknowledged user body. */
  const acked = new Map<string, Json>();
  /** distinct_ids with a request that was sent but never answered (it may or may not have committed). */
  const unanswered = new Set<string>();
  /** distinct_ids whose creation was sent but never answered. */
  const unansweredCreates = new Set<string>();
  const unexpected: string[] = [];
  let writes = 0;
  let inFlight = 0;
  let inFlightAtKill = -1;
  let killed = false;
  const hardStop = Date.now() + LOAD_MS + 5_000;

  const writer = async (w: number) => {
    for (let i = 0; i < MAX_ITERATIONS && !killed && Date.now() < hardStop; i++) {
      // Some ids need percent-encoding; some users get a phone number.
      const id = w % 5 === 0 ? `w${w} user/${i}` : `w${w}-u${i}`;
      const path = `/v1/user/${encodeURIComponent(id)}/`;
      const steps: Array<[string, unknown, number]> = [
        [
          'POST',
          {
            name: `writer ${w} user ${i}`,
            writer: w,
            seq: i,
            nested: { list: [i, String(i)], ok: true },
            $email: [`w${w}.u${i}@example.com`],
            ...(i % 3 === 0 ? { $sms: [`+1555${String(w * 10_000 + i).padStart(7, '0')}`] } : {}),
          },
          201,
        ],
        [
          'PATCH',
          { operations: [{ $set: { patched: i }, $append: { $email: `w${w}.u${i}.b@example.com` } }, { $add: { visits: 1 } }] },
          202,
        ],
      ];
      for (const [method, body, expected] of steps) {
        if (killed) return;
        inFlight++;
        let res: Reply;
        try {
          res = await call(w, method, path, body);
        } catch {
          // The server died with this request in flight.
          unanswered.add(id);
          if (method === 'POST') unansweredCreates.add(id);
          return;
        } finally {
          inFlight--;
        }
        if (res.status !== expected) {
          if (!killed) unexpected.push(`${method} ${path}: ${res.status} ${res.body.slice(0, 200)}`);
          return;
        }
        writes++;
        acked.set(id, JSON.parse(res.body) as Json);
      }
    }
  };

  // Warm up (the first requests of a fresh process compile its schemas), then the timed load.
  const warmUp: number[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await call(i, 'POST', `/v1/user/warm-up-${i}/`, { warm: i });
    warmUp.push(res.status);
    if (res.status === 201) acked.set(`warm-up-${i}`, JSON.parse(res.body) as Json);
  }
  t.same(warmUp, Array(10).fill(201), 'warm-up writes acknowledged');
  const started = Date.now();
  const killer = new Promise<void>((resolve) =>
    setTimeout(() => {
      inFlightAtKill = inFlight;
      first.proc.kill('SIGKILL');
      killed = true;
      resolve();
    }, LOAD_MS),
  );
  await Promise.all([killer, ...Array.from({ length: WRITERS }, (_, w) => writer(w))]);
  const exit = await waitExit(first, 5_000);
  t.equal(exit.signal, 'SIGKILL', 'the first server was killed by SIGKILL');
  t.same(unexpected, [], 'no write was refused while the server was up');
  t.ok(writes >= 100, `a real load: ${writes} writes acknowledged in ${Date.now() - started} ms`);
  t.ok(inFlightAtKill > 0, `the kill came mid-load (${inFlightAtKill} requests in flight)`);
  t.comment(`${writes} acknowledged writes, ${acked.size} users, ${unanswered.size} unanswered at the kill`);

  // A new server on the same file.
  const second = await spawnServer(t, env);
  const agent2 = new http.Agent({ keepAlive: true, maxSockets: 20 });
  t.teardown(() => agent2.destroy());
  const get = (path: string) =>
    send({ port: second.port, method: 'GET', path, headers: { authorization: `Bearer ${WS_A.api_keys[0]}` }, agent: agent2 });

  const missing: string[] = [];
  const different: string[] = [];
  await mapLimit([...acked.entries()], 20, async ([id, ack]) => {
    const res = await get(`/v1/user/${encodeURIComponent(id)}/`);
    if (res.status !== 200) {
      missing.push(`${id}: ${res.status}`);
      return;
    }
    const now = JSON.parse(res.body) as Json;
    if (!unanswered.has(id)) {
      // Nothing was sent after the acknowledgement: exactly the acknowledged user.
      if (JSON.stringify(now) !== JSON.stringify(ack)) different.push(`${id}: acknowledged ${JSON.stringify(ack)}, found ${res.body}`);
      return;
    }
    // An unanswered PATCH may have committed on top: everything acknowledged is still there.
    const ackProps = ack.properties as Json;
    const nowProps = now.properties as Json;
    const lost = Object.keys(ackProps).filter((k) => k !== 'visits' && JSON.stringify(nowProps[k]) !== JSON.stringify(ackProps[k]));
    const lostEmails = emailsOf(ack).filter((e) => !emailsOf(now).includes(e));
    if (lost.length || lostEmails.length || now.created_at !== ack.created_at) {
      different.push(`${id}: lost properties ${lost.join(',')} emails ${lostEmails.join(',')}`);
    }
  });
  t.same(missing, [], `all ${acked.size} acknowledged users exist after the restart`);
  t.same(different, [], 'every acknowledged user has its acknowledged content');

  const list = await get('/v1/user/?limit=1');
  t.equal(list.status, 200);
  const count = (JSON.parse(list.body) as { meta: { count: number } }).meta.count;
  const newlyUnanswered = [...unansweredCreates].filter((id) => !acked.has(id)).length;
  t.ok(
    count >= acked.size && count <= acked.size + newlyUnanswered,
    `user count ${count} is the ${acked.size} acknowledged users plus at most the ${newlyUnanswered} unanswered creations`,
  );

  second.proc.kill('SIGTERM');
  const exit2 = await waitExit(second, 10_000);
  t.equal(exit2.code, 0, 'the second server exits cleanly on SIGTERM');

  const db = new Database(dbFile);
  try {
    t.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'integrity_check is ok');
    t.same(db.pragma('foreign_key_check'), [], 'no foreign key violations');
    const rows = db.prepare("select count(*) as n from users where workspace = 'default'").get() as { n: number };
    t.equal(rows.n, count, 'the users table holds as many users as the API reported');
    const orphans = db.prepare('select count(*) as n from identities i left join users u on u.id = i.user_id where u.id is null').get() as {
      n: number;
    };
    t.equal(orphans.n, 0, 'no identity without its user');
  } finally {
    db.close();
  }
});
