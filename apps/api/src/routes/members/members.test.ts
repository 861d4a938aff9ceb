import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, signUp, type TestApp, type TestUser } from '../../test/helpers.ts';

describe('members and roles', () => {
  let t: TestApp;
  let owner: TestUser;
  let dev: TestUser;
  beforeAll(async () => {
    t = await createTestApp('members');
    owner = await signUp(t.app, 'owner');
    dev = await signUp(t.app, 'dev');
  });
  afterAll(() => t.close());

  const url = () => `/v1/orgs/${owner.orgId}/members`;

  it('adds a member by email with a role; lists members', async () => {
    const res = await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { email: dev.email.toUpperCase(), role: 'developer' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ userId: dev.userId, email: dev.email, role: 'developer' });
    const list = await t.app.inject({ method: 'GET', url: url(), headers: dev.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((m: { userId: string; role: string }) => [m.userId, m.role]).sort()).toEqual([[owner.userId, 'admin'], [dev.userId, 'developer']].sort());
    const admins = await t.app.inject({ method: 'GET', url: `${url()}?role=admin`, headers: dev.headers });
    expect(admins.json().items).toHaveLength(1);
  });

  it('rejects unknown emails (404 on /email), duplicates (409 on /email) and bad roles (400 on /role)', async () => {
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { email: 'nobody@example.test', role: 'viewer' } }), 404, 'not_found', '/email');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { email: dev.email, role: 'viewer' } }), 409, 'conflict', '/email');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { email: dev.email, role: 'owner' } }), 400, 'validation_failed', '/role');
  });

  it('only admins manage members', async () => {
    const someone = await signUp(t.app, 'someone');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: dev.headers, payload: { email: someone.email, role: 'viewer' } }), 403, 'forbidden', '/params/orgId');
    expectProblem(await t.app.inject({ method: 'PATCH', url: `${url()}/${owner.userId}`, headers: dev.headers, payload: { role: 'viewer' } }), 403, 'forbidden');
    expectProblem(await t.app.inject({ method: 'DELETE', url: `${url()}/${owner.userId}`, headers: dev.headers }), 403, 'forbidden');
  });

  it('changes roles and removes members, but never the last admin', async () => {
    expectProblem(await t.app.inject({ method: 'PATCH', url: `${url()}/${owner.userId}`, headers: owner.headers, payload: { role: 'developer' } }), 409, 'conflict', '/role');
    expectProblem(await t.app.inject({ method: 'DELETE', url: `${url()}/${owner.userId}`, headers: owner.headers }), 409, 'conflict', '/role');
    const promote = await t.app.inject({ method: 'PATCH', url: `${url()}/${dev.userId}`, headers: owner.headers, payload: { role: 'admin' } });
    expect(promote.statusCode, promote.body).toBe(200);
    expect(promote.json().role).toBe('admin');
    const demote = await t.app.inject({ method: 'PATCH', url: `${url()}/${owner.userId}`, headers: dev.headers, payload: { role: 'viewer' } });
    expect(demote.statusCode, demote.body).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `${url()}/${owner.userId}`, headers: dev.headers })).statusCode).toBe(204);
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}`, headers: owner.headers }), 404, 'not_found', '/params/orgId');
    expectProblem(await t.app.inject({ method: 'DELETE', url: `${url()}/${owner.userId}`, headers: dev.headers }), 404, 'not_found', '/params/userId');
  });

  it('lists the roles', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/roles', headers: dev.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((r: { name: string }) => r.name)).toEqual(['admin', 'developer', 'viewer']);
    expect(res.json().items[2].permissions).toMatchObject({ read: true, write: false });
  });
});
