import { ApiError } from '../api/errors.js';

/** Errors shared by users and objects, worded as SuprSend words them. */

export const emptyEdit = () => new ApiError(400, 'Request body must not be empty: send {"operations": [ ... ]}');
