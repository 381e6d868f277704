#!/usr/bin/env node
// Copies what the bundle loads at run time into <target>/node_modules: the
// packages build.mjs leaves external and everything they depend on (as laid
// out in node_modules), nothing else. The Docker image's runtime stage ships
// only this. Usage: node scripts/runtime-deps.mjs <target>
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTERNAL } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The folder of package `name` as Node would find it from `from`: the nearest node_modules above. */
function locate(name, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return null;
  }
}

/** Every package folder the externals need, as paths relative to the project root. */
export function runtimePackages() {
  const found = new Set();
  const visit = (name, from, optional) => {
    const dir = locate(name, from);
    if (!dir) {
      if (optional) return;
      throw new Error(`${name} (needed from ${relative(root, from) || '.'}) is not installed`);
    }
    const rel = relative(root, dir);
    if (found.has(rel)) return;
    found.add(rel);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys({ ...pkg.optionalDependencies, ...pkg.peerDependencies })) visit(dep, dir, true);
  };
  for (const name of EXTERNAL) visit(name, root, false);
  return [...found].sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('usage: node scripts/runtime-deps.mjs <target folder>\n');
    process.exit(2);
  }
  const packages = runtimePackages();
  for (const rel of packages) cpSync(join(root, rel), join(resolve(target), rel), { recursive: true, dereference: true });
  process.stdout.write(`copied ${packages.length} packages into ${join(target, 'node_modules')}\n`);
}
