import { sql, type Transaction } from 'kysely';
import type { Database } from './connection.ts';
import type { DB } from './schema.generated.ts';

/** Who is calling: becomes the transaction's JWT claims, which every RLS policy reads. */
export interface Caller {
  /** auth.users id (users.auth_user_id), the JWT `sub`. */
  authUserId: string;
  /** The organisation the request acts in; RLS honours it only for members. */
  orgId?: string | null;
  /** Correlation id of the request, visible to triggers and logs. */
  requestId?: string;
}

export type Tx = Transaction<DB>;

/**
 * Runs `fn` in one transaction as `caller`: switches to the `authenticated` role and sets
 * `request.jwt.claims` the way Supabase does, so row-level security decides what is visible.
 * A query without any WHERE clause still returns only the caller's rows.
 *
 * @example
 * const rows = await withCaller(db, { authUserId, orgId }, (tx) => tx.selectFrom('projects').selectAll().execute());
 */
export async function withCaller<T>(db: Database, caller: Caller, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const claims = JSON.stringify({ sub: caller.authUserId, role: 'authenticated', org_id: caller.orgId ?? null, request_id: caller.requestId ?? null });
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`.execute(tx);
    return fn(tx);
  });
}

/** Runs `fn` in one transaction with no caller (the `anon` role): only public rows are visible. */
export async function withAnonymous<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`.execute(tx);
    return fn(tx);
  });
}
