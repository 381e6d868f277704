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

export async function startServer(config: ServerConfig): Promise<RunningServer> {
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
