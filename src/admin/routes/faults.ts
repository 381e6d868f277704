import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { faultRuleInput, faultRuleSchema } from '../../faults/faults.js';
import { FaultControl } from '../faultControl.js';
import { errors, security, tags } from './schemaParts.js';

/** Fault rules: chosen statuses and delays for matching API requests. */
export const faultRoutes: FastifyPluginAsyncZod = async (app) => {
  const { faults, workspaces } = app.emulator;
  const control = new FaultControl(faults, workspaces);

  app.get(
    '/_emulator/faults',
    {
      schema: {
        tags,
        security,
        summary: 'Fault rules in force',
        response: { 200: z.object({ faults: z.array(faultRuleSchema) }), ...errors },
      },
    },
    async () => ({ faults: faults.list() }),
  );
  app.post(
    '/_emulator/faults',
    {
      schema: {
        tags,
        security,
        summary: 'Add a fault rule: matching API requests answer a chosen status and/or wait',
        body: faultRuleInput,
        response: { 201: faultRuleSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(control.add(request.body)),
  );
  app.delete(
    '/_emulator/faults',
    { schema: { tags, security, summary: 'Remove every fault rule', response: { 204: z.null(), ...errors } } },
    async (_request, reply) => {
      faults.clear();
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/_emulator/faults/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Remove one fault rule',
        params: z.object({ id: z.string() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      control.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
