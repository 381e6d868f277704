#!/usr/bin/env node
// Runs the tap suite and ends the output with "N passed, N failed", counting
// every assertion (subtest summaries are not counted twice).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Parser } from 'tap-parser';

const tapBin = fileURLToPath(new URL('../node_modules/tap/dist/esm/run.mjs', import.meta.url));
const child = spawn(process.execPath, [tapBin, '--reporter=tap', ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
});

let passed = 0;
let failed = 0;
const failures = [];
const parser = new Parser();
(function count(p) {
  p.on('child', count);
  p.on('assert', (r) => {
    if (r.closingTestPoint || r.skip || r.todo) return;
    if (r.ok) passed++;
    else {
      failed++;
      failures.push(r.fullname || r.name);
    }
  });
})(parser);

child.stdout.pipe(process.stdout);
child.stdout.pipe(parser);
child.on('close', (code) => {
  parser.end();
  if (failures.length) process.stdout.write(`\nfailed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
