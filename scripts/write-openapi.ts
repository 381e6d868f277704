// Writes the OpenAPI document the running app serves at /openapi.json to
// openapi/openapi.json. `npm run openapi` after changing a route; a test fails
// when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import { testConfig } from '../test/helpers/config.js';

export async function generateOpenApi(): Promise<string> {
  const app = await buildApp(testConfig({ validateResponses: false }));
  await app.ready();
  const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  return doc;
}

export const OPENAPI_PATH = new URL('../openapi/openapi.json', import.meta.url);

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(OPENAPI_PATH, await generateOpenApi());
  console.log('wrote openapi/openapi.json');
}
