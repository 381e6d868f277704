// The Docker image's runtime stage holds only dist/, migrations/, package.json
// and the node_modules that scripts/runtime-deps.mjs copies. There is no Docker
// engine here, so this builds the same layout in a temporary folder and starts
// the bundle from it: if the bundle needed a package the script leaves out, the
// image would fail the same way.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { DEV_WORKSPACE } from '../../src/config.js';
import { tempDir } from '../helpers/files.js';

const ROOT = resolve(import.meta.dirname, '../..');

t.test('the bundle runs with only the runtime packages the Docker image ships', async (t) => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  t.equal(build.status, 0, `the bundle builds: ${build.stderr}`);
  const app = tempDir(t, 'suprsend-emulator-runtime-');
  const copy = spawnSync(process.execPath, ['scripts/runtime-deps.mjs', app], { cwd: ROOT, encoding: 'utf8' });
  t.equal(copy.status, 0, `runtime-deps copies the packages: ${copy.stderr}`);
  for (const what of ['dist', 'migrations', 'package.json']) cpSync(join(ROOT, what), join(app, what), { recursive: true });
  t.ok(existsSync(join(app, 'node_modules/better-sqlite3')), 'better-sqlite3 is there');
  for (const bundled of ['fastify', 'zod', 'pino', 'drizzle-orm', 'esbuild', 'typescript', 'tap']) {
    t.notOk(existsSync(join(app, 'node_modules', bundled)), `${bundled} is not (bundled, or not needed at run time)`);
  }

  const child = spawn(process.execPath, ['dist/bin.mjs'], {
    cwd: app,
    env: { ...process.env, PORT: '0', DATABASE_PATH: join(app, 'db.sqlite'), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`no start-up line in 30 s: ${out} ${stderr}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    });
  });
  t.same(await (await fetch(`${url}/healthz`)).json(), { status: 'ok' }, '/healthz answers');
  t.equal((await fetch(`${url}/docs/`)).status, 200, '/docs serves the UI (@fastify/swagger-ui and its files)');
  const upsert = await fetch(`${url}/v1/user/runtime-user/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEV_WORKSPACE.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'R' }),
  });
  t.equal(upsert.status, 201, 'a write reaches SQLite (better-sqlite3 loads) and the migrations ran');
  t.equal(stderr, '', 'nothing on stderr');
});
