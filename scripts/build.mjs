// Builds the server into one file, dist/bin.mjs. One bundled file starts in
// about 300 ms where the same code as ~600 separate modules took about 500 ms
// (most of that was module resolution and loading). better-sqlite3 (native)
// and @fastify/swagger-ui (serves its own static files) stay in node_modules.
//
// `npm run build` runs this file; scripts/start.mjs imports buildBundle() to
// rebuild when the sources are newer than the bundle. esbuild is a dependency
// (not a devDependency) so that `npm ci --omit=dev` can still build at install.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Packages the bundle loads from node_modules at run time (the Docker image ships only these). */
export const EXTERNAL = ['better-sqlite3', '@fastify/swagger-ui'];

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildBundle() {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/bin.ts'],
    outfile: 'dist/bin.mjs',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
  });
  // Each file is written aside and renamed into place, so a server starting
  // while another process rebuilds never loads half a bundle.
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildBundle();
