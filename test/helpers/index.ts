/**
 * The shared test helpers (not a test file: tap only runs *.test.ts). The real
 * SDK is in ./sdk.js, imported on its own because loading it costs time.
 */
export * from './app.js';
export * from './captures.js';
export * from './config.js';
export * from './db.js';
export * from './files.js';
export * from './formats.js';
export * from './identities.js';
export * from './requests.js';
export * from './responses.js';
export * from './schemas.js';
export * from './wire.js';
export * from './workspaces.js';
