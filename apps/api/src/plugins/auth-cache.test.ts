import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import {
  addMember, createTestApp, expectProblem, sessionCookie, signUp, testEnv, uniq, withAdmin, type TestApp, type TestUser,
} from '../test/helpers.ts';

/**
 * The auth hook reuses a resolved session or API token for WB_AUTH_CACHE_TTL_MS (5 s by default,
 * as here). Revocations through this process apply to the very next request; roles are checked
 * per request and are never cached.
 */
describe('auth cache', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp('auth-cache'); });
  afterAll(() => t.close());

  const me = (app: FastifyInstance, headers: Record<string, string>) => app.inject({ method: 'GET', url: '/v1/auth/me', headers });
  const signIn = async (user: TestUser) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: user.email, password: user.password } });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: `wb_session=${sessionCookie(res)}` };
  };
  const deleteSessionsBehindTheApi = (user: TestUser) =>
    withAdmin(t.tdb, (c) => c.query('delete from app.sessions where auth_user_id = (select auth_user_id from public.users where id = $1)', [user.userId]));

  it('reuses a resolved session in this process for the TTL; another process looks it up again', async () => {
    const user = await signUp(t.app, 'cached');
    expect((await me(t.app, user.headers)).statusCode).toBe(200);
    await deleteSessionsBehindTheApi(user);
    // Cached here: still accepted (what another API process does for up to the TTL after a revocation).
    expect((await me(t.app, user.headers)).statusCode).toBe(200);
    const other = await buildApp(testEnv(t.tdb), { logger: false });
    try {
      expectProblem(await me(other, user.headers), 401, 'unauthorized', '/cookies/wb_session');
    } finally {
      await other.close();
    }
  });

  it('an entry lasts only the TTL', async () => {
    const short = await buildApp(testEnv(t.tdb, { WB_AUTH_CACHE_TTL_MS: '300' }), { logger: false });
    try {
      const user = await signUp(short, 'short');
      expect((await me(short, user.headers)).statusCode).toBe(200);
      await deleteSessionsBehindTheApi(user);
      await new Promise((r) => setTimeout(r, 400));
      expectProblem(await me(short, user.headers), 401, 'unauthorized');
    } finally {
      await short.close();
    }
  });

  it('sign-out refuses the session on the next request', async () => {
    const user = await signUp(t.app, 'signout');
    expect((await me(t.app, user.headers)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/sign-out', headers: user.headers })).statusCode).toBe(204);
    expectProblem(await me(t.app, user.headers), 401, 'unauthorized', '/cookies/wb_session');
  });

  it('DELETE /v1/auth/sessions refuses every cached session of the caller at once, not other users\'', async () => {
    const user = await signUp(t.app, 'everywhere');
    const bystander = await signUp(t.app, 'bystander');
    const laptop = await signIn(user);
    for (const headers of [user.headers, laptop, bystander.headers]) expect((await me(t.app, headers)).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'DELETE', url: '/v1/auth/sessions', headers: laptop });
    expect(res.json()).toEqual({ revoked: 2 });
    expectProblem(await me(t.app, user.headers), 401, 'unauthorized');
    expectProblem(await me(t.app, laptop), 401, 'unauthorized');
    expect((await me(t.app, bystander.headers)).statusCode).toBe(200);
  });

  it('a deleted API token is refused on the next request; the owner\'s other token still works', async () => {
    const user = await signUp(t.app, 'token');
    const create = async (name: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/auth/tokens', headers: user.headers, payload: { name } });
      expect(res.statusCode, res.body).toBe(201);
      const { id, token } = res.json() as { id: string; token: string };
      return { id, headers: { authorization: `Bearer ${token}` } };
    };
    const [ci, deploy] = [await create('ci'), await create('deploy')];
    for (const tok of [ci, deploy]) expect((await me(t.app, tok.headers)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/auth/tokens/${ci.id}`, headers: user.headers })).statusCode).toBe(204);
    expectProblem(await me(t.app, ci.headers), 401, 'unauthorized', '/headers/authorization');
    expect((await me(t.app, deploy.headers)).statusCode).toBe(200);
  });

  it('a role downgrade and a removal apply to the next request of a cached session', async () => {
    const owner = await signUp(t.app, 'owner');
    const dev = await signUp(t.app, 'dev');
    await addMember(t.app, owner, owner.orgId, dev, 'developer');
    const createProject = () => t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/projects`, headers: dev.headers, payload: { name: `P ${uniq()}` } });
    expect((await createProject()).statusCode).toBe(201);

    const patch = await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${owner.orgId}/members/${dev.userId}`, headers: owner.headers, payload: { role: 'viewer' } });
    expect(patch.statusCode, patch.body).toBe(200);
    expectProblem(await createProject(), 403, 'forbidden');
    const projects = () => t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/projects`, headers: dev.headers });
    expect((await projects()).statusCode).toBe(200);

    expect((await t.app.inject({ method: 'DELETE', url: `/v1/orgs/${owner.orgId}/members/${dev.userId}`, headers: owner.headers })).statusCode).toBe(204);
    expect((await projects()).statusCode).toBeOneOf([403, 404]);
  });
});
