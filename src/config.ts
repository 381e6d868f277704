import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { catalogIssues, preferenceCatalogSchema } from './api/preferenceCatalog.js';
import { inClockRange, parseTimestamp } from './clock.js';

/**
 * Settings. Each one is read from an environment variable and can be given as
 * a CLI flag of the same name in kebab case (`PORT` ↔ `--port`). Flags win.
 */

/** Dev credentials used when none are configured. Documented in the README; never use them outside a laptop. */
export const DEV_WORKSPACE = {
  name: 'default',
  key: 'dev_workspace_key_0123456789',
  secret: 'dev_workspace_secret_0123456789',
  apiKey: 'dev_api_key_0123456789',
  inboxSecret: 'dev_inbox_secret_0123456789',
} as const;

/** Admin token of the control plane (`/_emulator/`) when EMULATOR_ADMIN_TOKEN is not set. */
export const DEV_ADMIN_TOKEN = 'dev_admin_token_0123456789';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const workspaceNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'name must be 1-64 letters, digits, "_" or "-"');

export const workspaceConfigSchema = z.object({
  name: workspaceNameSchema,
  key: z.string().min(20, 'key must be at least 20 characters (the Node SDK refuses shorter ones)'),
  secret: z.string().min(1),
  api_keys: z.array(z.string().min(1)).default([]),
  inbox_secret: z.string().min(1).optional(),
  /** Whether new users get an `$inbox` identity. */
  inbox: z.boolean().default(true),
  /**
   * SuprSend's workspace setting for tenant-scoped user profiles: `shared` (a
   * user may have profiles in many tenants; the default here) or `exclusive`
   * (in one tenant at most).
   */
  user_tenancy_mode: z.enum(['shared', 'exclusive']).optional(),
  /** The workspace's notification categories and channels (the management API's document; see the README). */
  preference_categories: preferenceCatalogSchema.optional(),
});
export type WorkspaceConfig = z.infer<typeof workspaceConfigSchema>;

const workspacesFileSchema = z.object({ workspaces: z.array(workspaceConfigSchema).min(1) });

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The raw settings, as strings from the environment or flags. */
const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('./data/suprsend-emulator.db'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SUPRSEND_WORKSPACE_KEY: z.string().min(20, 'must be at least 20 characters (the Node SDK refuses shorter ones)').optional(),
  SUPRSEND_WORKSPACE_SECRET: z.string().min(1).optional(),
  SUPRSEND_API_KEY: z.string().min(1).optional(),
  SUPRSEND_INBOX_SECRET: z.string().min(1).optional(),
  WORKSPACES_FILE: z.string().min(1).optional(),
  PREFERENCE_CATEGORIES_FILE: z.string().min(1).optional(),
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  DURABILITY: z.enum(['normal', 'full']).default('normal'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(1024),
  PLUS_AS_SPACE: bool.default(false),
  EMULATOR_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SEED_PATH: z.string().min(1).optional(),
  JOURNAL_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  JOURNAL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .default(32 * 1024 * 1024),
  FAULT_HEADER: bool.default(false),
  DETERMINISTIC_SEED: z.string().min(1).optional(),
  CLOCK_START: z
    .string()
    .refine((v) => {
      const micros = parseTimestamp(v);
      return micros !== null && inClockRange(micros);
    }, 'must be an ISO-8601 time from 1970 to 2254, such as 2025-01-01T00:00:00Z')
    .optional(),
});
export type Settings = z.infer<typeof settingsSchema>;
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as (keyof Settings)[];

/** What --help says about a setting, and what a valid value is (a bad value's error names it). */
interface SettingHelp {
  meaning: string;
  default: string;
  /** Completes "NAME must be …". */
  expects: string;
  /** Never echo the value back (credentials). */
  secret?: boolean;
}

/** Every setting's meaning and default: `--help` prints these, and the README's Configuration table says the same. */
export const SETTING_HELP: Record<keyof Settings, SettingHelp> = {
  PORT: { meaning: 'Port to listen on; 0 picks a free one.', default: '8080', expects: 'an integer 0–65535' },
  HOST: { meaning: 'Interface to listen on (0.0.0.0 for every interface).', default: '127.0.0.1', expects: 'a host name or address' },
  DATABASE_PATH: {
    meaning: 'SQLite file (created with its folder), or :memory:.',
    default: './data/suprsend-emulator.db',
    expects: 'a file path or :memory:',
  },
  LOG_LEVEL: { meaning: 'Log level of the JSON log lines.', default: 'info', expects: `one of ${LOG_LEVELS.join(', ')}` },
  SUPRSEND_WORKSPACE_KEY: {
    meaning: 'Key of the default workspace; set it together with the secret.',
    default: DEV_WORKSPACE.key,
    expects: 'at least 20 characters (the Node SDK refuses shorter ones)',
  },
  SUPRSEND_WORKSPACE_SECRET: {
    meaning: 'Secret the SDKs sign with.',
    default: DEV_WORKSPACE.secret,
    expects: 'a non-empty string',
    secret: true,
  },
  SUPRSEND_API_KEY: {
    meaning: 'Bearer API key of the default workspace.',
    default: `${DEV_WORKSPACE.apiKey} (only with the dev workspace key)`,
    expects: 'a non-empty string',
    secret: true,
  },
  SUPRSEND_INBOX_SECRET: {
    meaning: 'Secret behind generated $inbox identities.',
    default: 'the workspace secret',
    expects: 'a non-empty string',
    secret: true,
  },
  WORKSPACES_FILE: { meaning: 'JSON file with more workspaces (see the README).', default: 'none', expects: 'a file path' },
  PREFERENCE_CATEGORIES_FILE: {
    meaning: "JSON file with the default workspace's notification categories (the management API's document; see the README).",
    default: 'none',
    expects: 'a file path',
  },
  MAX_CONNECTIONS: {
    meaning: 'Connections open at once; more are closed as they arrive.',
    default: '1024',
    expects: 'an integer of at least 1',
  },
  BODY_LIMIT: {
    meaning: 'Largest request body in bytes; larger ones get 413 without being read.',
    default: '4194304 (4 MiB)',
    expects: 'an integer of at least 1024 (bytes)',
  },
  DURABILITY: {
    meaning: 'normal: a killed process loses nothing acknowledged; full: a power cut neither (slower writes).',
    default: 'normal',
    expects: 'normal or full',
  },
  REQUEST_TIMEOUT_MS: {
    meaning: 'A request that takes longer to arrive is answered 408 and closed; 0 disables.',
    default: '30000',
    expects: 'an integer of at least 0 (milliseconds)',
  },
  PLUS_AS_SPACE: {
    meaning: 'Decode a literal + in a path segment as a space (Java SDK, Python SDK <= 0.19.6).',
    default: 'false',
    expects: 'true, false, 1, 0, yes or no',
  },
  EMULATOR_ADMIN_TOKEN: {
    meaning: 'Bearer token of the control plane (/_emulator/); must differ from every SuprSend credential.',
    default: DEV_ADMIN_TOKEN,
    expects: 'at least 16 characters',
    secret: true,
  },
  SEED_PATH: { meaning: 'Snapshot file imported before the server listens.', default: 'none', expects: 'a file path' },
  JOURNAL_SIZE: {
    meaning: 'How many API requests the journal keeps (and track events, rejected records); 0 turns it off.',
    default: '10000',
    expects: 'an integer 0–1000000',
  },
  JOURNAL_MAX_BYTES: {
    meaning: 'Most bytes the request journal holds; the oldest entries go first. Bodies over 16 KiB are kept as a redacted prefix.',
    default: '33554432 (32 MiB)',
    expects: 'an integer of at least 1048576 (bytes)',
  },
  FAULT_HEADER: { meaning: 'Honour the X-Emulator-Fault request header.', default: 'false', expects: 'true, false, 1, 0, yes or no' },
  DETERMINISTIC_SEED: {
    meaning: 'Generated ids (request ids, credentials, list versions, fault dice) repeat exactly from run to run.',
    default: 'none',
    expects: 'a non-empty string',
  },
  CLOCK_START: {
    meaning: 'Start with the clock frozen at this time.',
    default: 'none (the real clock)',
    expects: 'an ISO-8601 time from 1970 to 9998, such as 2025-01-01T00:00:00Z',
  },
};

/** The text of `--help`. */
export function helpText(version: string): string {
  const aliases = Object.entries(FLAG_ALIASES).map(([short, name]) => [name, flagName(short)] as const);
  const settings = SETTING_NAMES.map((name) => {
    const h = SETTING_HELP[name];
    const flags = [flagName(name), ...aliases.filter(([n]) => n === name).map(([, f]) => f)].join(', ');
    return `  ${name} (${flags})
      ${h.meaning}
      Default: ${h.default}`;
  });
  return (
    `suprsend-emulator ${version}: a local, stateful emulator of SuprSend's user-profile API.\n\n` +
    'Usage: suprsend-emulator [--flag value ...]    (from a clone: npm start -- --flag value)\n' +
    '       suprsend-emulator --help | --version\n\n' +
    'Every setting is an environment variable, or a flag of the same name in kebab case (PORT <-> --port; flags win):\n\n' +
    `${settings.join('\n')}\n`
  );
}

/** "PORT must be an integer 0–65535, got "abc"": the setting, what it takes and what it was given. */
function badValue(name: keyof Settings, value: string | undefined): string {
  const h = SETTING_HELP[name];
  const got = value === undefined ? 'nothing' : h.secret ? `a value of ${value.length} characters` : JSON.stringify(value);
  return `${name} must be ${h.expects}, got ${got}`;
}

/** What the app factory needs; `loadConfig` builds it from settings, for the server and for tests alike. */
export interface AppConfig {
  databasePath: string;
  logLevel: (typeof LOG_LEVELS)[number];
  workspaces: WorkspaceConfig[];
  bodyLimit: number;
  durability: 'normal' | 'full';
  requestTimeoutMs: number;
  /** Open connections the server accepts at once; more are closed as they arrive. */
  maxConnections: number;
  /** Decode a literal "+" in a path segment as a space (what Java and Python ≤0.19.6 send). */
  plusAsSpace: boolean;
  /** Check every response against its declared schema (tests turn this on). */
  validateResponses: boolean;
  /** Bearer token of the control plane; never accepted on the SuprSend API. */
  adminToken: string;
  /** Where the server listens, when known: beyond loopback, the dev admin token disables the control plane. */
  host?: string;
  /** A snapshot document imported before the server listens. */
  seedPath: string | undefined;
  /** How many API requests the journal keeps (newest). */
  journalSize: number;
  /** How many bytes the request journal may hold (the oldest entries go first). */
  journalMaxBytes: number;
  /** Honour the `X-Emulator-Fault` request header. */
  faultHeader: boolean;
  /** When set, generated ids and fault dice repeat exactly from run to run. */
  deterministicSeed: string | undefined;
  /** Start the clock frozen at this ISO-8601 time. */
  clockStart: string | undefined;
}

export interface ServerConfig extends AppConfig {
  port: number;
  host: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Short flags for settings whose full name is long. */
const FLAG_ALIASES: Record<string, keyof Settings> = { SEED: 'SEED_PATH', DB: 'DATABASE_PATH', ADMIN_TOKEN: 'EMULATOR_ADMIN_TOKEN' };

/** Turns `--database-path x`, `--database-path=x` and `--plus-as-space` into { DATABASE_PATH: 'x', ... }. */
export function parseFlags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"; settings are given as --name value`);
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const upper = flag.replace(/-/g, '_').toUpperCase();
    const name = FLAG_ALIASES[upper] ?? upper;
    if (!SETTING_NAMES.includes(name as keyof Settings)) {
      throw new ConfigError(`unknown flag --${flag}; known: ${SETTING_NAMES.map(flagName).join(', ')}`);
    }
    if (inline !== undefined) out[name] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out[name] = argv[++i]!;
    else out[name] = 'true';
  }
  return out;
}

export function flagName(setting: string): string {
  return `--${setting.toLowerCase().replace(/_/g, '-')}`;
}

/** Reads and validates settings; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: string[] = []): ServerConfig {
  const raw: Record<string, string | undefined> = {};
  for (const name of SETTING_NAMES) if (env[name] !== undefined && env[name] !== '') raw[name] = env[name];
  Object.assign(raw, parseFlags(argv));
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0]) as keyof Settings))];
    const lines = names.map((name) => badValue(name, raw[name]));
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const s = parsed.data;
  const workspaces = withPreferenceCategoriesFile(resolveWorkspaces(s), s.PREFERENCE_CATEGORIES_FILE);
  const adminToken = s.EMULATOR_ADMIN_TOKEN ?? DEV_ADMIN_TOKEN;
  if (workspaces.some((w) => w.api_keys.includes(adminToken) || w.key === adminToken)) {
    throw new ConfigError('EMULATOR_ADMIN_TOKEN (--emulator-admin-token): must differ from every workspace key and API key');
  }
  return {
    port: s.PORT,
    host: s.HOST,
    databasePath: s.DATABASE_PATH,
    logLevel: s.LOG_LEVEL,
    workspaces,
    bodyLimit: s.BODY_LIMIT,
    durability: s.DURABILITY,
    requestTimeoutMs: s.REQUEST_TIMEOUT_MS,
    maxConnections: s.MAX_CONNECTIONS,
    plusAsSpace: s.PLUS_AS_SPACE,
    validateResponses: false,
    adminToken,
    seedPath: s.SEED_PATH,
    journalSize: s.JOURNAL_SIZE,
    journalMaxBytes: s.JOURNAL_MAX_BYTES,
    faultHeader: s.FAULT_HEADER,
    deterministicSeed: s.DETERMINISTIC_SEED,
    clockStart: s.CLOCK_START,
  };
}

function resolveWorkspaces(s: Settings): WorkspaceConfig[] {
  if ((s.SUPRSEND_WORKSPACE_KEY === undefined) !== (s.SUPRSEND_WORKSPACE_SECRET === undefined)) {
    throw new ConfigError('invalid configuration: SUPRSEND_WORKSPACE_KEY and SUPRSEND_WORKSPACE_SECRET go together; set both or neither');
  }
  const primary: WorkspaceConfig = {
    name: DEV_WORKSPACE.name,
    key: s.SUPRSEND_WORKSPACE_KEY ?? DEV_WORKSPACE.key,
    secret: s.SUPRSEND_WORKSPACE_SECRET ?? DEV_WORKSPACE.secret,
    api_keys: [s.SUPRSEND_API_KEY ?? (s.SUPRSEND_WORKSPACE_KEY ? undefined : DEV_WORKSPACE.apiKey)].filter(
      (k): k is string => k !== undefined,
    ),
    inbox_secret: s.SUPRSEND_INBOX_SECRET ?? (s.SUPRSEND_WORKSPACE_KEY ? undefined : DEV_WORKSPACE.inboxSecret),
    inbox: true,
  };
  if (!s.WORKSPACES_FILE) return [primary];
  let file: unknown;
  try {
    file = JSON.parse(readFileSync(s.WORKSPACES_FILE, 'utf8'));
  } catch (err) {
    throw new ConfigError(`WORKSPACES_FILE (--workspaces-file): cannot read ${s.WORKSPACES_FILE}: ${withoutContent(err as Error)}`);
  }
  const parsed = workspacesFileSchema.safeParse(file);
  if (!parsed.success) {
    // Paths and messages only: zod's messages carry no received values, so no secret is printed.
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`WORKSPACES_FILE (--workspaces-file): invalid file ${s.WORKSPACES_FILE}:\n  ${lines.join('\n  ')}`);
  }
  // A file entry named like the primary workspace replaces it.
  const fromFile = parsed.data.workspaces;
  const all = fromFile.some((w) => w.name === primary.name) ? fromFile : [primary, ...fromFile];
  const names = new Set<string>();
  const keyOwner = new Map<string, string>();
  const apiKeyOwner = new Map<string, string>();
  for (const w of all) {
    if (names.has(w.name)) throw new ConfigError(`WORKSPACES_FILE (--workspaces-file): workspace name "${w.name}" is used twice`);
    names.add(w.name);
    const keyOf = keyOwner.get(w.key);
    if (keyOf !== undefined)
      throw new ConfigError(`WORKSPACES_FILE (--workspaces-file): workspaces "${keyOf}" and "${w.name}" have the same workspace key`);
    keyOwner.set(w.key, w.name);
    for (const k of w.api_keys) {
      const apiKeyOf = apiKeyOwner.get(k);
      if (apiKeyOf !== undefined)
        throw new ConfigError(`WORKSPACES_FILE (--workspaces-file): workspaces "${apiKeyOf}" and "${w.name}" share an API key`);
      apiKeyOwner.set(k, w.name);
    }
  }
  return all;
}

/** PREFERENCE_CATEGORIES_FILE, when set, gives the default workspace its catalog (over one from WORKSPACES_FILE). */
function withPreferenceCategoriesFile(workspaces: WorkspaceConfig[], path: string | undefined): WorkspaceConfig[] {
  if (!path) return workspaces;
  const where = `PREFERENCE_CATEGORIES_FILE (--preference-categories-file): ${path}`;
  let file: unknown;
  try {
    file = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${where}: cannot read it: ${withoutContent(err as Error)}`);
  }
  const parsed = preferenceCatalogSchema.safeParse(file);
  if (!parsed.success) throw new ConfigError(`${where}: invalid document:\n  ${catalogIssues(parsed.error).join('\n  ')}`);
  return workspaces.map((w) => (w.name === DEV_WORKSPACE.name ? { ...w, preference_categories: parsed.data } : w));
}

/** A read or JSON error without the file's content: JSON.parse quotes the text around the error, which may be a secret. */
function withoutContent(err: Error): string {
  if (!(err instanceof SyntaxError)) return err.message;
  const at = /position (\d+)(?: \(line (\d+) column (\d+)\))?/.exec(err.message);
  return `not valid JSON${at ? ` (${at[2] ? `line ${at[2]} column ${at[3]}` : `position ${at[1]}`})` : ''}`;
}
