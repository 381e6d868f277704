import { z } from 'zod';
import { wholeNumberParam } from '../api/schemas.js';
import { channelArrays } from './schemas.js';

export const tenantUserParams = z.object({
  distinct_id: z.string().describe('Unique identifier of the user (percent-encoded in the path)'),
  tenant_id: z.string().describe('The tenant the profile belongs to'),
});

/** A user as seen in a tenant: the tenant-scoped keys win over the global profile's, key by key. */
export const tenantUserSchema = z
  .looseObject({
    distinct_id: z.string(),
    tenant_id: z.string(),
    properties: z.record(z.string(), z.unknown()).describe('The global properties with the tenant-scoped ones over them'),
    created_at: z.string().describe("The user's creation"),
    updated_at: z.string().describe('The later of the global and the tenant-scoped profile changes'),
    ...channelArrays,
  })
  .meta({ id: 'TenantUser' });

/** One of a user's tenant-scoped profiles, alone. */
const tenantProfileSchema = z
  .looseObject({
    tenant_id: z.string(),
    properties: z.record(z.string(), z.unknown()).describe('Only the tenant-scoped properties'),
    created_at: z.string(),
    updated_at: z.string(),
    ...channelArrays,
  })
  .meta({ id: 'UserTenantProfile' });

export const userTenantListSchema = z
  .object({
    meta: z.object({ count: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
    results: z.array(tenantProfileSchema),
  })
  .meta({ id: 'UserTenantList' });

export const DEFAULT_USER_TENANT_PAGE_SIZE = 20;

export const userTenantQuerySchema = z.looseObject({
  limit: wholeNumberParam('limit', 1, 1000).optional().describe(`Page size, 1 to 1000 (default ${DEFAULT_USER_TENANT_PAGE_SIZE})`),
  offset: wholeNumberParam('offset', 0, Number.MAX_SAFE_INTEGER).optional().describe('How many to skip (default 0)'),
});
