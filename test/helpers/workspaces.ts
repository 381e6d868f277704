/** The fixed identities every test runs with: two workspaces and the control-plane token. */
import type { WorkspaceConfig } from '../../src/config.js';

/** The primary workspace (named like the production default), as `SUPRSEND_*` settings make it. */
export const WS_A: WorkspaceConfig = {
  name: 'default',
  key: 'ws_a_key_0123456789abcdef',
  secret: 'ws_a_secret',
  api_keys: ['api_key_a'],
  inbox_secret: 'inbox_a',
  inbox: true,
};

/** A second workspace, for isolation tests. */
export const WS_B: WorkspaceConfig = {
  name: 'other',
  key: 'ws_b_key_0123456789abcdef',
  secret: 'ws_b_secret',
  api_keys: ['api_key_b'],
  inbox_secret: 'inbox_b',
  inbox: true,
};

export const ADMIN_TOKEN = 'test_admin_token_0123456789';

/** The settings that make `loadConfig` produce `ws` as its primary workspace (one API key, an inbox secret). */
export function workspaceEnv(ws: WorkspaceConfig): Record<string, string> {
  return {
    SUPRSEND_WORKSPACE_KEY: ws.key,
    SUPRSEND_WORKSPACE_SECRET: ws.secret,
    SUPRSEND_API_KEY: ws.api_keys[0]!,
    SUPRSEND_INBOX_SECRET: ws.inbox_secret!,
  };
}
