#!/usr/bin/env node
// What `npm start` runs: the bundle dist/bin.mjs, in this same process (so a
// signal sent to `npm start` reaches the server: the start script `exec`s node
// and npm forwards SIGTERM/SIGINT to it). The bundle is rebuilt first only when
// it is missing or older than what it is built from (src/, the build script,
// package-lock.json): a fresh bundle starts at once instead of after a build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(root, 'dist', 'bin.mjs');

/** The newest modification time (ms) of a file, or of every file under a folder; 0 when absent. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** Why the bundle must be rebuilt, or null when it is up to date. */
export function staleReason(dir = root) {
  const bundle = join(dir, 'dist', 'bin.mjs');
  if (!existsSync(bundle)) return 'dist/bin.mjs is missing';
  const built = statSync(bundle).mtimeMs;
  for (const input of ['src', 'scripts/build.mjs', 'package-lock.json']) {
    if (newest(join(dir, input)) > built) return `${input} is newer than dist/bin.mjs`;
  }
  return null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const reason = staleReason();
  if (reason) {
    let buildBundle;
    try {
      ({ buildBundle } = await import('./build.mjs'));
      await import('esbuild');
    } catch {
      process.stderr.write(`suprsend-emulator: ${reason} and esbuild is not installed to rebuild it; run npm install (or npm ci).\n`);
      process.exit(1);
    }
    process.stderr.write(`suprsend-emulator: ${reason}; rebuilding it first.\n`);
    await buildBundle();
  }
  await import(pathToFileURL(BUNDLE).href);
}
