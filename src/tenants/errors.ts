import { ApiError } from '../api/errors.js';
import { fieldErrors } from '../lists/errors.js';

/**
 * Errors of the tenant (and brand) API, in SuprSend's long form
 * (`{code, error_code, type, message, detail}`).
 */

/** Which words a route uses: `/v1/tenant/` (tenant_id, tenant_name) or `/v1/brand/` (brand_id, brand_name). */
export type Naming = 'tenant' | 'brand';

/** Upstream's 404: `No tenant found for tenant_id acme` (on brand routes: `No brand found for brand_id acme`). */
export const tenantNotFound = (naming: Naming, id: string) =>
  new ApiError(404, `No ${naming} found for ${naming}_id ${id}`, { form: 'long' });

/** A 400 naming one field (`tenant_id`, `tenant_name`, … or their brand names) and its message. */
export const fieldError = (field: string, message: string) => fieldErrors({ [field]: [message] });

/** Every workspace keeps its `default` tenant. */
export const defaultNotDeletable = (naming: Naming) => new ApiError(400, `The default ${naming} cannot be deleted`, { form: 'long' });
