// `npm start` runs the bundle dist/bin.mjs, not the sources the other tests
// import: build it as `npm run build` does and check it serves as a user sees it.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { DEV_ADMIN_TOKEN, DEV_WORKSPACE } from '../../src/config.js';
import { tempDir } from '../helpers/files.js';

t.test('the bundled server starts, prints its credentials and serves the API, docs and control plane', async (t) => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  t.equal(build.status, 0, `npm run build succeeds: ${build.stderr}`);

  const dir = tempDir(t, 'suprsend-emulator-bundle-');
  const child = spawn(process.execPath, ['dist/bin.mjs'], {
    env: { ...process.env, PORT: '0', DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  const banner = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no start-up line in 15 s: ${out}`)), 15_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0]!);
      }
    });
  });
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
  t.ok(url, `the start-up line says where it listens: ${banner}`);
  t.match(banner, DEV_WORKSPACE.key, 'and the workspace key');
  t.match(banner, DEV_WORKSPACE.secret, 'the dev secret');
  t.match(banner, DEV_WORKSPACE.apiKey, 'the dev API key');
  t.match(banner, DEV_ADMIN_TOKEN, 'the dev admin token');
  t.match(banner, join(dir, 'db.sqlite'), 'and the database');

  t.same(await (await fetch(`${url}/healthz`)).json(), { status: 'ok' });
  const docs = await fetch(`${url}/docs/`);
  t.equal(docs.status, 200, '/docs serves the UI');
  t.match(await docs.text(), /swagger/i);
  const spec = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  t.ok(spec.paths['/v1/user/{distinct_id}/'], 'the OpenAPI document lists the user routes');

  const upsert = await fetch(`${url}/v1/user/bundle-user/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEV_WORKSPACE.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ $email: ['b@example.com'], name: 'B' }),
  });
  t.equal(upsert.status, 201);
  const user = (await upsert.json()) as { properties: unknown; $email: { value: string }[] };
  t.same([user.properties, user.$email[0]?.value], [{ name: 'B' }, 'b@example.com']);

  const status = await fetch(`${url}/_emulator/status`, { headers: { authorization: `Bearer ${DEV_ADMIN_TOKEN}` } });
  t.equal(status.status, 200, 'the control plane answers with the dev admin token');
});
