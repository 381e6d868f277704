// Starting and stopping servers for the benchmark, as a user would: a child
// process, on one core when taskset exists.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const HAS_TASKSET = spawnSync('taskset', ['--version']).status === 0;

export interface Server {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the first successful /healthz (emulator) or / (baseline). */
  readyMs: number;
  stop(): Promise<void>;
  rssMb(): number;
}

/** Spawns `node <args>` pinned to `core`, waits for its listening line and a first answer on `readyPath`. */
export async function startServer(args: string[], env: Record<string, string>, readyPath: string, core = 0): Promise<Server> {
  const started = performance.now();
  const cmd = HAS_TASKSET ? 'taskset' : process.execPath;
  const argv = HAS_TASKSET ? ['-c', String(core), process.execPath, ...args] : args;
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s: ${stderr}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        // From now on the log lines are only drained, never kept or scanned.
        child.stdout!.off('data', onData);
        child.stdout!.on('data', () => {});
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  for (;;) {
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const readyMs = performance.now() - started;
  return {
    child,
    url,
    readyMs,
    rssMb: () => rssOf(child.pid!),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process (and, behind taskset, of its node child) in MB. */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return NaN;
  }
}
