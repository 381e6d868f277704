// `npm run bench:profile`: where a request's time goes. Starts the server as
// `npm start` does but under `node --cpu-prof`, drives one scenario with
// autocannon, and writes the profile's summary (self time by function and by
// module) to bench/results/profile-<scenario>.txt. The raw .cpuprofile is
// left in a temporary folder whose path is printed (open it in Chrome DevTools).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startServer } from './servers.js';

const AUTH = { authorization: 'Bearer dev_api_key_0123456789', 'content-type': 'application/json' };
const SCENARIOS: Record<string, { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: string }> = {
  get: { method: 'GET', path: '/v1/user/u1/' },
  upsert: {
    method: 'POST',
    path: '/v1/user/u1/',
    body: JSON.stringify({ $email: ['u1@example.com'], $sms: ['+15555550100'], name: 'N', plan: 'team', age: 3 }),
  },
  patch: {
    method: 'PATCH',
    path: '/v1/user/u1/',
    body: JSON.stringify({
      operations: [{ $set: { name: 'N' } }, { $add: { logins: 1 } }, { $append: { tags: 'bench' } }, { $set_once: { first_seen: 'x' } }],
    }),
  },
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/** Maps a position in the bundle back to its source file (src/… or the dependency's own file). */
const bundleMap = new SourceMap(JSON.parse(readFileSync('dist/bin.mjs.map', 'utf8')));
function originalFile(url: string, line: number, column: number): string {
  if (!url.endsWith('dist/bin.mjs')) return url.split('/').slice(-2).join('/');
  const entry = bundleMap.findEntry(line, column) as { originalSource?: string; originalLine?: number };
  const source = entry.originalSource?.replace(/^.*?(node_modules\/|src\/)/, '$1') ?? 'dist/bin.mjs';
  return `${source}:${(entry.originalLine ?? 0) + 1}`;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function summarise(profile: Profile, requests: number): string {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfTime = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const d = profile.timeDeltas[i] ?? 0;
    selfTime.set(id, (selfTime.get(id) ?? 0) + d);
    total += d;
  });
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  for (const [id, t] of selfTime) {
    const { functionName, url, lineNumber, columnNumber } = nodes.get(id)!.callFrame;
    const file = url ? originalFile(url, lineNumber, columnNumber) : '';
    const fn = `${functionName || '(anonymous)'} ${file}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + t);
    const mod = file.startsWith('node_modules/')
      ? file
          .split('/')
          .slice(1, file.startsWith('node_modules/@') ? 3 : 2)
          .join('/')
      : file.startsWith('src/')
        ? file.split('/').slice(0, 2).join('/')
        : url.startsWith('node:')
          ? 'node (core)'
          : functionName || '(native)';
    byModule.set(mod, (byModule.get(mod) ?? 0) + t);
  }
  const rows = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, t]) => `${((t / total) * 100).toFixed(1).padStart(5)}%  ${((t / 1000 / requests) * 1000).toFixed(2).padStart(7)} µs/req  ${k}`,
      )
      .join('\n');
  return `self time, by function (top 30):\n${rows(byFunction, 30)}\n\nself time, by module (src/ folder, package, or native):\n${rows(byModule, 20)}\n`;
}

async function main() {
  const name = process.argv[2] ?? 'get';
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario ${name}; one of ${Object.keys(SCENARIOS).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'suprsend-emulator-profile-'));
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ').slice(1);
  const server = await startServer(
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...start],
    { PORT: '0', DATABASE_PATH: join(dir, 'db.sqlite') },
    '/healthz',
  );
  await fetch(`${server.url}/v1/user/u1/`, { method: 'POST', headers: AUTH, body: JSON.stringify({ name: 'seed' }) });
  const result = await autocannon({
    url: server.url + scenario.path,
    method: scenario.method,
    headers: AUTH,
    ...(scenario.body ? { body: scenario.body } : {}),
    connections: 50,
    duration: 5,
  });
  await server.stop();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const header =
    `${scenario.method} ${scenario.path}: ${Math.round(result.requests.average)} req/s over 5 s at 50 connections ` +
    `(${result.requests.total} requests; the profile also spans start-up and idle time)\n` +
    `node ${process.version}, ${new Date().toISOString()}, \`npm run bench:profile -- ${name}\`\n\n`;
  const text = header + summarise(profile, result.requests.total);
  writeFileSync(`bench/results/profile-${name}.txt`, text);
  console.log(text);
  console.log(`raw profile: ${join(dir, file)}`);
}

await main();
