/** The real Node SDK, pointed at a listening emulator (see `listening` in app.ts). */
import pkg from '@suprsend/node-sdk';
import type { WorkspaceConfig } from '../../src/config.js';
import { WS_A } from './workspaces.js';

// The SDK's HTTP client honours HTTP(S)_PROXY; loopback must not go through one.
process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.no_proxy = '127.0.0.1,localhost';

export const { Suprsend } = pkg;
export type SdkClient = InstanceType<typeof Suprsend>;

/** The real SDK, signed with a workspace's key and secret, against `baseUrl`. */
export function sdkFor(baseUrl: string, ws: Pick<WorkspaceConfig, 'key' | 'secret'> = WS_A): SdkClient {
  return new Suprsend(ws.key, ws.secret, { base_url: baseUrl });
}

/** The error a promise rejects with, or undefined when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error | undefined> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  return undefined;
}
