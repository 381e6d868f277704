import { errorSchema } from '../../api/schemas.js';

/** What every control-plane route's schema shares. */
export const tags = ['emulator control plane'];
export const security = [{ AdminToken: [] }];
export const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 409: errorSchema };
