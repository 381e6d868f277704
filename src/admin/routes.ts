import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatTimestamp, inClockRange, parseTimestamp } from '../clock.js';
import { faultRuleInput, faultRuleSchema } from '../faults/faults.js';
import { parseJsonBody } from '../http/body.js';
import { badRequest } from '../api/errors.js';
import { faultRuleNotFound } from '../faults/errors.js';
import { errorSchema } from '../api/schemas.js';
import { userSchema } from '../users/schemas.js';
import type { Workspace } from '../workspaces/registry.js';
import { checkAdminToken } from './auth.js';
import { queryStoredJournal } from './journalQuery.js';
import { snapshotSchema } from './snapshot.js';
import {
  channelStatusSchema,
  clockActionSchema,
  clockStateSchema,
  journalQuerySchema,
  newWorkspaceSchema,
  workspaceNameParams,
  workspaceSchema,
} from './schemas.js';

const tags = ['emulator control plane'];
const security = [{ AdminToken: [] }];
const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 409: errorSchema };

function memoryMb() {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  return { rss: mb(m.rss), heap_used: mb(m.heapUsed), heap_total: mb(m.heapTotal), external: mb(m.external) };
}

const workspaceToWire = (ws: Workspace) => ({
  name: ws.name,
  key: ws.key,
  secret: ws.secret,
  api_keys: [...ws.apiKeys],
  inbox_secret: ws.inboxSecret,
  inbox: ws.inbox,
  origin: ws.origin,
});

/** `/_emulator/`: what testers get that the real service can't give. Guarded by the admin token. */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { workspaces, journal, faults, clock, users, config, snapshots } = app.emulator;

  app.addHook('onRequest', async (request) => checkAdminToken(request, config.adminToken));
  app.addHook('preValidation', async (request) => parseJsonBody(request));

  app.get(
    '/_emulator/workspaces',
    {
      schema: {
        tags,
        security,
        summary: 'List workspaces with their credentials',
        response: { 200: z.object({ workspaces: z.array(workspaceSchema) }), ...errors },
      },
    },
    async () => ({ workspaces: workspaces.list().map(workspaceToWire) }),
  );
  app.post(
    '/_emulator/workspaces',
    {
      schema: {
        tags,
        security,
        summary: 'Create a workspace (for one test suite, or one test)',
        body: newWorkspaceSchema,
        response: { 201: workspaceSchema, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      if (body.key === config.adminToken || body.api_keys?.includes(config.adminToken)) {
        throw badRequest('the admin token cannot be a workspace key or API key: it never opens the SuprSend API');
      }
      return reply.code(201).send(workspaceToWire(workspaces.create(body)));
    },
  );
  app.get(
    '/_emulator/workspaces/:name',
    { schema: { tags, security, summary: 'One workspace', params: workspaceNameParams, response: { 200: workspaceSchema, ...errors } } },
    async (request) => workspaceToWire(workspaces.get(request.params.name)),
  );
  app.delete(
    '/_emulator/workspaces/:name',
    {
      schema: {
        tags,
        security,
        summary: 'Drop a workspace created at run time, with its data',
        params: workspaceNameParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      workspaces.drop(request.params.name);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/_emulator/workspaces/:name/reset',
    {
      schema: {
        tags,
        security,
        summary: "Delete one workspace's data (instant at any size)",
        params: workspaceNameParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      workspaces.reset(request.params.name);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/_emulator/reset',
    { schema: { tags, security, summary: 'Delete the data of every workspace (workspaces stay)', response: { 204: z.null(), ...errors } } },
    async (_request, reply) => {
      workspaces.resetAll();
      journal.clear();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/_emulator/snapshot',
    {
      schema: {
        tags,
        security,
        summary: 'Export every workspace (or one) as one JSON document',
        querystring: z.object({ workspace: z.string().optional() }),
        response: { 200: snapshotSchema, ...errors },
      },
    },
    async (request) => snapshots.export(request.query.workspace),
  );
  app.post(
    '/_emulator/snapshot',
    {
      bodyLimit: Math.max(config.bodyLimit, 512 * 1024 * 1024),
      schema: {
        tags,
        security,
        summary: 'Import a snapshot: each workspace in it is replaced (and created if missing)',
        body: z.unknown().describe('A document from GET /_emulator/snapshot'),
        response: {
          200: z.object({
            imported: z.array(
              z.object({ name: z.string(), users: z.number(), lists: z.number(), objects: z.number(), subscriptions: z.number() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({ imported: snapshots.import(request.body) }),
  );

  app.get(
    '/_emulator/journal',
    {
      schema: {
        tags,
        security,
        summary: 'What the app sent: API requests, stored track events, rejected /event/ records; newest first',
        querystring: journalQuerySchema,
        response: { 200: z.object({ kind: z.string(), entries: z.array(z.record(z.string(), z.unknown())) }), ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const sinceMicros = q.since === undefined ? undefined : parseTimestamp(q.since);
      if (sinceMicros === null) throw badRequest('since: must be an ISO-8601 time such as 2025-01-01T00:00:00Z');
      if (q.workspace !== undefined) workspaces.get(q.workspace);
      if (q.kind === 'requests') {
        return { kind: q.kind, entries: journal.query({ ...q, sinceMicros }) };
      }
      return { kind: q.kind, entries: queryStoredJournal(app.emulator.db, workspaces.registry, q.kind, { ...q, sinceMicros }) };
    },
  );
  app.delete(
    '/_emulator/journal',
    {
      schema: {
        tags,
        security,
        summary: 'Clear the journal (requests, track events and rejected records)',
        response: { 204: z.null(), ...errors },
      },
    },
    async (_request, reply) => {
      journal.clear();
      app.emulator.events.clearStored();
      return reply.code(204).send(null);
    },
  );

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
    async (request) => {
      const b = request.body;
      const ws = workspaces.get(b.workspace);
      const [status, perma] =
        b.outcome === 'hard_bounce'
          ? (['inactive', 'disabled'] as const)
          : b.outcome === 'reactivate'
            ? (['active', 'active'] as const)
            : (['inactive', null] as const);
      return users.setChannelStatus(ws, b.distinct_id, b.channel, b.value as never, status, perma);
    },
  );

  const faultSchema = faultRuleSchema;
  app.get(
    '/_emulator/faults',
    {
      schema: { tags, security, summary: 'Fault rules in force', response: { 200: z.object({ faults: z.array(faultSchema) }), ...errors } },
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
        response: { 201: faultSchema, ...errors },
      },
    },
    async (request, reply) => {
      if (request.body.workspace !== undefined) workspaces.get(request.body.workspace);
      return reply.code(201).send(faults.add(request.body));
    },
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
      if (!faults.remove(request.params.id)) throw faultRuleNotFound(request.params.id);
      return reply.code(204).send(null);
    },
  );

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
    async (request) => {
      const b = request.body;
      const inRange = (micros: number, field: string) => {
        if (!inClockRange(micros)) throw badRequest(`${field}: the clock must stay between 1970-01-01 and 9999-01-01`);
        return micros;
      };
      const at = (text: string | undefined) => {
        if (text === undefined) return undefined;
        const micros = parseTimestamp(text);
        if (micros === null) throw badRequest('at: must be an ISO-8601 time such as 2025-01-01T00:00:00Z');
        return inRange(micros, 'at');
      };
      if (b.action === 'freeze') clock.freeze(at(b.at));
      else if (b.action === 'resume') clock.resume();
      else if (b.action === 'set') clock.set(at(b.at)!);
      else clock.set(inRange(clock.nowMicros() + b.ms * 1000, 'ms'));
      return clock.state();
    },
  );

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
    async () => ({
      now: formatTimestamp(clock.nowMicros()),
      workspaces: workspaces.list().length,
      pending_deletions: workspaces.pendingGc(),
      fault_rules: faults.list().length,
      memory_mb: memoryMb(),
      journal: journal.stats(),
    }),
  );
};
