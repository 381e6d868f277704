import { ApiError } from '../api/errors.js';

/** Errors of the user API, worded as SuprSend words them (short form `{code, message}`). */

export const userNotFound = (distinctId: string) => new ApiError(404, `user [distinct_id: '${distinctId}'] not found`);

export const mergeSourceNotFound = (distinctId: string) => new ApiError(404, `from_user_id: [distinct_id: '${distinctId}'] not found`);
