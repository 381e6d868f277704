import { ApiError, fieldDetailError } from '../api/errors.js';

/** Errors of the preference API, worded as SuprSend words them (short form `{code, message}`, 400s with `detail`). */

export const categoryNotFound = (category: string) => new ApiError(404, `category '${category}' not found`);

/** An unknown `tenant_id` on a user/object preference route or a bulk route. */
export const tenantNotFound = (tenantId: string) => new ApiError(404, `tenant '${tenantId}' not found`);

/** The tenant preference category routes say both in one message. */
export const tenantOrCategoryNotFound = (tenantId: string, category: string) =>
  new ApiError(404, `tenant '${tenantId}' not found or category '${category}' not found`);

/** SuprSend's 400 for a channel name it does not know: its list, missing comma included. */
export const CHANNEL_PROBLEM =
  'must be one of ["sms", "email", "androidpush" "iospush", "webpush", "inbox", "whatsapp", "slack", "ms_teams"]';

export const badField = (path: string, problem: string) => fieldDetailError({ [path]: problem });
