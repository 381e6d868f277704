import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { controlPlaneRefusal } from './admin/exposure.js';
import { buildApp } from './app.js';
import { DEV_ADMIN_TOKEN, DEV_WORKSPACE, type ServerConfig } from './config.js';

/** The line printed at start: where it listens, which database, and the credentials to use. */
export function startupBanner(config: ServerConfig, url: string): string {
  const ws = config.workspaces[0]!;
  const dev = ws.key === DEV_WORKSPACE.key && ws.secret === DEV_WORKSPACE.secret;
  // Real secrets are never printed; the dev defaults are public anyway.
  const secret = dev ? ws.secret : '(from SUPRSEND_WORKSPACE_SECRET)';
  const apiKey = ws.api_keys[0] === undefined ? '(none: set SUPRSEND_API_KEY)' : dev ? ws.api_keys[0] : '(from SUPRSEND_API_KEY)';
  const others = config.workspaces.length > 1 ? `; ${config.workspaces.length - 1} more workspace(s) from WORKSPACES_FILE` : '';
  const admin = config.adminToken === DEV_ADMIN_TOKEN ? config.adminToken : '(from EMULATOR_ADMIN_TOKEN)';
  const refusal = controlPlaneRefusal(config);
  const controlPlane =
    refusal === undefined ? `${url}/_emulator/ admin token: ${admin}` : `OFF (${refusal.replace(/^the control plane is /, '')})`;
  return (
    `SuprSend emulator listening on ${url} | database: ${config.databasePath} | ` +
    `workspace key: ${ws.key} secret: ${secret} API key (Bearer): ${apiKey}${others} | ` +
    `control plane: ${controlPlane} | docs: ${url}/docs`
  );
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
}

/** A start-up failure whose message already says what to do (printed without a stack trace). */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** The likely cause of a file-system error, in words. */
function explain(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const uid = typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : '';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied: the user running the emulator${uid} may not write there; fix the folder's permissions or choose another path`;
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return (err as Error).message;
  }
}

/**
 * Checks that the database file can be created (with its folder) and written,
 * so that a bad DATABASE_PATH is reported with the path and the likely cause
 * instead of SQLite's "unable to open database file".
 */
export function checkDatabasePath(path: string): void {
  if (path === ':memory:') return;
  const file = resolve(path);
  const dir = dirname(file);
  const fail = (what: string, err: unknown) =>
    new StartupError(`cannot use the database ${file} (DATABASE_PATH=${path}): ${what}: ${explain(err)}`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw fail(`its folder ${dir} cannot be created`, err);
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw fail(`its folder ${dir} is not writable (SQLite writes its -wal and -shm files next to the database)`, err);
  }
  let isDir = false;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    return; // Not there yet: SQLite creates it in the writable folder.
  }
  if (isDir) throw new StartupError(`cannot use the database ${file} (DATABASE_PATH=${path}): it is a folder; give a file name inside it`);
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw fail('the file is not readable and writable', err);
  }
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  checkDatabasePath(config.databasePath);
  const app = await buildApp(config);
  app.server.maxConnections = config.maxConnections;
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { app, url: `http://${host}:${port}` };
}

/** Closes the server on SIGTERM/SIGINT: in-flight requests finish, then the database closes. */
export function closeOnSignals(app: FastifyInstance): void {
  let closing = false;
  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => close('SIGTERM'));
  process.once('SIGINT', () => close('SIGINT'));
}
