import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.generated.ts';

// Return bigint/numeric as numbers where safe; int8 counters stay strings otherwise.
pg.types.setTypeParser(20, (v) => { const n = Number(v); return Number.isSafeInteger(n) ? n : v; });

export type Database = Kysely<DB>;

export interface CreateDbOptions {
  max?: number;
  /** Role switched to on every new connection (the worker runs as `service_role`). */
  role?: 'service_role';
  applicationName?: string;
  /** Called when an idle pooled connection fails (it is already discarded). */
  onIdleError?: (error: Error) => void;
}

/**
 * A Kysely instance over a pg pool.
 *
 * @example
 * const db = createDb(process.env.DATABASE_URL!, { max: 10 });
 */
export function createDb(url: string, opts: CreateDbOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'workflow-builder',
    ...(opts.role ? { options: `-c role=${opts.role}` } : {}),
  });
  // An idle connection the server closes (restart, failover, a dropped test database) is discarded
  // by the pool; without a listener its 'error' event would crash the process.
  pool.on('error', (error) => opts.onIdleError?.(error));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
