import { sql } from 'kysely';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { deriveKey, looksLikeSessionToken, newPasswordKey, newSessionToken, sha256 } from '../../lib/crypto.ts';
import { withCaller } from '@workflow-builder/db';
import { unauthorized } from '../../lib/problem.ts';
import { AttemptLimiter } from '../../lib/attempt-limiter.ts';
import { asAnonymous, asUser, isoRequired, iso } from '../../lib/context.ts';
import { orgSlugFromName } from '../../lib/slug.ts';
import { SESSION_COOKIE, callerCacheKey, callerOf } from '../../plugins/auth.ts';
import { NoContent, problemResponses, type Role } from '../../schemas/common.ts';
import { MeResponse, RevokedSessions, SignInBody, SignInResponse, SignUpBody, SignUpResponse } from './schemas.ts';

const normaliseEmail = (email: string): string => email.trim().toLowerCase();

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expires: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    // Behind a TLS-terminating proxy this needs TRUST_PROXY so X-Forwarded-Proto is believed.
    secure: request.protocol === 'https',
    expires,
  });
}

/** Sign-up, sign-in, sign-out and the signed-in user. */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const limits = app.env.rateLimits;
  // Per client IP (sign-up and sign-in together) and per email (sign-in, whatever the IP:
  // credential stuffing from many addresses). Counted after validation, before any work.
  const perIp = new AttemptLimiter(limits.authPerIp);
  const perEmail = new AttemptLimiter(limits.signInPerEmail);

  app.post('/sign-up', {
    config: { public: true },
    preHandler: async (req, reply) => perIp.check(`ip:${req.ip}`, reply, '/', 'sign-in and sign-up attempts from this address'),
    schema: {
      tags: ['auth'],
      summary: 'Create an account and its first organisation (the user becomes its admin); signs in',
      security: [],
      body: SignUpBody,
      response: { 201: SignUpResponse, ...problemResponses },
    },
  }, async (req, reply) => {
    const email = normaliseEmail(req.body.email);
    const { params, key } = await newPasswordKey(req.body.password);
    const token = newSessionToken();
    const expires = new Date(Date.now() + app.env.sessionTtlMs);
    const orgName = req.body.organisationName.trim();
    const displayName = req.body.displayName.trim();
    const { rows } = await asAnonymous(app, req, (tx) => sql<{ user_id: string; org_id: string; org_slug: string }>`
      select * from app.sign_up(${email}, ${displayName}, ${orgName}, ${orgSlugFromName(orgName)},
        ${params.salt}, ${params.n}, ${params.r}, ${params.p}, ${params.keyLength}, ${key},
        ${sha256(token)}, ${expires}, ${req.headers['user-agent'] ?? null}, ${req.ip})`.execute(tx));
    const row = rows[0]!;
    setSessionCookie(req, reply, token, expires);
    return reply.code(201).send({
      user: { id: row.user_id, email, displayName },
      organization: { id: row.org_id, name: orgName, slug: row.org_slug, role: 'admin' as const },
    });
  });

  app.post('/sign-in', {
    config: { public: true },
    preHandler: async (req, reply) => {
      perIp.check(`ip:${req.ip}`, reply, '/', 'sign-in and sign-up attempts from this address');
      perEmail.check(`email:${normaliseEmail(req.body.email)}`, reply, '/email', 'sign-in attempts for this email');
    },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password; sets the HTTP-only wb_session cookie',
      security: [],
      body: SignInBody,
      response: { 200: SignInResponse, ...problemResponses },
    },
  }, async (req, reply) => {
    const email = normaliseEmail(req.body.email);
    const salt = await asAnonymous(app, req, (tx) =>
      sql<{ salt: string; scrypt_n: number; scrypt_r: number; scrypt_p: number; key_length: number }>`
        select * from app.password_salt_for(${email})`.execute(tx));
    const p = salt.rows[0]!;
    // Unknown emails get a stable fake salt, so this costs the same either way.
    const key = await deriveKey(req.body.password, { salt: p.salt, n: p.scrypt_n, r: p.scrypt_r, p: p.scrypt_p, keyLength: p.key_length });
    const token = newSessionToken();
    const expires = new Date(Date.now() + app.env.sessionTtlMs);
    const { rows } = await asAnonymous(app, req, (tx) => sql<{ auth_user_id: string; user_id: string }>`
      select * from app.sign_in(${email}, ${key}, ${sha256(token)}, ${expires}, ${req.headers['user-agent'] ?? null}, ${req.ip})`.execute(tx));
    const signedIn = rows[0];
    if (!signedIn) throw unauthorized('email or password is incorrect', '/password');
    const user = await withCaller(app.db, { authUserId: signedIn.auth_user_id, requestId: req.id }, (tx) =>
      tx.selectFrom('users').select(['id', 'email', 'display_name']).where('id', '=', signedIn.user_id).executeTakeFirstOrThrow());
    setSessionCookie(req, reply, token, expires);
    return { user: { id: user.id, email: user.email, displayName: user.display_name } };
  });

  app.post('/sign-out', {
    config: { public: true },
    schema: {
      tags: ['auth'],
      summary: 'End the current session (if any) and clear the cookie',
      security: [],
      response: { 204: NoContent, ...problemResponses },
    },
  }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token && looksLikeSessionToken(token)) {
      await asAnonymous(app, req, (tx) => sql`select app.delete_session(${sha256(token)})`.execute(tx));
      app.callers.delete(callerCacheKey('session', token));
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https' });
    return reply.code(204).send(null);
  });

  app.delete('/sessions', {
    schema: {
      tags: ['auth'],
      summary: 'Sign out everywhere: end every session of the caller (API tokens stay valid)',
      response: { 200: RevokedSessions, ...problemResponses },
    },
  }, async (req, reply) => {
    const { rows } = await asUser(app, req, (tx) => sql<{ revoked: number }>`select app.delete_my_sessions() as revoked`.execute(tx));
    const { authUserId } = callerOf(req);
    app.callers.deleteWhere((c) => c.method === 'session' && c.authUserId === authUserId);
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https' });
    return { revoked: rows[0]?.revoked ?? 0 };
  });

  app.get('/me', {
    schema: {
      tags: ['auth'],
      summary: 'The signed-in user and the organisations they belong to, with their roles',
      response: { 200: MeResponse, ...problemResponses },
    },
  }, async (req) => {
    const caller = callerOf(req);
    return asUser(app, req, async (tx) => {
      const user = await tx.selectFrom('users')
        .select(['id', 'auth_user_id', 'email', 'display_name', 'created_at', 'last_login_at'])
        .where('id', '=', caller.userId).executeTakeFirstOrThrow();
      const orgs = await tx.selectFrom('organization_members as m')
        .innerJoin('organizations as o', 'o.id', 'm.org_id')
        .innerJoin('user_roles as r', 'r.id', 'm.role_id')
        .select(['o.id', 'o.name', 'o.slug', 'r.name as role'])
        .where('m.user_id', '=', caller.userId)
        .orderBy('o.name').orderBy('o.id')
        .execute();
      return {
        user: {
          id: user.id,
          authUserId: user.auth_user_id ?? caller.authUserId,
          email: user.email,
          displayName: user.display_name,
          createdAt: isoRequired(user.created_at),
          lastLoginAt: iso(user.last_login_at),
        },
        organizations: orgs.map((o) => ({ id: o.id, name: o.name, slug: o.slug, role: o.role as Role })),
        authMethod: caller.method,
      };
    });
  });
};
