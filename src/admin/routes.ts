import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
// Zod registers schemas that have an id as their modules load, and the OpenAPI
// document lists its components in that order; these two load first so the
// committed document stays as it was (users' schemas, then the snapshot's, then ours).
import '../users/schemas.js';
import './snapshot.js';
import { parseJsonBody } from '../http/body.js';
import { ApiError } from '../api/errors.js';
import { checkAdminToken } from './auth.js';
import { controlPlaneRefusal } from './exposure.js';
import { channelStatusRoutes } from './routes/channelStatus.js';
import { clockRoutes } from './routes/clock.js';
import { faultRoutes } from './routes/faults.js';
import { journalRoutes } from './routes/journal.js';
import { preferenceCategoryRoutes } from './routes/preferenceCategories.js';
import { resetRoutes } from './routes/reset.js';
import { snapshotRoutes } from './routes/snapshot.js';
import { statusRoutes } from './routes/status.js';
import { workspaceRoutes } from './routes/workspaces.js';

/** `/_emulator/`: what testers get that the real service can't give. Guarded by the admin token. */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { adminToken } = app.emulator.config;
  // Exposed beyond loopback with the public dev token: every route answers 403 saying why.
  const refusal = controlPlaneRefusal(app.emulator.config);
  app.addHook('onRequest', async (request) => {
    if (refusal !== undefined) throw new ApiError(403, refusal);
    checkAdminToken(request, adminToken);
  });
  app.addHook('preValidation', async (request) => parseJsonBody(request));

  // The OpenAPI document lists paths in registration order.
  await app.register(workspaceRoutes);
  await app.register(preferenceCategoryRoutes);
  await app.register(resetRoutes);
  await app.register(snapshotRoutes);
  await app.register(journalRoutes);
  await app.register(channelStatusRoutes);
  await app.register(faultRoutes);
  await app.register(clockRoutes);
  await app.register(statusRoutes);
};
