/** Emulators for a test: injected into, listening on a socket, or started as `src/bin.ts` starts them. */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';
import { type AppDeps, buildApp } from '../../src/app.js';
import type { AppConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { testConfig } from './config.js';

/** A fresh app on an in-memory database, closed when the test ends. */
export async function build(t: Test, overrides: Partial<AppConfig> = {}, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(overrides), deps);
  t.teardown(() => app.close());
  await app.ready();
  return app;
}

export interface Listening {
  app: FastifyInstance;
  baseUrl: string;
  port: number;
}

/** A fresh emulator listening on 127.0.0.1 (a free port), closed when the test ends. */
export async function listening(t: Test, overrides: Partial<AppConfig> = {}): Promise<Listening> {
  const app = await buildApp(testConfig(overrides));
  t.teardown(() => app.close());
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, baseUrl, port: (app.server.address() as AddressInfo).port };
}

/** A fresh emulator started through `startServer` (what `src/bin.ts` runs) on 127.0.0.1, closed when the test ends. */
export async function serving(t: Test, overrides: Partial<AppConfig> = {}): Promise<{ app: FastifyInstance; port: number }> {
  const { app } = await startServer({ ...testConfig(overrides), port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  return { app, port: (app.server.address() as AddressInfo).port };
}
