/**
 * The import layers of src/, lowest first. A module may import from its own
 * folder, from other folders of its layer and from any lower layer; never from
 * a higher layer, and no import cycle. scripts/check-imports.mjs enforces this.
 */
export const LAYERS = [
  { name: 'foundations', folders: ['engine', 'clock', 'ids', 'version'] },
  { name: 'api vocabulary and configuration', folders: ['api', 'config'] },
  { name: 'database', folders: ['db'] },
  { name: 'workspace services', folders: ['workspaces', 'journal', 'faults'] },
  { name: 'profile core shared by users and objects', folders: ['profiles'] },
  { name: 'transport', folders: ['http'] },
  { name: 'domains', folders: ['users', 'events', 'lists', 'objects', 'tenants', 'preferences', 'health'] },
  { name: 'control plane', folders: ['admin'] },
  { name: 'app factory', folders: ['app'] },
  { name: 'server', folders: ['server'] },
  { name: 'command line', folders: ['bin'] },
];
