import { ApiError } from '../api/errors.js';

/** Errors of the object API, worded as SuprSend words them (short form `{code, message}`). */

export const objectNotFound = (objectType: string, objectId: string) => new ApiError(404, `object '${objectType}/${objectId}' not found`);

/** The one listing whose 404 capitalises "User" upstream. */
export const subscribedUserNotFound = (distinctId: string) => new ApiError(404, `User [distinct_id: '${distinctId}'] not found`);

/** A snapshot's subscription names an object the snapshot does not hold. */
export const snapshotObjectMissing = (where: string, objectType: string, objectId: string) =>
  new ApiError(400, `not a valid snapshot: ${where}: object '${objectType}/${objectId}' is not in the snapshot's objects`);
