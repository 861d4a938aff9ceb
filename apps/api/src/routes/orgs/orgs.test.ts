import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, expectProblem, signUp, uniq, type TestApp, type TestUser } from '../../test/helpers.ts';

describe('organisations', () => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await createTestApp('orgs');
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
  });
  afterAll(() => t.close());

  it('lists my organisations with my role in each, paginated', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/orgs', headers: viewer.headers });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Array<{ id: string; role: string }>;
    expect(items.map((o) => [o.id, o.role]).sort()).toEqual([[owner.orgId, 'viewer'], [viewer.orgId, 'admin']].sort());
    const page = await t.app.inject({ method: 'GET', url: '/v1/orgs?limit=1', headers: viewer.headers });
    expect(page.json().items).toHaveLength(1);
    const rest = await t.app.inject({ method: 'GET', url: `/v1/orgs?limit=1&cursor=${page.json().nextCursor}`, headers: viewer.headers });
    expect(rest.json().items).toHaveLength(1);
    expect(rest.json().items[0].id).not.toBe(page.json().items[0].id);
    expect(rest.json().nextCursor).toBeNull();
  });

  it('creates an organisation with me as admin; a taken explicit slug is a 409 on /slug', async () => {
    const slug = `team-${uniq()}`;
    const res = await t.app.inject({ method: 'POST', url: '/v1/orgs', headers: owner.headers, payload: { name: 'Team', slug } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Team', slug, role: 'admin' });
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/orgs', headers: viewer.headers, payload: { name: 'Team', slug } }), 409, 'conflict', '/slug');
    const derived = await t.app.inject({ method: 'POST', url: '/v1/orgs', headers: viewer.headers, payload: { name: 'Team' } });
    expect(derived.statusCode).toBe(201);
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/orgs', headers: owner.headers, payload: { name: 'x', slug: 'Not A Slug' } }), 400, 'validation_failed', '/slug');
  });

  it('gets an organisation; a non-member gets 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}`, headers: viewer.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: owner.orgId, role: 'viewer' });
    const outsider = await signUp(t.app, 'outsider');
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}`, headers: outsider.headers }), 404, 'not_found', '/params/orgId');
  });

  it('renames (admin only)', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${owner.orgId}`, headers: owner.headers, payload: { name: 'Renamed' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().name).toBe('Renamed');
    expectProblem(await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${owner.orgId}`, headers: viewer.headers, payload: { name: 'Mine' } }), 403, 'forbidden', '/params/orgId');
    expectProblem(await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${owner.orgId}`, headers: owner.headers, payload: {} }), 400, 'validation_failed', '/');
    expectProblem(await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${owner.orgId}`, headers: owner.headers, payload: { name: 'x'.repeat(256) } }), 400, 'validation_failed', '/name');
  });
});
