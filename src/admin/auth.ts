import type { FastifyRequest } from 'fastify';
import { unauthorized } from '../api/errors.js';
import { safeEqual } from '../http/signature.js';

/**
 * The control plane's only credential: `Authorization: Bearer <admin token>`.
 * SuprSend credentials never open it, and the API never accepts this token.
 */
export function checkAdminToken(request: FastifyRequest, adminToken: string): void {
  const header = request.headers.authorization?.trim() ?? '';
  const m = /^bearer\s+(.+)$/i.exec(header);
  if (!m) {
    throw unauthorized('Not Authenticated - the control plane needs "Authorization: Bearer <EMULATOR_ADMIN_TOKEN>"');
  }
  if (!safeEqual(m[1]!.trim(), adminToken)) throw unauthorized('Not Authenticated - wrong admin token');
}
