#!/usr/bin/env node
import { ConfigError, flagName, loadConfig, SETTING_NAMES } from './config.js';
import { closeOnSignals, startServer, startupBanner } from './server.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    "suprsend-emulator: a local emulator of SuprSend's user-profile API.\n\n" +
      'Every setting is an environment variable or a flag of the same name:\n' +
      SETTING_NAMES.map((n) => `  ${flagName(n).padEnd(30)} ${n}`).join('\n') +
      '\n\nShort flags: --seed (SEED_PATH), --db (DATABASE_PATH), --admin-token (EMULATOR_ADMIN_TOKEN).\nSee the README for what each one does.\n',
  );
  process.exit(0);
}

try {
  const config = loadConfig(process.env, process.argv.slice(2));
  const { app, url } = await startServer(config);
  closeOnSignals(app);
  process.stdout.write(`${startupBanner(config, url)}\n`);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`suprsend-emulator: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`suprsend-emulator: failed to start: ${(err as Error).message}\n`);
  process.exit(1);
}
