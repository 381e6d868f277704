import { DEV_ADMIN_TOKEN } from '../config.js';

/** Hosts that only this machine can reach. */
function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Why the control plane is off, or undefined when it is on. It is off when the
 * server listens beyond loopback while the admin token is the public dev
 * default: anyone who can reach the port could read every secret and wipe the data.
 */
export function controlPlaneRefusal(config: { host?: string | undefined; adminToken: string }): string | undefined {
  if (config.host === undefined || isLoopback(config.host) || config.adminToken !== DEV_ADMIN_TOKEN) return undefined;
  return (
    `the control plane is disabled: HOST ${config.host} is reachable from other machines and the admin token is the public dev default; ` +
    'set EMULATOR_ADMIN_TOKEN to a secret of 16+ characters (or listen on 127.0.0.1) to enable it'
  );
}
