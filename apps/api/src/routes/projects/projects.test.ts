import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createProject, createTestApp, expectProblem, signUp, uniq, withAdmin, type TestApp, type TestUser } from '../../test/helpers.ts';

describe('projects', () => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await createTestApp('projects');
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
  });
  afterAll(() => t.close());

  const url = () => `/v1/orgs/${owner.orgId}/projects`;

  it('creates a project, its task queue <user_id>-<project_id> and a derived workstream slug in one go', async () => {
    const res = await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: `Lead Enrichment ${uniq()}`, description: 'Leads', settings: { ai: { endpoint: 'http://llm' } } } });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ orgId: owner.orgId, description: 'Leads', settings: { ai: { endpoint: 'http://llm' } }, isActive: true, createdBy: owner.userId });
    expect(p.workstreamSlug).toMatch(/^lead_enrichment_[0-9a-f]{8}$/);
    expect(p.taskQueueName).toBe(`${owner.userId}-${p.id}`);
    await withAdmin(t.tdb, async (c) => {
      const q = await c.query('select org_id, is_system_queue, created_by from public.task_queues where name = $1', [p.taskQueueName]);
      expect(q.rows).toEqual([{ org_id: owner.orgId, is_system_queue: true, created_by: owner.userId }]);
    });
  });

  it('takes a given workstream slug; a taken one is a 409 on /workstreamSlug that leaves no task queue behind', async () => {
    const slug = `ws_${uniq()}`;
    const p = await createProject(t.app, owner, owner.orgId, { workstreamSlug: slug });
    expect(p.workstreamSlug).toBe(slug);
    const queues = () => withAdmin(t.tdb, async (c) => Number((await c.query('select count(*) from public.task_queues')).rows[0].count));
    const before = await queues();
    const other = await signUp(t.app, 'other');
    expectProblem(await t.app.inject({ method: 'POST', url: `/v1/orgs/${other.orgId}/projects`, headers: other.headers, payload: { name: 'x', workstreamSlug: slug } }), 409, 'conflict', '/workstreamSlug');
    expect(await queues()).toBe(before);
  });

  it('derives a free slug when the name\'s slug is taken by another organisation', async () => {
    const name = `Shared Name ${uniq()}`;
    const a = await createProject(t.app, owner, owner.orgId, { name });
    const other = await signUp(t.app, 'other2');
    const b = await createProject(t.app, other, other.orgId, { name });
    expect(b.workstreamSlug).not.toBe(a.workstreamSlug);
    expect(b.workstreamSlug.startsWith(a.workstreamSlug)).toBe(true);
  });

  it('rejects duplicate names in the organisation and invalid fields, with field paths', async () => {
    const p = await createProject(t.app, owner);
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: p['name'] } }), 409, 'conflict', '/name');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: 'x', workstreamSlug: 'Bad-Slug' } }), 400, 'validation_failed', '/workstreamSlug');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: 'x'.repeat(256) } }), 400, 'validation_failed', '/name');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: 'x', settings: [] } }), 400, 'validation_failed', '/settings');
  });

  it('lists with search and pagination; gets; viewers read but cannot write', async () => {
    const tag = uniq();
    const a = await createProject(t.app, owner, owner.orgId, { name: `Alpha ${tag}` });
    const b = await createProject(t.app, owner, owner.orgId, { name: `Beta ${tag}` });
    const page1 = await t.app.inject({ method: 'GET', url: `${url()}?search=${tag}&limit=1`, headers: viewer.headers });
    expect(page1.statusCode, page1.body).toBe(200);
    expect(page1.json().items.map((p: { id: string }) => p.id)).toEqual([b.id]);
    const page2 = await t.app.inject({ method: 'GET', url: `${url()}?search=${tag}&limit=1&cursor=${page1.json().nextCursor}`, headers: viewer.headers });
    expect(page2.json()).toEqual({ items: [expect.objectContaining({ id: a.id })], nextCursor: null });
    expect((await t.app.inject({ method: 'GET', url: `${url()}/${a.id}`, headers: viewer.headers })).json()).toMatchObject({ id: a.id, name: `Alpha ${tag}` });
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: viewer.headers, payload: { name: 'nope' } }), 403, 'forbidden', '/params/orgId');
    expectProblem(await t.app.inject({ method: 'GET', url: `${url()}/${crypto.randomUUID()}`, headers: viewer.headers }), 404, 'not_found', '/params/projectId');
    expectProblem(await t.app.inject({ method: 'GET', url: `${url()}?search=%25%25&limit=0`, headers: viewer.headers }), 400, 'validation_failed', '/query/limit');
  });

  it('updates, including renaming the workstream', async () => {
    const p = await createProject(t.app, owner);
    const slug = `renamed_${uniq()}`;
    const res = await t.app.inject({ method: 'PATCH', url: `${url()}/${p.id}`, headers: owner.headers, payload: { workstreamSlug: slug, isActive: false, description: null } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ workstreamSlug: slug, isActive: false, description: null });
    expectProblem(await t.app.inject({ method: 'PATCH', url: `${url()}/${p.id}`, headers: owner.headers, payload: { taskQueueName: 'x' } }), 400, 'validation_failed', '/taskQueueName');
  });

  it('deletes a project with its task queue', async () => {
    const p = await createProject(t.app, owner);
    expect((await t.app.inject({ method: 'DELETE', url: `${url()}/${p.id}`, headers: owner.headers })).statusCode).toBe(204);
    await withAdmin(t.tdb, async (c) => {
      expect((await c.query('select 1 from public.task_queues where name = $1', [p.taskQueueName])).rowCount).toBe(0);
    });
    expectProblem(await t.app.inject({ method: 'DELETE', url: `${url()}/${p.id}`, headers: owner.headers }), 404, 'not_found', '/params/projectId');
  });
});
