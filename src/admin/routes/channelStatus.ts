import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userSchema } from '../../users/schemas.js';
import { BounceSimulator } from '../bounces.js';
import { channelStatusSchema } from '../schemas.js';
import { errors, security, tags } from './schemaParts.js';

/** Bounces and reactivations of a user's channel identities. */
export const channelStatusRoutes: FastifyPluginAsyncZod = async (app) => {
  const bounces = new BounceSimulator(app.emulator.workspaces, app.emulator.users);

  app.post(
    '/_emulator/channel-status',
    {
      schema: {
        tags,
        security,
        summary: 'Simulate a bounce (hard or soft) or reactivate an identity; the user API shows the result',
        body: channelStatusSchema,
        response: { 200: userSchema, ...errors },
      },
    },
    async (request) => bounces.simulate(request.body),
  );
};
