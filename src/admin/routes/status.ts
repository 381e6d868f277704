import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { StatusReport } from '../statusReport.js';
import { errors, security, tags } from './schemaParts.js';

/** Time, counts and memory, for a glance at the running emulator. */
export const statusRoutes: FastifyPluginAsyncZod = async (app) => {
  const { clock, workspaces, faults, journal } = app.emulator;
  const report = new StatusReport(clock, workspaces, faults, journal);

  app.get(
    '/_emulator/status',
    {
      schema: {
        tags,
        security,
        summary: 'Emulator status',
        response: {
          200: z.object({
            now: z.string(),
            workspaces: z.number(),
            pending_deletions: z.number(),
            fault_rules: z.number(),
            memory_mb: z.object({ rss: z.number(), heap_used: z.number(), heap_total: z.number(), external: z.number() }),
            journal: z
              .object({ entries: z.number(), bytes: z.number(), max_bytes: z.number() })
              .describe('The request journal: entries held and the bytes they count for, against JOURNAL_MAX_BYTES'),
          }),
          ...errors,
        },
      },
    },
    async () => report.current(),
  );
};
