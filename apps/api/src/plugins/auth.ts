import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { FastifyRequest } from 'fastify';
import { withCaller } from '@workflow-builder/db';
import { anonymous } from '../lib/anonymous.ts';
import { CallerCache } from '../lib/caller-cache.ts';
import { looksLikeApiToken, looksLikeSessionToken, sha256, sha256Hex } from '../lib/crypto.ts';
import { unauthorized } from '../lib/problem.ts';

export const SESSION_COOKIE = 'wb_session';

/** Who is calling, as resolved from a session cookie, an API token or an external identity. */
export interface RequestCaller {
  /** auth.users.id: the JWT `sub` every RLS policy reads. */
  authUserId: string;
  /** public.users.id: what created_by columns hold. */
  userId: string;
  method: 'session' | 'api_token' | 'external';
  sessionId?: string;
  tokenId?: string;
}

/**
 * Resolves a bearer token that is not one of ours (`wbt_...`), e.g. an OIDC or Supabase JWT.
 * Return the identity's auth.users id, null to reject, or undefined to let the next resolver try.
 * See apps/api/README.md ("External identity providers").
 */
export type IdentityResolver = (token: string, request: FastifyRequest) => Promise<{ authUserId: string } | null | undefined>;

/** Most credentials kept resolved at once (a few hundred bytes each). */
const CALLER_CACHE_ENTRIES = 10_000;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Sessions and API tokens resolved recently, keyed by `callerCacheKey`. Routes that revoke a
     * credential must forget it here so the revocation applies at once in this process.
     */
    callers: CallerCache<RequestCaller>;
  }
  interface FastifyRequest {
    /** Set by the auth plugin on every `/v1` route that is not `config.public`. */
    caller: RequestCaller | null;
  }
  interface FastifyContextConfig {
    /** The route needs no signed-in caller (sign-up, sign-in, sign-out). */
    public?: boolean;
  }
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const m = /^Bearer\s+(\S{1,4096})\s*$/i.exec(header);
  if (!m) throw unauthorized('the Authorization header must be "Bearer <token>"');
  return m[1]!;
}

/** Cache key of a session cookie or API token (its hash, as the database stores it). */
export const callerCacheKey = (method: 'session' | 'api_token', secret: string): string =>
  `${method === 'session' ? 's' : 't'}:${sha256Hex(secret)}`;

/**
 * Resolves `request.caller` from `Authorization: Bearer <token>` (personal API tokens `wbt_...`,
 * then any external resolvers) or the `wb_session` cookie. Routes under `/v1` need a caller
 * unless their config says `public: true`; the lookups go through the security-definer
 * functions of the auth migration as `anon`, so no broad table access is needed.
 */
export const authPlugin = fp<{ resolvers?: IdentityResolver[] }>(async (app, opts) => {
  const resolvers = opts.resolvers ?? [];
  app.decorateRequest('caller', null);
  // External identities are not cached: their resolvers decide (and may cache) themselves.
  app.decorate('callers', new CallerCache<RequestCaller>(app.env.authCacheTtlMs, CALLER_CACHE_ENTRIES));

  const userIdFor = async (authUserId: string, requestId: string): Promise<string | null> => {
    const row = await withCaller(app.db, { authUserId, requestId }, (tx) =>
      sql<{ user_id: string | null }>`select app.current_user_id() as user_id`.execute(tx));
    return row.rows[0]?.user_id ?? null;
  };

  const resolve = async (request: FastifyRequest): Promise<RequestCaller | null> => {
    const bearer = bearerToken(request);
    if (bearer !== null) {
      if (bearer.startsWith('wbt_')) {
        if (!looksLikeApiToken(bearer)) return null;
        const key = callerCacheKey('api_token', bearer);
        const cached = app.callers.get(key);
        if (cached) return cached;
        const { rows } = await anonymous(app.db, request.id, (tx) =>
          sql<{ auth_user_id: string; user_id: string; token_id: string }>`select * from app.api_token_auth_user(${sha256(bearer)})`.execute(tx));
        const row = rows[0];
        if (!row) return null;
        const caller: RequestCaller = Object.freeze({ authUserId: row.auth_user_id, userId: row.user_id, method: 'api_token', tokenId: row.token_id });
        app.callers.set(key, caller);
        return caller;
      }
      for (const resolver of resolvers) {
        const identity = await resolver(bearer, request);
        if (identity === null) return null;
        if (identity === undefined) continue;
        const userId = await userIdFor(identity.authUserId, request.id);
        return userId ? { authUserId: identity.authUserId, userId, method: 'external' } : null;
      }
      return null;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie === undefined || cookie === '') return null;
    if (!looksLikeSessionToken(cookie)) return null;
    const key = callerCacheKey('session', cookie);
    const cached = app.callers.get(key);
    if (cached) return cached;
    const { rows } = await anonymous(app.db, request.id, (tx) =>
      sql<{ auth_user_id: string; user_id: string; session_id: string; expires_at: Date }>`select * from app.session_auth_user(${sha256(cookie)})`.execute(tx));
    const row = rows[0];
    if (!row) return null;
    const caller: RequestCaller = Object.freeze({ authUserId: row.auth_user_id, userId: row.user_id, method: 'session', sessionId: row.session_id });
    app.callers.set(key, caller, new Date(row.expires_at).getTime());
    return caller;
  };

  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (url === undefined || !url.startsWith('/v1/') || request.routeOptions.config.public === true) return;
    const hasCredentials = request.headers.authorization !== undefined || Boolean(request.cookies[SESSION_COOKIE]);
    if (!hasCredentials) throw unauthorized('sign in (wb_session cookie) or send "Authorization: Bearer <API token>"');
    const caller = await resolve(request);
    if (!caller) {
      throw unauthorized('the session has expired or the token is not valid',
        request.headers.authorization !== undefined ? '/headers/authorization' : '/cookies/wb_session');
    }
    request.caller = caller;
    request.log = request.log.child({ userId: caller.userId });
  });
}, { name: 'auth', dependencies: ['services'] });

/** The signed-in caller of a protected route (the auth hook guarantees one). */
export function callerOf(request: FastifyRequest): RequestCaller {
  if (!request.caller) throw unauthorized('sign in first');
  return request.caller;
}
