import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import type { UserRelations } from '../users/service.js';

/** Subscriber lists, their members and draft versions. */
export class ListService implements UserRelations {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  userDeleted(_workspace: string, _distinctId: string): void {}

  usersMerged(_workspace: string, _primary: string, _secondary: string): void {}
}
