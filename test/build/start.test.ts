// `npm start` (scripts/start.mjs): starts from the bundle without rebuilding
// it when it is up to date, rebuilds it when the sources are newer, and stops
// when the npm process gets SIGTERM (a supervisor or `kill <npm pid>`).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { tempDir } from '../helpers/files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const startScript = join(ROOT, 'scripts/start.mjs');
const { staleReason } = (await import(startScript)) as { staleReason: (dir: string) => string | null };

t.test('the bundle is rebuilt only when missing or older than its sources', async (t) => {
  const dir = tempDir(t, 'suprsend-emulator-stale-');
  mkdirSync(join(dir, 'src/users'), { recursive: true });
  mkdirSync(join(dir, 'dist'));
  mkdirSync(join(dir, 'scripts'));
  const age = (path: string, secondsAgo: number) => {
    const at = Date.now() / 1000 - secondsAgo;
    utimesSync(join(dir, path), at, at);
  };
  const file = (path: string, secondsAgo: number) => {
    writeFileSync(join(dir, path), '');
    age(path, secondsAgo);
  };
  file('src/bin.ts', 300);
  file('src/users/routes.ts', 300);
  file('scripts/build.mjs', 300);
  file('package-lock.json', 300);
  // A folder's own time counts too (a file added, removed or renamed in it).
  age('src/users', 300);
  age('src', 300);
  t.match(staleReason(dir), /missing/, 'no bundle: build');
  file('dist/bin.mjs', 100);
  t.equal(staleReason(dir), null, 'a bundle newer than everything: start it as it is');
  file('src/users/routes.ts', 10);
  t.match(staleReason(dir), /^src is newer/, 'a source file edited after the build (in a subfolder): rebuild');
  file('src/users/routes.ts', 300);
  file('package-lock.json', 10);
  t.match(staleReason(dir), /package-lock\.json is newer/, 'dependencies changed after the build: rebuild');
  age('package-lock.json', 300);
  writeFileSync(join(dir, 'src/users/new.ts'), '');
  age('src/users/new.ts', 300);
  t.match(staleReason(dir), /^src is newer/, 'a file added (even with an old time, as a copy keeps it): rebuild');
});

function exited(child: ChildProcess, ms: number): Promise<number | null | 'timeout'> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => {
    const timer = setTimeout(() => done('timeout'), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
}

async function portClosed(url: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(500) });
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

t.test('npm start serves from the up-to-date bundle and stops on SIGTERM to npm', async (t) => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  t.equal(build.status, 0, `the bundle builds: ${build.stderr}`);

  const dir = tempDir(t, 'suprsend-emulator-start-');
  // Its own process group, so that the teardown can stop whatever is left.
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, PORT: '0', DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    try {
      process.kill(-npm.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  });
  let stderr = '';
  npm.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`no start-up line in 60 s: ${out} ${stderr}`)), 60_000);
    npm.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    });
  });
  t.same(await (await fetch(`${url}/healthz`)).json(), { status: 'ok' }, 'it answers');
  t.notMatch(stderr, /rebuilding/, 'the bundle was up to date: no build before starting');

  process.kill(npm.pid!, 'SIGTERM');
  t.ok(await portClosed(url, 10_000), 'the server is gone within 10 s of SIGTERM to the npm process');
  t.equal(await exited(npm, 10_000), 0, 'npm start exits 0 (graceful shutdown)');
});
