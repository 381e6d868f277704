import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import type { UserRelations, UserService } from '../users/service.js';

/** Objects, their identities and subscriptions. */
export class ObjectService implements UserRelations {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly users: UserService,
  ) {}

  userDeleted(_workspace: string, _distinctId: string): void {}

  usersMerged(_workspace: string, _primary: string, _secondary: string): void {}
}
