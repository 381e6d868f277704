import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ClockControl } from '../clockControl.js';
import { clockActionSchema, clockStateSchema } from '../schemas.js';
import { errors, security, tags } from './schemaParts.js';

/** The emulator clock, for tests that need time to stand still or jump. */
export const clockRoutes: FastifyPluginAsyncZod = async (app) => {
  const { clock } = app.emulator;
  const control = new ClockControl(clock);

  app.get(
    '/_emulator/clock',
    { schema: { tags, security, summary: 'The emulator clock', response: { 200: clockStateSchema, ...errors } } },
    async () => clock.state(),
  );
  app.post(
    '/_emulator/clock',
    {
      schema: {
        tags,
        security,
        summary: 'Freeze, resume, set or advance the clock used for created_at, updated_at and the journal',
        body: clockActionSchema,
        response: { 200: clockStateSchema, ...errors },
      },
    },
    async (request) => control.apply(request.body),
  );
};
