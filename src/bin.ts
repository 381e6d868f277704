#!/usr/bin/env node
import { ConfigError, helpText, loadConfig } from './config.js';
import { closeOnSignals, StartupError, startServer, startupBanner } from './server.js';
import { VERSION } from './version.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(helpText(VERSION));
  process.exit(0);
}
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}

try {
  const config = loadConfig(process.env, args);
  const { app, url } = await startServer(config);
  closeOnSignals(app);
  process.stdout.write(`${startupBanner(config, url)}\n`);
} catch (err) {
  if (err instanceof ConfigError || err instanceof StartupError) {
    process.stderr.write(`suprsend-emulator: ${err.message}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  }
  process.stderr.write(`suprsend-emulator: failed to start: ${(err as Error).message}\n`);
  process.exit(1);
}
