import { faultRuleNotFound } from '../faults/errors.js';
import type { FaultInjector, FaultRule, FaultRuleInput } from '../faults/faults.js';
import type { WorkspaceService } from '../workspaces/service.js';

/** Adding and removing fault rules from the control plane, with the checks the schema cannot make. */
export class FaultControl {
  constructor(
    private readonly faults: FaultInjector,
    private readonly workspaces: WorkspaceService,
  ) {}

  /** A rule naming a workspace is refused when the workspace does not exist. */
  add(input: FaultRuleInput): FaultRule {
    if (input.workspace !== undefined) this.workspaces.get(input.workspace);
    return this.faults.add(input);
  }

  remove(id: string): void {
    if (!this.faults.remove(id)) throw faultRuleNotFound(id);
  }
}
