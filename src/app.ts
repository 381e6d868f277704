import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { unauthorized } from './api/errors.js';
import { ControllableClock, parseTimestamp } from './clock.js';
import type { AppConfig } from './config.js';
import { openDatabase, type Db } from './db/open.js';
import { bufferAllBodies } from './http/body.js';
import { installClientErrorHandling } from './http/clientError.js';
import { installErrorHandlers, sendError } from './http/errorHandler.js';
import { guardSuprsendApi } from './http/apiGuard.js';
import { methodNotAllowedFromRouteTable, rewriteUrl, servedRoutes } from './http/routing.js';
import { recordRequests } from './journal/hook.js';
import { EventService } from './events/service.js';
import { eventsRoutes } from './events/routes.js';
import { adminRoutes } from './admin/routes.js';
import { SnapshotService } from './admin/snapshotService.js';
import { healthRoutes } from './health/routes.js';
import { listsRoutes } from './lists/routes.js';
import { ListService } from './lists/service.js';
import { objectsRoutes } from './objects/routes.js';
import { ObjectService } from './objects/service.js';
import { preferencesRoutes } from './preferences/routes.js';
import { PreferenceService } from './preferences/service.js';
import { tenantsRoutes } from './tenants/routes.js';
import { TenantService } from './tenants/service.js';
import { UserService } from './users/service.js';
import { usersRoutes } from './users/routes.js';
import { UserTenantService } from './users/tenantProfiles.js';
import { userTenantRoutes } from './users/tenantRoutes.js';
import { FaultInjector } from './faults/faults.js';
import { randomIds, seededIds, type IdGenerator } from './ids.js';
import { RequestJournal, type JournalEntry } from './journal/journal.js';
import { WorkspaceRegistry, type Workspace } from './workspaces/registry.js';
import { WorkspaceService } from './workspaces/service.js';
import { VERSION } from './version.js';

/** What every domain plugin reaches through `app.emulator`. */
export interface Emulator {
  config: AppConfig;
  db: Db;
  clock: ControllableClock;
  ids: IdGenerator;
  workspaces: WorkspaceService;
  users: UserService;
  userTenants: UserTenantService;
  events: EventService;
  lists: ListService;
  objects: ObjectService;
  tenants: TenantService;
  preferences: PreferenceService;
  journal: RequestJournal;
  faults: FaultInjector;
  snapshots: SnapshotService;
}

declare module 'fastify' {
  interface FastifyInstance {
    emulator: Emulator;
  }
  interface FastifyRequest {
    /** Set by the auth hook on every SuprSend API route. */
    workspace: Workspace;
    authOutcome: JournalEntry['auth'];
    /** The message of the error answered, for the journal. */
    errorMessage: string | null;
  }
}

export interface AppDeps {
  clock?: ControllableClock;
  /** Where log lines go (tests capture them); defaults to stdout. */
  logStream?: NodeJS.WritableStream;
}

function loggerOptions(config: AppConfig, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    // Only method, path and id of a request are logged; headers and bodies never are.
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url, id: req.id }),
    },
    // A second line of defence (nothing logs headers or workspaces); fixed paths, as wildcards cost on every line.
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'workspace.secret', 'workspace.apiKeys'],
      censor: '[redacted]',
    },
  };
}

/** Builds the emulator's Fastify app. It opens its database but does not listen. */
export async function buildApp(config: AppConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const clock = deps.clock ?? new ControllableClock();
  if (config.clockStart) clock.freeze(parseTimestamp(config.clockStart)!);
  const ids = config.deterministicSeed ? seededIds(clock, config.deterministicSeed) : randomIds(clock);

  const app = Fastify({
    logger: loggerOptions(config, deps.logStream),
    // One line per request is logged by the onResponse hook below instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeoutMs,
    genReqId: () => ids.uuid(),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    // While closing, requests on open connections are still served (with Connection: close).
    return503OnClosing: false,
    // Errors the router raises before a route runs go through the one error handler.
    frameworkErrors: (err, request, reply) => sendError(err, request, reply),
    // Kept before any rewrite: signatures cover the request target as sent.
    rewriteUrl: rewriteUrl(config.plusAsSpace),
  }).withTypeProvider<ZodTypeProvider>();

  // Watches every route added from here on; the 405s are added after the last one.
  const answerMethodNotAllowed = methodNotAllowedFromRouteTable(app);
  const isServed = servedRoutes(app);
  installClientErrorHandling(app.server, app.log, config.requestTimeoutMs);
  app.setValidatorCompiler(validatorCompiler);
  if (config.validateResponses) app.setSerializerCompiler(serializerCompiler);
  else app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const db = openDatabase({ path: config.databasePath, durability: config.durability });
  const workspaces = new WorkspaceService(db, clock, ids, new WorkspaceRegistry(), app.log);
  workspaces.init(config.workspaces);
  const users = new UserService(db, clock);
  const lists = new ListService(db, clock, ids);
  const objects = new ObjectService(db, clock, users);
  users.addRelations(lists);
  users.addRelations(objects);
  const tenants = new TenantService(db, clock);
  const userTenants = new UserTenantService(db, clock, users, tenants);
  tenants.addRelations(userTenants);
  const preferences = new PreferenceService(db, clock, users, objects, tenants);
  const events = new EventService(db, clock, users, userTenants, ids, config.journalSize);
  const journal = new RequestJournal(config.journalSize, config.journalMaxBytes);
  const faults = new FaultInjector(ids);
  const snapshots = new SnapshotService(db, workspaces);
  if (config.seedPath) {
    try {
      snapshots.seedFrom(config.seedPath);
    } catch (err) {
      workspaces.close();
      db.$client.close();
      throw err;
    }
  }
  app.decorate('emulator', {
    config,
    db,
    clock,
    ids,
    workspaces,
    users,
    userTenants,
    events,
    lists,
    objects,
    tenants,
    preferences,
    journal,
    faults,
    snapshots,
  });
  app.decorateRequest('workspace', null as unknown as Workspace);
  app.decorateRequest('authOutcome', 'none');
  app.decorateRequest('errorMessage', null);
  app.addHook('onClose', async () => {
    workspaces.close();
    db.$client.close();
  });

  bufferAllBodies(app);
  installErrorHandlers(app);

  recordRequests(app, journal, clock);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SuprSend user-profile emulator',
        version: VERSION,
        description:
          "A local, stateful emulator of SuprSend's user-profile API. Authenticate with `Authorization: Bearer <api key>` or an SDK signature (`<workspace key>:<signature>`).",
      },
      components: {
        securitySchemes: {
          BearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'API_Key' },
          Signature: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: '`<workspace key>:<base64 HMAC-SHA256 signature>`, as the SuprSend server SDKs send it',
          },
          AdminToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'EMULATOR_ADMIN_TOKEN; only for the /_emulator/ control plane',
          },
        },
      },
      security: [{ BearerAuth: [] }, { Signature: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes);
  await app.register(adminRoutes);

  // The SuprSend API: every route authenticates, then its JSON body is parsed.
  await app.register(async (api) => {
    guardSuprsendApi(api, { registry: workspaces.registry, faults, faultHeader: config.faultHeader, isServed });
    // A fault delay is the one wait between authentication and the handler (handlers write synchronously):
    // a workspace dropped meanwhile must not get rows written under its old data key.
    api.addHook('preHandler', async (request) => {
      if (request.workspace && workspaces.registry.get(request.workspace.name) !== request.workspace) {
        throw unauthorized('Not Authenticated - could not find Workspace details');
      }
    });
    await api.register(usersRoutes);
    await api.register(userTenantRoutes);
    await api.register(eventsRoutes);
    await api.register(listsRoutes);
    await api.register(objectsRoutes);
    await api.register(tenantsRoutes);
    await api.register(preferencesRoutes);
  });

  // Last: every path now known, each answers 405 (with Allow) for the methods it does not serve.
  answerMethodNotAllowed();

  return app;
}
