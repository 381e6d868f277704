import type { z } from 'zod';
import type { IdentityStatus, PermaStatus } from '../engine/types.js';
import type { UserService } from '../users/service.js';
import type { UserWire } from '../users/wire.js';
import type { WorkspaceService } from '../workspaces/service.js';
import type { channelStatusSchema } from './schemas.js';

type ChannelStatusRequest = z.output<typeof channelStatusSchema>;

/** Identity status and perma_status after each outcome; a null perma_status is left as it is. */
const STATUSES: Record<ChannelStatusRequest['outcome'], readonly [IdentityStatus, PermaStatus | null]> = {
  hard_bounce: ['inactive', 'disabled'],
  soft_bounce: ['inactive', null],
  inactive: ['inactive', null],
  reactivate: ['active', 'active'],
};

/** What a delivery provider would report about an identity (a bounce, or a reactivation), applied to the user. */
export class BounceSimulator {
  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly users: UserService,
  ) {}

  simulate(r: ChannelStatusRequest): UserWire {
    const [status, permaStatus] = STATUSES[r.outcome];
    return this.users.setChannelStatus(this.workspaces.get(r.workspace), r.distinct_id, r.channel, r.value, status, permaStatus);
  }
}
