#!/usr/bin/env node
import { ConfigError, loadConfig } from './config.js';
import { closeOnSignals, startServer, startupBanner } from './server.js';

try {
  const config = loadConfig(process.env, process.argv.slice(2));
  const { app, url } = await startServer(config);
  closeOnSignals(app);
  process.stdout.write(startupBanner(config, url) + '\n');
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`suprsend-emulator: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`suprsend-emulator: failed to start: ${(err as Error).message}\n`);
  process.exit(1);
}
