import { z } from 'zod';
import { preferenceCatalogSchema } from '../api/preferenceCatalog.js';
import { workspaceNameSchema } from '../config.js';
import { CHANNELS } from '../engine/types.js';

export const workspaceSchema = z
  .object({
    name: z.string(),
    key: z.string().describe('Workspace key: the SDKs send it with the signature'),
    secret: z.string().describe('Workspace secret: the SDKs sign with it'),
    api_keys: z.array(z.string()).describe('Bearer API keys'),
    inbox_secret: z.string(),
    inbox: z.boolean().describe('Whether new users get an $inbox identity'),
    user_tenancy_mode: z
      .enum(['shared', 'exclusive'])
      .describe('shared: a user may have profiles in many tenants; exclusive: in one at most'),
    origin: z.enum(['config', 'runtime']),
  })
  .meta({ id: 'EmulatorWorkspace' });

export const newWorkspaceSchema = z
  .object({
    name: workspaceNameSchema.optional(),
    key: z.string().min(20, 'key must be at least 20 characters (the Node SDK refuses shorter ones)').optional(),
    secret: z.string().min(1).optional(),
    api_keys: z.array(z.string().min(8)).optional(),
    inbox_secret: z.string().min(1).optional(),
    inbox: z.boolean().optional(),
    user_tenancy_mode: z.enum(['shared', 'exclusive']).optional().describe('Default: shared'),
    preference_categories: preferenceCatalogSchema.optional().describe('Notification categories and channels (default: none)'),
  })
  .nullish()
  .describe('Anything left out is generated');

export const workspaceNameParams = z.object({ name: z.string() });

export const journalQuerySchema = z.object({
  kind: z
    .enum(['requests', 'events', 'failures'])
    .default('requests')
    .describe(
      'requests: API requests; events: stored track events (with tenant_id, brand_id, idempotency_key, message_id, and user_exists: ' +
        'whether the distinct_id had a profile when the event came — upstream discards events of unknown users); ' +
        'failures: rejected records of /event/, /v2/event/ and /v2/bulk/event/',
    ),
  workspace: z.string().optional(),
  distinct_id: z.string().optional(),
  path: z.string().optional().describe('Substring of the path, or a prefix when it ends with "*" (requests only)'),
  status: z.coerce.number().int().optional().describe('HTTP status (requests only)'),
  since: z.string().optional().describe('ISO-8601 time: entries at or after it'),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});

export const channelStatusSchema = z.object({
  workspace: z.string().default('default'),
  distinct_id: z.string().min(1),
  channel: z.enum(CHANNELS),
  value: z.union([z.string(), z.record(z.string(), z.any())]).describe('The identity value; objects compare structurally'),
  outcome: z
    .enum(['hard_bounce', 'soft_bounce', 'inactive', 'reactivate'])
    .describe('hard_bounce: inactive + perma_status disabled; soft_bounce/inactive: inactive; reactivate: active + active'),
});

export const clockActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('freeze'), at: z.string().optional().describe('ISO-8601; default now') }),
  z.object({ action: z.literal('resume') }).describe('Run again from the frozen instant'),
  z.object({ action: z.literal('real') }).describe("Back to the machine's wall clock: running, no offset"),
  z.object({ action: z.literal('set'), at: z.string().describe('ISO-8601') }),
  z.object({ action: z.literal('advance'), ms: z.number().int().describe('Milliseconds; negative goes back') }),
]);

export const clockStateSchema = z.object({
  mode: z.enum(['running', 'frozen']),
  now: z.string(),
  offset_us: z.number(),
});
