import type { z } from 'zod';
import { badRequest } from '../api/errors.js';
import type { Workspace } from '../workspaces/registry.js';
import type { NewWorkspace, WorkspaceService } from '../workspaces/service.js';
import type { workspaceSchema } from './schemas.js';

type WorkspaceWire = z.output<typeof workspaceSchema>;

/** Workspaces as the control plane shows them: with their credentials. */
export class WorkspaceControl {
  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly adminToken: string,
  ) {}

  list(): WorkspaceWire[] {
    return this.workspaces.list().map(workspaceToWire);
  }

  get(name: string): WorkspaceWire {
    return workspaceToWire(this.workspaces.get(name));
  }

  create(input: NewWorkspace | null | undefined): WorkspaceWire {
    const body = input ?? {};
    if (body.key === this.adminToken || body.api_keys?.includes(this.adminToken)) {
      throw badRequest('the admin token cannot be a workspace key or API key: it never opens the SuprSend API');
    }
    return workspaceToWire(this.workspaces.create(body));
  }
}

function workspaceToWire(ws: Workspace): WorkspaceWire {
  return {
    name: ws.name,
    key: ws.key,
    secret: ws.secret,
    api_keys: [...ws.apiKeys],
    inbox_secret: ws.inboxSecret,
    inbox: ws.inbox,
    user_tenancy_mode: ws.userTenancyMode,
    origin: ws.origin,
  };
}
