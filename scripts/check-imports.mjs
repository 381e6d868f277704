#!/usr/bin/env node
// Fails on an import cycle in src/ or an import that breaks the layers of
// scripts/layers.mjs; prints the graph summary either way.
import { cruise } from 'dependency-cruiser';
import { LAYERS } from './layers.mjs';

const folderOf = (path) =>
  path
    .replace(/^src\//, '')
    .split('/')[0]
    .replace(/\.ts$/, '');
const layerOf = new Map(LAYERS.flatMap((layer, index) => layer.folders.map((folder) => [folder, index])));

const { output } = await cruise(['src'], {
  tsPreCompilationDeps: true,
  tsConfig: { fileName: 'tsconfig.json' },
  doNotFollow: { path: 'node_modules' },
  ruleSet: { forbidden: [{ name: 'no-cycle', severity: 'error', from: {}, to: { circular: true } }] },
});

const problems = [];
const edges = new Map();
let dependencies = 0;
for (const module of output.modules) {
  if (!module.source.startsWith('src/')) continue;
  const from = folderOf(module.source);
  if (!layerOf.has(from)) problems.push(`${module.source}: folder "${from}" is in no layer of scripts/layers.mjs`);
  for (const dep of module.dependencies) {
    if (!dep.resolved.startsWith('src/')) continue;
    dependencies++;
    if (dep.circular) problems.push(`cycle: ${module.source} -> ${dep.resolved}`);
    const to = folderOf(dep.resolved);
    if (from === to) continue;
    edges.set(`${from} -> ${to}`, (edges.get(`${from} -> ${to}`) ?? 0) + 1);
    const [a, b] = [layerOf.get(from), layerOf.get(to)];
    if (a === undefined || b === undefined) continue;
    if (b > a) problems.push(`upward import: ${module.source} (${LAYERS[a].name}) -> ${dep.resolved} (${LAYERS[b].name})`);
  }
}

const modules = output.modules.filter((m) => m.source.startsWith('src/')).length;
console.log(`import graph of src/: ${modules} modules, ${dependencies} imports, ${edges.size} folder-to-folder edges`);
for (const [index, layer] of LAYERS.entries()) {
  const out = [...edges.keys()].filter((e) => layer.folders.includes(e.split(' -> ')[0])).map((e) => e.split(' -> ')[1]);
  console.log(
    `  ${index} ${layer.name} (${layer.folders.join(', ')})${out.length ? ` imports ${[...new Set(out)].sort().join(', ')}` : ''}`,
  );
}
if (problems.length) {
  console.error(`\n${problems.length} import problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('no cycle, no upward import');
