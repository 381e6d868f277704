/** Test configurations, read by the same `loadConfig` as production so that defaults cannot drift. */
import { type AppConfig, loadConfig } from '../../src/config.js';
import { ADMIN_TOKEN, WS_A, WS_B, workspaceEnv } from './workspaces.js';

/**
 * The settings every test starts from, as an operator would give them:
 * workspace A as the primary workspace, the test admin token, an in-memory
 * database, no logs, and a smaller journal than production's.
 */
export const TEST_ENV: Readonly<Record<string, string>> = {
  ...workspaceEnv(WS_A),
  EMULATOR_ADMIN_TOKEN: ADMIN_TOKEN,
  DATABASE_PATH: ':memory:',
  LOG_LEVEL: 'silent',
  JOURNAL_SIZE: '1000',
};

/**
 * An AppConfig from `loadConfig(TEST_ENV + env)`, then the test-only parts no
 * setting expresses: workspace B next to A, and every response checked
 * against its schema. `overrides` win over all of it.
 */
export function testConfig(overrides: Partial<AppConfig> = {}, env: Record<string, string> = {}): AppConfig {
  const { port: _port, host: _host, ...config } = loadConfig({ ...TEST_ENV, ...env });
  return { ...config, workspaces: [...config.workspaces, WS_B], validateResponses: true, ...overrides };
}
