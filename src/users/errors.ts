import { ApiError } from '../api/errors.js';

/** Errors of the user API, worded as SuprSend words them (short form `{code, message}`). */

export const userNotFound = (distinctId: string) => new ApiError(404, `user [distinct_id: '${distinctId}'] not found`);

export const mergeSourceNotFound = (distinctId: string) => new ApiError(404, `from_user_id: [distinct_id: '${distinctId}'] not found`);

/** An unknown tenant on the tenant-scoped profile routes (SuprSend's user-tenant mapping docs: "tenant not found"). */
export const tenantNotFound = (tenantId: string) => new ApiError(404, `tenant not found: '${tenantId}'`);

export const tenantProfileNotFound = (distinctId: string, tenantId: string) =>
  new ApiError(404, `user [distinct_id: '${distinctId}'] has no profile in tenant '${tenantId}'`);

/** In a workspace whose user_tenancy_mode is `exclusive` (SuprSend's wording). */
export const userInOtherTenant = () => new ApiError(400, 'user is already associated with a different tenant');
