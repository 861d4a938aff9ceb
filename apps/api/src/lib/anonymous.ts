import { sql } from 'kysely';
import type { Database, Tx } from '@workflow-builder/db';

/** One transaction as `anon` with the request id in the JWT claims (before anyone is signed in). */
export async function anonymous<T>(db: Database, requestId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const claims = JSON.stringify({ role: 'anon', request_id: requestId });
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('role', 'anon', true), set_config('request.jwt.claims', ${claims}, true)`.execute(tx);
    return fn(tx);
  });
}
