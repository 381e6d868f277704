/**
 * Records what an official SDK really sends, as fixtures tests can replay.
 *
 *   npx tsx scripts/sdk-capture/record.ts <fixture name> -- <command…>
 *
 * Starts an emulator (test workspace A, so signatures verify on replay) on a
 * free loopback port, runs the command with SUPRSEND_BASE_URL, SUPRSEND_KEY,
 * SUPRSEND_SECRET and EMULATOR_ADMIN_TOKEN set, and writes every request it receives — method, URL as
 * sent, headers, body bytes — with the status answered, to
 * test/fixtures/sdk-requests/<fixture name>.json. A driver labels what comes
 * next with `GET /_capture/step?label=…` (not recorded, not part of the
 * emulator); the label names the SDK method the requests came from.
 *
 * The drivers (scripts/sdk-capture/python/) are ours; the SDK is not
 * committed: point SUPRSEND_PY_SDK at a checkout's `src` folder.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../test/helpers/config.js';
import { WS_A } from '../../test/helpers/workspaces.js';
import type { CapturedRequest, Capture } from '../../test/helpers/captures.js';

/** Headers that describe the connection, not the request: left out of fixtures. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'transfer-encoding']);

const [name, separator, ...command] = process.argv.slice(2);
if (!name || separator !== '--' || command.length === 0) {
  console.error('usage: npx tsx scripts/sdk-capture/record.ts <fixture name> -- <command…>');
  process.exit(2);
}

const app = await buildApp(testConfig({ validateResponses: false }));
const requests: CapturedRequest[] = [];
let step = '(unlabelled)';
app.addHook('onRequest', async (request, reply) => {
  if (!request.url.startsWith('/_capture/step')) return;
  step = new URL(request.url, 'http://x').searchParams.get('label') ?? step;
  return reply.code(204).send();
});
app.addHook('onResponse', async (request, reply) => {
  if (request.url.startsWith('/_capture/step')) return;
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([k, v]) => !CONNECTION_HEADERS.has(k) && typeof v === 'string') as [string, string][],
  );
  // The SDKs describe the recording machine's kernel here; it is not signed, so fixtures keep a neutral value.
  const agent = headers['x-suprsend-client-user-agent'];
  if (agent) headers['x-suprsend-client-user-agent'] = agent.replace(/("os_version":\s*)"[^"]*"/, '$1"recorded"');
  requests.push({
    step,
    method: request.method,
    url: request.url,
    headers,
    body: request.rawBody === undefined ? null : request.rawBody.toString('utf8'),
    status: reply.statusCode,
  });
});
const base = await app.listen({ port: 0, host: '127.0.0.1' });
// Not spawnSync: the emulator answering the driver runs on this process's event loop.
const driver = spawn(command[0]!, command.slice(1), {
  stdio: 'inherit',
  env: {
    ...process.env,
    SUPRSEND_BASE_URL: `${base}/`,
    SUPRSEND_KEY: WS_A.key,
    SUPRSEND_SECRET: WS_A.secret,
    // For drivers that set up faults through the control plane (the test admin token, not a secret).
    EMULATOR_ADMIN_TOKEN: app.emulator.config.adminToken,
  },
});
const [code, signal] = (await once(driver, 'exit')) as [number | null, string | null];
await app.close();
if (code !== 0) {
  console.error(`the driver failed (exit ${code ?? signal}); nothing written`);
  process.exit(1);
}
const capture: Capture = { driver: command.join(' ').replace(/^\S*\//, ''), requests };
const dir = join(import.meta.dirname, '../../test/fixtures/sdk-requests');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(capture, null, 2)}\n`);
console.log(`${requests.length} requests written to test/fixtures/sdk-requests/${name}.json`);
