import type Database from 'better-sqlite3';

type Runner = Database.Transaction<(fn: () => unknown) => unknown>;
const runners = new WeakMap<Database.Database, Runner>();

/**
 * Runs `fn` in a transaction (a savepoint when one is already open). The
 * transaction function is made once per connection: better-sqlite3 builds a
 * new wrapper on every `db.transaction()` call, which costs on a hot path.
 */
export function inTransaction<T>(sqlite: Database.Database, fn: () => T, mode: 'immediate' | 'deferred' = 'immediate'): T {
  let run = runners.get(sqlite);
  if (!run) {
    run = sqlite.transaction((f: () => unknown) => f());
    runners.set(sqlite, run);
  }
  return run[mode](fn) as T;
}
