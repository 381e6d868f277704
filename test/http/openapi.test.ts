import { readFileSync } from 'node:fs';
import t from 'tap';
import { generateOpenApi, OPENAPI_PATH } from '../../scripts/write-openapi.js';
import { build } from '../helpers/index.js';

t.test('the committed openapi/openapi.json is up to date', async (t) => {
  const committed = readFileSync(OPENAPI_PATH, 'utf8');
  const current = await generateOpenApi();
  t.ok(committed === current, 'openapi/openapi.json differs from what the routes produce now: run `npm run openapi` and commit the result');
  const doc = JSON.parse(committed) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  t.match(doc.openapi, /^3\.1\./, 'an OpenAPI 3.1 document');
  t.ok(doc.paths['/v1/user/{distinct_id}/'], 'documents /v1/user/{distinct_id}/');
  t.same(Object.keys(doc.paths['/v1/user/{distinct_id}/'] ?? {}).sort(), ['delete', 'get', 'patch', 'post']);
  t.ok(doc.paths['/v1/user/']?.get, 'documents GET /v1/user/');
});

t.test('/openapi.json is served without credentials', async (t) => {
  const app = await build(t);
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /^application\/json/);
  const doc = JSON.parse(res.body) as {
    openapi: string;
    paths: Record<string, unknown>;
    components: { securitySchemes: Record<string, unknown> };
  };
  t.match(doc.openapi, /^3\.1\./);
  t.ok(doc.paths['/v1/user/{distinct_id}/'], 'the user routes are described');
  t.ok(doc.components.securitySchemes.BearerAuth, 'Bearer auth is described');
  t.same(doc, JSON.parse(await generateOpenApi()), 'the served document is the generated one');
  t.notOk(res.body.includes('ws_a_secret') || res.body.includes('api_key_a'), 'no credential in the document');
});

t.test('/docs serves the UI without credentials', async (t) => {
  const app = await build(t);
  let res = await app.inject({ method: 'GET', url: '/docs' });
  // Follow at most one redirect of the UI plugin itself (e.g. /docs -> /docs/).
  if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
    res = await app.inject({ method: 'GET', url: String(res.headers.location) });
  }
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /^text\/html/);
  t.match(res.body, /<html/i);
  t.match(res.body, /swagger/i);
});

t.test('/healthz', async (t) => {
  const app = await build(t);
  const res = await app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /^application\/json/);
  t.same(JSON.parse(res.body), { status: 'ok' });
});
