// `npm run bench`: measures the emulator against a Fastify hello-world
// baseline in the same run, and checks the targets as ratios. Writes a table
// to stdout and JSON to bench/results/. Loopback only; every run is bounded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { HAS_TASKSET, startServer, type Server } from './servers.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;
const API_KEY = 'dev_api_key_0123456789';
const ADMIN = 'dev_admin_token_0123456789';
const AUTH = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
const SEED_USERS = 10_000;
const SIZES = (process.env.BENCH_SIZES ?? '1000,100000,1000000').split(',').map(Number);

interface Scenario {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  ratio: number;
  rssMb: number;
  errors: number;
  non2xx: number;
  recordsPerSec?: number;
}

const cursor = (rowId: number) => Buffer.from(`user:${rowId}`).toString('base64url');

/** The node arguments `npm start` uses, so the benchmark starts the server exactly as a user does. */
// The node arguments of `npm start` (`exec node <args>`: the shell's exec and node itself dropped).
const START_ARGS = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(' ')
  .filter((w) => w !== 'exec')
  .slice(1);

/**
 * Service time without queueing: `count` requests one after another on one
 * keep-alive connection; the median and p99 in microseconds. autocannon's
 * latencies are whole milliseconds, too coarse to compare sizes.
 */
async function sequentialLatency(url: string, path: (i: number) => string, count = 2000): Promise<{ p50us: number; p99us: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      http
        .get(url + path(i), { agent, headers: { authorization: `Bearer ${API_KEY}` } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${path(i)}: ${res.statusCode}`))));
        })
        .on('error', reject);
    });
    times.push((performance.now() - start) * 1000);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50us: Math.round(times[Math.floor(count / 2)]!), p99us: Math.round(times[Math.floor(count * 0.99)]!) };
}

async function load(url: string, opts: Partial<autocannon.Options> = {}): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: DURATION, ...opts });
}

function rotating(make: (i: number) => { method?: string; path: string; body?: string }): autocannon.Request[] {
  let i = 0;
  return [
    {
      setupRequest: (req) => {
        const r = make(i++);
        // A fresh headers object each time: autocannon writes content-length into it.
        return { ...req, method: (r.method ?? 'GET') as autocannon.Request['method'], path: r.path, body: r.body, headers: { ...AUTH } };
      },
    },
  ];
}

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = AUTH): Promise<Response> {
  const res = await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res;
}

function identityRecord(i: number) {
  return {
    $schema: '2',
    distinct_id: `u${i}`,
    $user_operations: [{ $set: { name: `User ${i}`, plan: 'pro', n: i } }, { $append: { $email: `u${i}@example.com` } }],
  };
}

async function seedUsers(url: string, n: number): Promise<void> {
  for (let start = 0; start < n; start += 400) {
    const batch = Array.from({ length: Math.min(400, n - start) }, (_, k) => identityRecord(start + k));
    await post(url, '/event/', batch);
  }
}

function scenarioResult(name: string, r: autocannon.Result, baseline: number, rssMb: number, records = 1): Scenario {
  return {
    name,
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    ratio: Math.round((r.requests.average / baseline) * 100) / 100,
    rssMb,
    errors: r.errors,
    non2xx: r.non2xx,
    ...(records > 1 ? { recordsPerSec: Math.round(r.requests.average * records) } : {}),
  };
}

/** A database with `n` users, written directly (far faster than through HTTP), then served. */
async function buildDatabase(path: string, n: number): Promise<void> {
  // The emulator creates the schema (its migrations) on first start.
  await (await startServer(START_ARGS, { PORT: '0', DATABASE_PATH: path, LOG_LEVEL: 'warn' }, '/healthz')).stop();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = '2026-01-01T00:00:00.000000+00:00';
  const user = db.prepare("insert into users (workspace, distinct_id, properties, created_at, updated_at) values ('default', ?, ?, ?, ?)");
  const identity = db.prepare(
    "insert into identities (user_id, channel, value_key, value, id_provider, created_at, updated_at) values (?, '$email', ?, ?, null, ?, ?)",
  );
  const insert = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const { lastInsertRowid } = user.run(`u${i}`, JSON.stringify({ name: `User ${i}`, plan: 'pro', n: i }), now, now);
      identity.run(lastInsertRowid, `s:u${i}@example.com`, JSON.stringify(`u${i}@example.com`), now, now);
    }
  });
  for (let i = 0; i < n; i += 50_000) insert(i, Math.min(n, i + 50_000));
  db.close();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main() {
  if (HAS_TASKSET) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)]);
  const dir = mkdtempSync(join(tmpdir(), 'suprsend-emulator-bench-'));
  const emulator = (db: string) => startServer(START_ARGS, { PORT: '0', DATABASE_PATH: db }, '/healthz');
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, taskset: HAS_TASKSET },
    command: 'npm run bench',
    durationSeconds: DURATION,
    connections: CONNECTIONS,
  };
  const servers: Server[] = [];
  try {
    // Baseline.
    const base = await startServer(['bench/baseline.mjs'], {}, '/');
    servers.push(base);
    await load(base.url, { duration: 1 });
    const baseline = await load(base.url);
    const baselineRps = baseline.requests.average;
    results.baseline = { reqPerSec: Math.round(baselineRps), p50: baseline.latency.p50, p99: baseline.latency.p99 };
    await base.stop();
    console.log(`baseline (Fastify hello world): ${Math.round(baselineRps)} req/s`);

    // Ready time: fresh database each time.
    const ready: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await emulator(join(dir, `ready-${i}.db`));
      ready.push(s.readyMs);
      await s.stop();
    }
    results.readyMs = { median: Math.round(median(ready)), all: ready.map(Math.round) };
    console.log(`ready (spawn → first /healthz answer): median ${Math.round(median(ready))} ms`);

    // Scenarios on one server with 10k users.
    const emu = await emulator(join(dir, 'scenarios.db'));
    servers.push(emu);
    await seedUsers(emu.url, SEED_USERS);
    for (let l = 0; l < 5; l++) {
      await post(emu.url, '/v1/subscriber_list/', { list_id: `list-${l}`, list_name: `List ${l}` });
      await post(emu.url, `/v1/subscriber_list/list-${l}/subscriber/add/`, { distinct_ids: ['u1', 'u2', 'u3'] });
    }
    const scenarios: Scenario[] = [];
    const run = async (name: string, opts: Partial<autocannon.Options>, records = 1) => {
      await load(emu.url, { ...opts, duration: 1 });
      const r = await load(emu.url, opts);
      const s = scenarioResult(name, r, baselineRps, emu.rssMb(), records);
      scenarios.push(s);
      console.log(
        `${name}: ${s.reqPerSec} req/s (×${s.ratio} of baseline), p50 ${s.p50} ms, p99 ${s.p99} ms, RSS ${s.rssMb} MB${s.recordsPerSec ? `, ${s.recordsPerSec} records/s` : ''}${s.non2xx || s.errors ? ` — ${s.non2xx} non-2xx, ${s.errors} errors` : ''}`,
      );
    };
    await run('GET /v1/user/{id}/', { requests: rotating((i) => ({ path: `/v1/user/u${(i * 7919) % SEED_USERS}/` })) });
    await run('POST /v1/user/{id}/ (upsert: 2 channels, 3 properties)', {
      requests: rotating((i) => ({
        method: 'POST',
        path: `/v1/user/u${(i * 7919) % SEED_USERS}/`,
        body: JSON.stringify({
          $email: [`u${i % SEED_USERS}@example.com`],
          $sms: ['+15555550100'],
          name: `N${i}`,
          plan: 'team',
          age: i % 90,
        }),
      })),
    });
    await run('PATCH /v1/user/{id}/ (4 operations)', {
      requests: rotating((i) => ({
        method: 'PATCH',
        path: `/v1/user/u${(i * 7919) % SEED_USERS}/`,
        body: JSON.stringify({
          operations: [
            { $set: { name: `N${i}` } },
            { $add: { logins: 1 } },
            { $append: { tags: 'bench' } },
            { $set_once: { first_seen: 'x' } },
          ],
        }),
      })),
    });
    // Bulk: importing new users (what bulk edits mostly do), and re-editing existing ones at random.
    let imported = SEED_USERS;
    await run(
      'POST /event/ (400-record batches, new users)',
      {
        connections: 4,
        requests: rotating(() => ({
          method: 'POST',
          path: '/event/',
          body: JSON.stringify(Array.from({ length: 400 }, () => identityRecord(imported++))),
        })),
      },
      400,
    );
    await run(
      'POST /event/ (400-record batches, existing users at random)',
      {
        connections: 4,
        requests: rotating((i) => ({
          method: 'POST',
          path: '/event/',
          body: JSON.stringify(Array.from({ length: 400 }, (_, k) => identityRecord(((i * 400 + k) * 7919) % SEED_USERS))),
        })),
      },
      400,
    );
    await run('GET /v1/user/ (deep in the listing)', { requests: rotating(() => ({ path: `/v1/user/?limit=10&after=${cursor(100)}` })) });
    await run('GET /v1/user/{id}/subscribed_to/list/', {
      requests: rotating((i) => ({ path: `/v1/user/u${1 + (i % 3)}/subscribed_to/list/` })),
    });
    // Preferences: a 30-category catalog (3 roots × 2 sections × 5 categories), some users with stored choices.
    const catalog = {
      root_categories: (['system', 'transactional', 'promotional'] as const).map((root, r) => ({
        root_category: root,
        sections: [0, 1].map((sec) => ({
          name: `Section ${r}-${sec}`,
          tags: [`s${r}${sec}`],
          categories: [0, 1, 2, 3, 4].map((c) => ({
            category: `cat-${r}-${sec}-${c}`,
            name: `Category ${r}-${sec}-${c}`,
            default_preference: (['opt_in', 'opt_out', 'cant_unsubscribe'] as const)[(r + c) % 3],
            default_mandatory_channels: ['email'],
            tags: [`t${c}`],
          })),
        })),
      })),
    };
    const put = await fetch(`${emu.url}/_emulator/workspaces/default/preference-categories`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify(catalog),
    });
    if (put.status !== 200) throw new Error(`catalog: ${put.status} ${await put.text()}`);
    for (let i = 0; i < SEED_USERS; i += 10) {
      const res = await fetch(`${emu.url}/v1/user/u${i}/preference/category/cat-1-0-${i % 5}/`, {
        method: 'PATCH',
        headers: AUTH,
        body: JSON.stringify({ preference: 'opt_in', opt_out_channels: ['sms'] }),
      });
      if (res.status !== 202) throw new Error(`preference: ${res.status} ${await res.text()}`);
    }
    await run('GET /v1/user/{id}/preference/ (30 categories)', {
      requests: rotating((i) => ({ path: `/v1/user/u${(i * 7919) % SEED_USERS}/preference/?show_opt_out_channels=true` })),
    });
    results.scenarios = scenarios;
    await emu.stop();

    // How cost grows with data.
    const scaling: Record<string, unknown>[] = [];
    for (const n of SIZES) {
      const path = join(dir, `scale-${n}.db`);
      const t0 = performance.now();
      await buildDatabase(path, n);
      const buildS = (performance.now() - t0) / 1000;
      const s = await emulator(path);
      servers.push(s);
      const get = await load(s.url, {
        duration: Math.min(DURATION, 3),
        requests: rotating((i) => ({ path: `/v1/user/u${(i * 7919) % n}/` })),
      });
      const page = await load(s.url, {
        duration: Math.min(DURATION, 3),
        requests: rotating(() => ({ path: `/v1/user/?limit=10&after=${cursor(Math.floor(n / 2))}` })),
      });
      const getLatency = await sequentialLatency(s.url, (i) => `/v1/user/u${(i * 7919) % n}/`);
      const pageLatency = await sequentialLatency(
        s.url,
        (i) => `/v1/user/?limit=10&after=${cursor(Math.floor(n / 2) + ((i * 7919) % Math.floor(n / 4)))}`,
      );
      const resetStart = performance.now();
      const reset = await fetch(`${s.url}/_emulator/workspaces/default/reset`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      const resetMs = performance.now() - resetStart;
      if (reset.status !== 204) throw new Error(`reset answered ${reset.status}`);
      const row = {
        users: n,
        readyMs: Math.round(s.readyMs),
        getP50us: getLatency.p50us,
        getP99us: getLatency.p99us,
        getReqPerSec: Math.round(get.requests.average),
        pageP50us: pageLatency.p50us,
        pageP99us: pageLatency.p99us,
        pageReqPerSec: Math.round(page.requests.average),
        rssMb: s.rssMb(),
        resetMs: Math.round(resetMs * 10) / 10,
        buildSeconds: Math.round(buildS * 10) / 10,
      };
      scaling.push(row);
      console.log(
        `${n} users: GET p50 ${row.getP50us} µs (${row.getReqPerSec} req/s at ${CONNECTIONS} connections), page p50 ${row.pageP50us} µs (${row.pageReqPerSec} req/s), RSS ${row.rssMb} MB, reset ${row.resetMs} ms, ready ${row.readyMs} ms`,
      );
      await s.stop();
      rmSync(path, { force: true });
      rmSync(`${path}-wal`, { force: true });
      rmSync(`${path}-shm`, { force: true });
    }
    results.scaling = scaling;
    results.targets = checkTargets(results);
  } finally {
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(results);
  const stamp = new Date().toISOString().slice(0, 10);
  writeFileSync(`bench/results/${stamp}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote bench/results/${stamp}.json and bench/results/latest.json`);
}

interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

function checkTargets(r: Record<string, unknown>): TargetCheck[] {
  const sc = (r.scenarios as Scenario[]) ?? [];
  const find = (prefix: string) => sc.find((s) => s.name.startsWith(prefix));
  const scaling = (r.scaling as { users: number; getP50us: number; pageP50us: number; rssMb: number; resetMs: number }[]) ?? [];
  const small = scaling.find((s) => s.users === 1000);
  const big = scaling.find((s) => s.users === 1_000_000);
  const hundredK = scaling.find((s) => s.users === 100_000);
  const checks: TargetCheck[] = [];
  const ratio = (prefix: string, min: number, label: string) => {
    const s = find(prefix);
    if (s) checks.push({ target: `${label} ≥ ${min}× baseline`, measured: `${s.ratio}×`, met: s.ratio >= min });
  };
  ratio('GET /v1/user/{id}/', 0.5, 'GET user');
  const getUser = find('GET /v1/user/{id}/');
  const getPrefs = find('GET /v1/user/{id}/preference/');
  if (getUser && getPrefs) {
    const r = getPrefs.reqPerSec / getUser.reqPerSec;
    checks.push({ target: 'GET preference (30 categories) ≥ 0.5× GET user', measured: `${r.toFixed(2)}×`, met: r >= 0.5 });
  }
  ratio('POST /v1/user/{id}/', 0.25, 'upsert');
  ratio('PATCH', 0.2, 'PATCH');
  const bulk = find('POST /event/ (400-record batches, new users)');
  if (bulk)
    checks.push({
      target: 'bulk ≥ 30,000 records/s (new users)',
      measured: `${bulk.recordsPerSec} records/s`,
      met: (bulk.recordsPerSec ?? 0) >= 30_000,
    });
  const ready = (r.readyMs as { median: number }).median;
  checks.push({ target: 'ready ≤ 500 ms', measured: `${ready} ms`, met: ready <= 500 });
  if (hundredK) checks.push({ target: 'reset at 100k users < 50 ms', measured: `${hundredK.resetMs} ms`, met: hundredK.resetMs < 50 });
  if (big) checks.push({ target: 'RSS ≤ 150 MB with 1M users', measured: `${big.rssMb} MB`, met: big.rssMb <= 150 });
  if (small && big) {
    const g = big.getP50us / small.getP50us;
    const p = big.pageP50us / small.pageP50us;
    checks.push({
      target: 'GET p50 at 1M ≤ 1.5× at 1k',
      measured: `${big.getP50us} vs ${small.getP50us} µs (×${g.toFixed(2)})`,
      met: g <= 1.5,
    });
    checks.push({
      target: 'page p50 at 1M ≤ 1.5× at 1k',
      measured: `${big.pageP50us} vs ${small.pageP50us} µs (×${p.toFixed(2)})`,
      met: p <= 1.5,
    });
  }
  return checks;
}

function printTable(r: Record<string, unknown>): void {
  console.log('\n| scenario | req/s | ×baseline | p50 ms | p99 ms | RSS MB |');
  console.log('|---|---|---|---|---|---|');
  const b = r.baseline as { reqPerSec: number; p50: number; p99: number };
  console.log(`| Fastify hello world (baseline) | ${b.reqPerSec} | 1 | ${b.p50} | ${b.p99} | |`);
  for (const s of (r.scenarios as Scenario[]) ?? []) {
    console.log(
      `| ${s.name}${s.recordsPerSec ? ` (${s.recordsPerSec} records/s)` : ''} | ${s.reqPerSec} | ${s.ratio} | ${s.p50} | ${s.p99} | ${s.rssMb} |`,
    );
  }
  console.log(
    '\n| users | GET p50 / p99 µs (one connection) | GET req/s | page p50 / p99 µs | page req/s | RSS MB | reset ms | ready ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const s of (r.scaling as Record<string, unknown>[]) ?? []) {
    console.log(
      `| ${s.users} | ${s.getP50us} / ${s.getP99us} | ${s.getReqPerSec} | ${s.pageP50us} / ${s.pageP99us} | ${s.pageReqPerSec} | ${s.rssMb} | ${s.resetMs} | ${s.readyMs} |`,
    );
  }
  console.log('\n| target | measured | met |');
  console.log('|---|---|---|');
  for (const c of (r.targets as TargetCheck[]) ?? []) console.log(`| ${c.target} | ${c.measured} | ${c.met ? 'yes' : 'NO'} |`);
}

await main();
