import type Database from 'better-sqlite3';
import type { Db } from '../db/open.js';

/** The one query readiness needs; prepared once, as probes poll it. */
export class HealthStore {
  private readonly ping: Database.Statement<[]>;

  constructor(db: Db) {
    this.ping = db.$client.prepare('select 1');
  }

  /** Throws when the database cannot answer. */
  check(): void {
    this.ping.get();
  }
}
