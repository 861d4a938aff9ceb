import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinTemplates } from '@workflow-builder/db';
import {
  addMember, createProject, createTestApp, createWorkflow, expectProblem, signUp, uniq, withAdmin,
  type ProjectDto, type TestApp, type TestUser,
} from '../../test/helpers.ts';

describe('workflow templates', () => {
  let t: TestApp;
  let owner: TestUser;
  let dev: TestUser;
  let viewer: TestUser;
  let other: TestUser;
  let project: ProjectDto;
  let ownTemplateId: string;
  let otherTemplateId: string;
  let inactiveTemplateId: string;
  beforeAll(async () => {
    t = await createTestApp('templates');
    owner = await signUp(t.app, 'owner');
    dev = await signUp(t.app, 'dev');
    viewer = await signUp(t.app, 'viewer');
    other = await signUp(t.app, 'other');
    await addMember(t.app, owner, owner.orgId, dev, 'developer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
    project = await createProject(t.app, owner);
    const definition = JSON.stringify(builtinTemplates.find((b) => b.id === 'summarise-web-page')!.definition);
    [ownTemplateId, otherTemplateId, inactiveTemplateId] = await withAdmin(t.tdb, async (c) => {
      const insert = async (orgId: string, name: string, active = true) => (await c.query(
        `insert into public.workflow_templates (id, org_id, name, goal, steps, category, definition, is_active)
         values (gen_random_uuid()::text, $1, $2, 'Org goal', '["one", "two"]', 'in-house', $3, $4) returning id`,
        [orgId, name, definition, active],
      )).rows[0].id as string;
      return [await insert(owner.orgId, 'Our template'), await insert(other.orgId, 'Their template'), await insert(owner.orgId, 'Retired', false)];
    });
  });
  afterAll(() => t.close());

  const url = (tail = '') => `/v1/orgs/${owner.orgId}/templates${tail}`;
  const usage = (id: string) => withAdmin(t.tdb, async (c) =>
    (await c.query('select usage_count from public.workflow_templates where id = $1', [id])).rows[0].usage_count as number);

  it('lists the active built-ins and the organisation\'s own templates by category, never other organisations\'', async () => {
    const res = await t.app.inject({ method: 'GET', url: url(), headers: viewer.headers });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Array<{ id: string; builtIn: boolean; category: string; visibility: string; steps: unknown[]; nodeCount: number }>;
    const ids = items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([...builtinTemplates.map((b) => b.id), ownTemplateId]));
    expect(ids).not.toContain(otherTemplateId);
    expect(ids).not.toContain(inactiveTemplateId);
    const categories = items.map((i) => i.category);
    expect(categories).toEqual([...categories].sort());
    const approval = items.find((i) => i.id === 'approval-with-timeout')!;
    expect(approval).toMatchObject({ builtIn: true, visibility: 'public', category: 'approvals', steps: builtinTemplates[1]!.steps });
    expect(approval.nodeCount).toBe(builtinTemplates[1]!.definition.nodes.length);
    expect(approval).not.toHaveProperty('definition');

    const ai = await t.app.inject({ method: 'GET', url: url('?category=ai'), headers: viewer.headers });
    expect(ai.json().items.map((i: { id: string }) => i.id)).toEqual(['summarise-web-page']);
    expectProblem(await t.app.inject({ method: 'GET', url: url('?category=%3Cb%3E'), headers: viewer.headers }), 400, 'validation_failed');
  });

  it('gets one template with its definition; hidden and inactive ones are 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: url('/nightly-report'), headers: viewer.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: 'nightly-report', definition: builtinTemplates.find((b) => b.id === 'nightly-report')!.definition });
    expect((await t.app.inject({ method: 'GET', url: url(`/${ownTemplateId}`), headers: viewer.headers })).json()).toMatchObject({ builtIn: false, orgId: owner.orgId });
    for (const id of ['no-such-template', otherTemplateId, inactiveTemplateId]) {
      expectProblem(await t.app.inject({ method: 'GET', url: url(`/${id}`), headers: viewer.headers }), 404, 'not_found', '/params/templateId');
    }
  });

  it('instantiates a built-in template as the caller: the workflow, its graph, its template link and the usage count together', async () => {
    const template = builtinTemplates.find((b) => b.id === 'parallel-enrichment')!;
    const before = await usage(template.id);
    const res = await t.app.inject({
      method: 'POST', url: url(`/${template.id}/instantiate`), headers: dev.headers,
      payload: { projectId: project.id, name: 'Enrich Leads' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const wf = res.json();
    expect(wf).toMatchObject({
      kebabName: 'enrich-leads', projectId: project.id, status: 'draft', definitionVersion: 1, createdBy: dev.userId,
      description: template.goal, nodeCount: template.definition.nodes.length, definition: template.definition,
    });
    // The same DTO as GET /workflows/:id.
    const got = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/workflows/${wf.id}`, headers: viewer.headers });
    expect(got.json()).toEqual(wf);
    await withAdmin(t.tdb, async (c) => {
      const uw = (await c.query('select template_id, category from public.user_workflows where workflow_id = $1', [wf.id])).rows[0];
      expect(uw).toEqual({ template_id: template.id, category: template.category });
      const nodes = await c.query('select count(*)::int as n from public.workflow_nodes where workflow_id = $1', [wf.id]);
      expect(nodes.rows[0].n).toBe(template.definition.nodes.length);
    });
    expect(await usage(template.id)).toBe(before + 1);
  });

  it('instantiates the organisation\'s own template with a chosen kebab name', async () => {
    const kebabName = `own-${uniq()}`;
    const res = await t.app.inject({
      method: 'POST', url: url(`/${ownTemplateId}/instantiate`), headers: owner.headers,
      payload: { projectId: project.id, name: `Own ${uniq()}`, kebabName },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().kebabName).toBe(kebabName);
    expect(await usage(ownTemplateId)).toBe(1);
  });

  it('refuses viewers, hidden templates and clashing names, and then changes nothing', async () => {
    const id = 'event-router';
    const before = await usage(id);
    const body = { projectId: project.id, name: `Router ${uniq()}` };
    expectProblem(await t.app.inject({ method: 'POST', url: url(`/${id}/instantiate`), headers: viewer.headers, payload: body }), 403, 'forbidden');
    expectProblem(await t.app.inject({ method: 'POST', url: url(`/${otherTemplateId}/instantiate`), headers: dev.headers, payload: body }), 404, 'not_found', '/params/templateId');
    expectProblem(await t.app.inject({ method: 'POST', url: url(`/${inactiveTemplateId}/instantiate`), headers: dev.headers, payload: body }), 404, 'not_found', '/params/templateId');
    expectProblem(await t.app.inject({ method: 'POST', url: url(`/${id}/instantiate`), headers: dev.headers, payload: { ...body, projectId: '00000000-0000-4000-8000-000000000000' } }), 400, 'validation_failed', '/projectId');
    const taken = await createWorkflow(t.app, owner, owner.orgId, project.id);
    expectProblem(await t.app.inject({ method: 'POST', url: url(`/${id}/instantiate`), headers: dev.headers, payload: { ...body, kebabName: taken.kebabName } }), 409, 'conflict', '/kebabName');
    expectProblem(await t.app.inject({ method: 'POST', url: url(`/${id}/instantiate`), headers: dev.headers, payload: { ...body, extra: 1 } }), 400, 'validation_failed');
    expect(await usage(id)).toBe(before);
  });

  it('counts template use only through app.count_template_use, for visible active templates in a writable organisation', async () => {
    await withAdmin(t.tdb, async (c) => {
      const authOf = async (u: TestUser) => (await c.query('select auth_user_id from public.users where id = $1', [u.userId])).rows[0].auth_user_id as string;
      const call = async (u: TestUser, orgId: string, templateId: string) => {
        const sub = await authOf(u);
        await c.query('begin');
        try {
          await c.query('set local role authenticated');
          await c.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub, org_id: orgId, role: 'authenticated' })]);
          // Direct writes to a built-in are not allowed to callers.
          const direct = await c.query("update public.workflow_templates set usage_count = usage_count + 100 where id = 'nightly-report'");
          expect(direct.rowCount).toBe(0);
          return (await c.query('select app.count_template_use($1) as counted', [templateId])).rows[0].counted as boolean;
        } finally {
          await c.query('rollback');
        }
      };
      expect(await call(dev, owner.orgId, 'nightly-report')).toBe(true);
      expect(await call(viewer, owner.orgId, 'nightly-report')).toBe(false);
      expect(await call(dev, owner.orgId, otherTemplateId)).toBe(false);
      expect(await call(dev, owner.orgId, inactiveTemplateId)).toBe(false);
      expect(await call(other, other.orgId, ownTemplateId)).toBe(false);
    });
  });
});
