// The command line as a user meets it: --help, --version, a bad value, a
// database path that cannot be used. Runs src/bin.ts (the bundle's entry) in a
// child process, as `npm start` runs the bundle.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { ConfigError, loadConfig, SETTING_HELP, SETTING_NAMES } from '../../src/config.js';
import { tempDir } from '../helpers/files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

function cli(args: string[], env: Record<string, string> = {}, user?: { uid: number; gid: number }) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/bin.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', PORT: '0', ...env },
    timeout: 60_000,
    ...user,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function configMessage(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '(no error)';
}

t.test('--help lists every setting with its meaning and default', async (t) => {
  const r = cli(['--help']);
  t.equal(r.status, 0, 'exits 0');
  t.match(r.stdout, `suprsend-emulator ${VERSION}`, 'names the program and version');
  for (const name of SETTING_NAMES) {
    const h = SETTING_HELP[name];
    t.ok(h.meaning.length > 10 && h.default.length > 0, `${name} has a meaning and a default`);
    t.match(r.stdout, `${name} (--${name.toLowerCase().replaceAll('_', '-')}`, `${name} and its flag`);
    t.match(r.stdout, h.meaning, `${name}: its meaning`);
    t.match(r.stdout, `Default: ${h.default}`, `${name}: its default`);
  }
  t.match(r.stdout, '--db', 'the short flags too');
  t.equal(cli(['-h']).stdout, r.stdout, '-h is the same');
});

t.test('the defaults --help shows are the ones used', async (t) => {
  const c = loadConfig({});
  t.equal(SETTING_HELP.PORT.default, String(c.port));
  t.equal(SETTING_HELP.HOST.default, c.host);
  t.equal(SETTING_HELP.DATABASE_PATH.default, c.databasePath);
  t.equal(SETTING_HELP.LOG_LEVEL.default, c.logLevel);
  t.match(SETTING_HELP.BODY_LIMIT.default, String(c.bodyLimit));
  t.equal(SETTING_HELP.DURABILITY.default, c.durability);
  t.equal(SETTING_HELP.REQUEST_TIMEOUT_MS.default, String(c.requestTimeoutMs));
  t.equal(SETTING_HELP.PLUS_AS_SPACE.default, String(c.plusAsSpace));
  t.equal(SETTING_HELP.EMULATOR_ADMIN_TOKEN.default, c.adminToken);
  t.equal(SETTING_HELP.JOURNAL_SIZE.default, String(c.journalSize));
  t.equal(SETTING_HELP.FAULT_HEADER.default, String(c.faultHeader));
  t.equal(SETTING_HELP.SUPRSEND_WORKSPACE_KEY.default, c.workspaces[0]!.key);
  t.equal(SETTING_HELP.SUPRSEND_WORKSPACE_SECRET.default, c.workspaces[0]!.secret);
  t.match(SETTING_HELP.SUPRSEND_API_KEY.default, c.workspaces[0]!.api_keys[0]!);
});

t.test('--version prints the package version', async (t) => {
  const r = cli(['--version']);
  t.equal(r.status, 0);
  t.equal(r.stdout, `${VERSION}\n`);
});

t.test('a bad value names the setting, what it takes and the value given', async (t) => {
  const r = cli([], { PORT: 'abc' });
  t.equal(r.status, 2, 'exits 2');
  t.match(r.stderr, 'PORT must be an integer 0–65535, got "abc"');
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  t.match(cli(['--port', '70000']).stderr, 'PORT must be an integer 0–65535, got "70000"', 'a flag the same way');
  t.match(configMessage({ LOG_LEVEL: 'loud' }), 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"');
  t.match(configMessage({ DURABILITY: 'sometimes' }), 'DURABILITY must be normal or full, got "sometimes"');
  t.match(configMessage({ BODY_LIMIT: '12' }), 'BODY_LIMIT must be an integer of at least 1024 (bytes), got "12"');
  t.match(configMessage({ PLUS_AS_SPACE: 'maybe' }), 'PLUS_AS_SPACE must be true, false, 1, 0, yes or no, got "maybe"');
  t.match(configMessage({ CLOCK_START: 'yesterday' }), 'CLOCK_START must be an ISO-8601 time');
  const both = configMessage({ PORT: 'abc', JOURNAL_SIZE: '-1' });
  t.match(both, 'PORT must be');
  t.match(both, 'JOURNAL_SIZE must be an integer 0–1000000, got "-1"', 'each bad value, on its own line');
  const token = configMessage({ EMULATOR_ADMIN_TOKEN: 'hunter2' });
  t.match(token, 'EMULATOR_ADMIN_TOKEN must be at least 16 characters, got a value of 7 characters');
  t.notMatch(token, 'hunter2', 'a credential is not echoed');
});

t.test('a database path that cannot be used: the path and the likely cause', async (t) => {
  const dir = tempDir(t, 'suprsend-emulator-cli-');
  const file = join(dir, 'not-a-folder');
  writeFileSync(file, '');
  const underFile = cli([], { DATABASE_PATH: join(file, 'db.sqlite') });
  t.equal(underFile.status, 1, 'a path through a file: exits 1');
  t.match(underFile.stderr, join(file, 'db.sqlite'), 'names the path');
  t.match(underFile.stderr, 'a part of the path is a file, not a folder', 'and why');
  t.notMatch(underFile.stderr, /\n\s+at /, 'no stack trace');

  const isFolder = cli([], { DATABASE_PATH: dir });
  t.equal(isFolder.status, 1, 'a folder as the database: exits 1');
  t.match(isFolder.stderr, `${dir} (DATABASE_PATH=${dir}): it is a folder`);

  // Permissions: root may write anywhere, so as root the server runs as "nobody".
  const locked = join(dir, 'locked');
  mkdirSync(locked, { mode: 0o755 });
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) chmodSync(locked, 0o555);
  t.teardown(() => chmodSync(locked, 0o755));
  chmodSync(dir, 0o755);
  const user = asRoot ? { uid: 65534, gid: 65534 } : undefined;
  const inLocked = cli([], { DATABASE_PATH: join(locked, 'db.sqlite') }, user);
  t.equal(inLocked.status, 1, 'a folder it may not write in: exits 1');
  t.match(inLocked.stderr, join(locked, 'db.sqlite'), 'names the path');
  t.match(inLocked.stderr, `its folder ${locked} is not writable`, 'and the folder');
  t.match(inLocked.stderr, 'permission denied', 'and why');
  const missing = cli([], { DATABASE_PATH: join(locked, 'sub', 'db.sqlite') }, user);
  t.match(missing.stderr, `its folder ${join(locked, 'sub')} cannot be created: permission denied`, 'a missing folder it may not create');
});
