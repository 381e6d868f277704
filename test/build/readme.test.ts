// The README's examples are run as pasted, so they cannot rot: every ```js /
// ```mjs block runs with node, and every ```sh block made of curl commands runs
// with bash (when curl is installed), each against a real listening emulator.
// The only change made to a block is the address: the README's
// http://127.0.0.1:8080 becomes the test server's (port 0 picks a free one).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { DEV_ADMIN_TOKEN, loadConfig, SETTING_HELP, SETTING_NAMES } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { tempDir, writeIn } from '../helpers/files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const README_URL = 'http://127.0.0.1:8080';

interface Block {
  lang: string;
  code: string;
  line: number;
}

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const re = /^```(\w*)[^\n]*\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    out.push({ lang: m[1]!, code: m[2]!, line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

const all = blocks(README);
const nodeBlocks = all.filter((b) => b.lang === 'js' || b.lang === 'mjs');
const curlBlocks = all.filter((b) => b.lang === 'sh' && /\bcurl\b/.test(b.code) && !/\b(npm|docker)\b/.test(b.code));
const hasCurl = spawnSync('curl', ['--version']).status === 0;

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

t.test('the README has the examples this test runs', async (t) => {
  t.ok(nodeBlocks.length >= 1, 'at least one Node block');
  t.ok(curlBlocks.length >= 2, 'at least two curl blocks (REST, control plane)');
  for (const b of nodeBlocks)
    t.notMatch(b.code, /\brequire\(/, `the Node block at line ${b.line} is an ES module (top-level await needs one)`);
});

t.test('the Quick start commands and the Configuration table', async (t) => {
  t.match(README, /```sh\nnpm install && npm start\n```/, 'Quick start: npm install && npm start');
  t.match(README, /```sh\nnpm install && npm test\n```/, 'Run the tests: npm install && npm test');
  const config = README.slice(README.indexOf('## Configuration'), README.indexOf('## Control plane'));
  for (const name of SETTING_NAMES) {
    const row = config.split('\n').find((l) => l.startsWith(`| \`${name}\``));
    t.ok(row, `the Configuration table has a row for ${name}`);
    const shownDefault = SETTING_HELP[name].default.split(' ')[0]!;
    t.match(row ?? '', shownDefault, `and its default agrees with --help (${shownDefault})`);
  }
});

t.test('the README examples run as pasted against a listening emulator', async (t) => {
  const dir = tempDir(t, 'suprsend-emulator-readme-');
  // The Node example imports @suprsend/node-sdk as a project that installed it would.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const config = loadConfig({ PORT: '0', DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'silent' });
  const { app, url } = await startServer(config);
  t.teardown(() => app.close());
  const toServer = (code: string) => code.replaceAll(README_URL, url);

  for (const b of nodeBlocks) {
    t.match(b.code, README_URL, `the Node block at line ${b.line} talks to the documented address`);
    const file = writeIn(dir, `readme-${b.line}.mjs`, toServer(b.code));
    const r = await run(process.execPath, [file], dir);
    t.equal(r.code, 0, `the Node block at line ${b.line} exits 0${r.code === 0 ? '' : `: ${r.stderr}`}`);
    t.equal(r.stderr, '', 'and writes nothing to stderr');
    if (b.code.includes("supr.users.get('alice')")) {
      for (const shown of ['alice@example.com', '+15555550100', 'Europe/Paris', 'Alice']) t.match(r.stdout, shown, `prints ${shown}`);
    }
  }

  if (!hasCurl) {
    t.comment('curl is not installed: the curl blocks are not run');
    return;
  }
  // Every curl also reports its status and method on stderr; the block's own
  // output (stdout, redirections to files) is left as it is.
  const wrapper =
    'set -euo pipefail\ncurl() { command curl --no-progress-meter -w \'%{stderr}HTTP %{http_code} %{method} %{url_effective}\\n\' "$@"; }\n';
  for (const b of curlBlocks) {
    const file = writeIn(dir, `readme-${b.line}.sh`, wrapper + toServer(b.code));
    const r = await run('bash', [file], dir);
    t.equal(r.code, 0, `the curl block at line ${b.line} runs (every curl connects)${r.code === 0 ? '' : `: ${r.stderr}`}`);
    const statuses = [...r.stderr.matchAll(/^HTTP (\d+) (\S+) (\S+)$/gm)].map((m) => ({ status: Number(m[1]), what: `${m[2]} ${m[3]}` }));
    t.ok(statuses.length > 0, `the curl block at line ${b.line} made requests`);
    // Every block runs top to bottom as pasted: each request succeeds.
    for (const s of statuses) t.ok(s.status >= 200 && s.status < 300, `${s.what} succeeds (${s.status})`);
  }
  const status = await fetch(`${url}/_emulator/status`, { headers: { authorization: `Bearer ${DEV_ADMIN_TOKEN}` } });
  t.equal(status.status, 200, 'the emulator still answers afterwards');
});
