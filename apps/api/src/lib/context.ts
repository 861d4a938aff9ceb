import { sql } from 'kysely';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { withCaller, type Tx } from '@workflow-builder/db';
import { callerOf } from '../plugins/auth.ts';
import { anonymous } from './anonymous.ts';
import { forbidden, notFound } from './problem.ts';
import type { Role } from '../schemas/common.ts';

/**
 * Running a request's queries as its caller. Every query of a user request runs inside
 * `withCaller` (role `authenticated`, the caller's JWT claims), in ONE transaction: a thrown
 * error rolls everything back, so a rejected request leaves nothing behind.
 */

/** What a route needs in the organisation: any membership, a writable role, or admin. */
export type Access = 'read' | 'write' | 'admin';

export interface OrgContext {
  orgId: string;
  /** public.users.id of the caller. */
  userId: string;
  role: Role;
}

const ALLOWED: Record<Access, readonly Role[]> = {
  read: ['admin', 'developer', 'viewer'],
  write: ['admin', 'developer'],
  admin: ['admin'],
};

const DENIED: Record<Exclude<Access, 'read'>, string> = {
  write: 'this needs the developer or admin role (viewers only read, and do not see secrets)',
  admin: 'only admins of the organisation can do this',
};

/**
 * Runs `fn` in one transaction as the caller acting in `orgId`. RLS isolates the organisation;
 * the explicit role check first gives clear errors: a non-member gets 404 (the organisation is
 * invisible to them), a member whose role is too low gets 403.
 *
 * @example
 * return inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => { ... });
 */
export async function inOrg<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  orgId: string,
  access: Access,
  fn: (tx: Tx, ctx: OrgContext) => Promise<T>,
): Promise<T> {
  const caller = callerOf(request);
  return withCaller(app.db, { authUserId: caller.authUserId, orgId, requestId: request.id }, async (tx) => {
    const { rows } = await sql<{ role: Role | null }>`select app.current_org_role() as role`.execute(tx);
    const role = rows[0]?.role ?? null;
    if (role === null) throw notFound('organisation', '/params/orgId');
    if (!ALLOWED[access].includes(role)) throw forbidden(DENIED[access as Exclude<Access, 'read'>], '/params/orgId');
    return fn(tx, { orgId, userId: caller.userId, role });
  });
}

/** Runs `fn` in one transaction as the caller, outside any organisation. */
export async function asUser<T>(app: FastifyInstance, request: FastifyRequest, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const caller = callerOf(request);
  return withCaller(app.db, { authUserId: caller.authUserId, orgId: null, requestId: request.id }, fn);
}

/** preValidation of POSTs whose body is optional: no body means `{}`. */
export const optionalBody = async (request: FastifyRequest): Promise<void> => {
  if (request.body === undefined || request.body === null) request.body = {};
};

/** Runs `fn` inside a savepoint: on error the transaction continues as before `fn`. */
export async function savepoint<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await sql`savepoint api_retry`.execute(tx);
  try {
    const result = await fn();
    await sql`release savepoint api_retry`.execute(tx);
    return result;
  } catch (e) {
    await sql`rollback to savepoint api_retry`.execute(tx);
    throw e;
  }
}

export const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());
export const isoRequired = (d: Date | string): string => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/**
 * Runs `fn` in one transaction as `anon` (before sign-in), with the request id in the claims.
 * Only the auth migration's security-definer functions are useful from here.
 */
export const asAnonymous = <T>(app: FastifyInstance, request: FastifyRequest, fn: (tx: Tx) => Promise<T>): Promise<T> =>
  anonymous(app.db, request.id, fn);
