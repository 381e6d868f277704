import { type ControllableClock, formatTimestamp } from '../clock.js';
import type { FaultInjector } from '../faults/faults.js';
import type { RequestJournal } from '../journal/journal.js';
import type { WorkspaceService } from '../workspaces/service.js';

/** What `/_emulator/status` reports: time, counts and the process's memory. */
export class StatusReport {
  constructor(
    private readonly clock: ControllableClock,
    private readonly workspaces: WorkspaceService,
    private readonly faults: FaultInjector,
    private readonly journal: RequestJournal,
  ) {}

  current() {
    return {
      now: formatTimestamp(this.clock.nowMicros()),
      workspaces: this.workspaces.list().length,
      pending_deletions: this.workspaces.pendingGc(),
      fault_rules: this.faults.list().length,
      memory_mb: memoryMb(),
      journal: this.journal.stats(),
    };
  }
}

function memoryMb() {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  return { rss: mb(m.rss), heap_used: mb(m.heapUsed), heap_total: mb(m.heapTotal), external: mb(m.external) };
}
