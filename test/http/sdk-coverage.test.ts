/**
 * docs/sdk-coverage.md against the app, both ways, so the page cannot drift:
 * a row marked served (or partial) is a registered route and method, a row
 * marked not served is not (the router answers 404 "no such route"), and
 * every registered route of the SuprSend API has a row.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { bearer, build, WS_A } from '../helpers/index.js';

type Status = 'served' | 'partial' | 'not served';

interface Row {
  section: 'sdk' | 'other';
  number: number | null;
  method: string;
  path: string;
  status: Status;
}

const DOC = readFileSync(new URL('../../docs/sdk-coverage.md', import.meta.url), 'utf8');

/** The table rows of the page's two sections. */
function parseDoc(text: string): Row[] {
  const rows: Row[] = [];
  let section: Row['section'] | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('## Called by the official SDKs')) section = 'sdk';
    else if (line.startsWith('## Served, called by no official SDK')) section = 'other';
    else if (line.startsWith('## ')) section = null;
    if (section === null || !line.startsWith('| ') || line.startsWith('| #') || line.startsWith('| method')) continue;
    const cells = line
      .slice(1, -1)
      .split(' | ')
      .map((c) => c.trim());
    const [number, method, path, , status] = section === 'sdk' ? cells : [null, ...cells];
    const statusWord = (status ?? '').startsWith('partial') ? 'partial' : status;
    if (!method || !path || !['served', 'partial', 'not served'].includes(statusWord ?? '')) {
      throw new Error(`docs/sdk-coverage.md: cannot read the row ${line}`);
    }
    rows.push({
      section,
      number: number === null ? null : Number(number),
      method,
      path: path.replace(/^`|`$/g, ''),
      status: statusWord as Status,
    });
  }
  return rows;
}

/** A path as the router sees it: parameters unnamed, no trailing slash. */
const routeKey = (method: string, path: string) =>
  `${method.toUpperCase()} ${path
    .replace(/\{[^}]+\}/g, '{}')
    .replace(/:\w+/g, '{}')
    .replace(/(.)\/$/, '$1')}`;

/** The SuprSend API's routes, from the app's OpenAPI document (the control plane, health and docs left out). */
function registeredRoutes(app: FastifyInstance): Set<string> {
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const out = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (path.startsWith('/_emulator/') || path === '/healthz' || path.startsWith('/docs') || path === '/openapi.json') continue;
    for (const method of Object.keys(ops)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.add(routeKey(method, path));
    }
  }
  return out;
}

const rows = parseDoc(DOC);

t.test('the page lists the 77 endpoints the SDKs call, numbered in order', async (t) => {
  const sdk = rows.filter((r) => r.section === 'sdk');
  t.equal(sdk.length, 77, '77 rows');
  t.strictSame(
    sdk.map((r) => r.number),
    Array.from({ length: 77 }, (_, i) => i + 1),
    'numbered 1 to 77',
  );
  t.ok(
    rows.every((r) => ['GET', 'POST', 'PATCH', 'DELETE'].includes(r.method)),
    'every method is one the SDKs use',
  );
  t.ok(
    rows.every((r) => r.path.startsWith('/') && r.path.endsWith('/')),
    'every path is written with its trailing slash',
  );
  t.ok(rows.filter((r) => r.section === 'other').length >= 1, 'and the routes no SDK calls');
});

t.test('rows marked served or partial are registered routes; rows marked not served are not', async (t) => {
  const app = await build(t);
  const registered = registeredRoutes(app);
  for (const row of rows) {
    const key = routeKey(row.method, row.path);
    if (row.status === 'not served') t.notOk(registered.has(key), `${key} (row ${row.number ?? row.path}) is not registered`);
    else t.ok(registered.has(key), `${key} (row ${row.number ?? row.path}, ${row.status}) is registered`);
  }
});

t.test('every registered route of the SuprSend API has a row', async (t) => {
  const app = await build(t);
  const documented = new Set(rows.map((r) => routeKey(r.method, r.path)));
  const registered = [...registeredRoutes(app)];
  t.ok(registered.length >= 30, `${registered.length} registered routes`);
  for (const key of registered) t.ok(documented.has(key), `${key} is on the page`);
});

t.test('the router agrees: not served rows answer 404 "no such route", served rows reach their route', async (t) => {
  const app = await build(t);
  const fill = (path: string) => path.replace('{workspace_key}', WS_A.key).replace(/\{[^}]+\}/g, 'x');
  for (const row of rows) {
    const url = fill(row.path);
    const method = row.method as 'GET';
    const body = method === 'GET' || method === 'DELETE' ? undefined : url.includes('event') || url.includes('trigger') ? [] : {};
    const res = await bearer(app, method, url, body);
    const what = `${row.method} ${url} (${row.status}): ${res.statusCode} ${res.body.slice(0, 100)}`;
    const noSuchRoute = res.statusCode === 404 && /^no such route/.test(res.json().message ?? '');
    if (row.status === 'not served') t.ok(noSuchRoute, what);
    else t.ok(!noSuchRoute && res.statusCode !== 405 && res.statusCode < 500, what);
  }
});
