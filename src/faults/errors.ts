import { ApiError } from '../api/errors.js';

export const faultRuleNotFound = (id: string) => new ApiError(404, `fault rule '${id}' not found`);
