import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kitchenSinkDefinition, linearDefinition, type WorkflowDefinition } from '@workflow-builder/definition';
import {
  addMember, createProject, createTestApp, createWorkflow, expectProblem, signUp, uniq, withAdmin,
  type ProjectDto, type TestApp, type TestUser,
} from '../../test/helpers.ts';

describe('workflows', () => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  let project: ProjectDto;
  beforeAll(async () => {
    t = await createTestApp('workflows');
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
    project = await createProject(t.app, owner);
  });
  afterAll(() => t.close());

  const url = (id = '', tail = '') => `/v1/orgs/${owner.orgId}/workflows${id ? `/${id}` : ''}${tail}`;
  const graphRows = (workflowId: string) => withAdmin(t.tdb, async (c) => ({
    nodes: (await c.query(`select n.node_id, n.node_type, c.name as component from public.workflow_nodes n
                           left join public.components c on c.id = n.component_id where n.workflow_id = $1 order by n.node_id`, [workflowId])).rows,
    edges: (await c.query('select edge_id, source_node_id, target_node_id, source_handle from public.workflow_edges where workflow_id = $1 order by edge_id', [workflowId])).rows,
  }));

  it('creates a workflow: kebab name derived from the name, definition, nodes, edges and version 1 saved together', async () => {
    const res = await t.app.inject({
      method: 'POST', url: url(), headers: owner.headers,
      payload: { projectId: project.id, name: 'Fetch User Profile', displayName: 'Fetch user', description: 'Demo', definition: linearDefinition },
    });
    expect(res.statusCode, res.body).toBe(201);
    const wf = res.json();
    expect(wf).toMatchObject({
      kebabName: 'fetch-user-profile', projectId: project.id, workstreamSlug: project.workstreamSlug, status: 'draft', visibility: 'organization',
      definitionVersion: 1, nodeCount: 4, createdBy: owner.userId, definition: linearDefinition,
    });
    const graph = await graphRows(wf.id);
    expect(graph.nodes).toEqual([
      { node_id: 'end', node_type: 'output.end', component: 'output.end' },
      { node_id: 'fetch_user', node_type: 'http.request', component: 'http.request' },
      { node_id: 'shape', node_type: 'transform', component: 'transform' },
      { node_id: 'start', node_type: 'trigger.manual', component: 'trigger.manual' },
    ]);
    expect(graph.edges).toContainEqual({ edge_id: 'e_fetch_shape', source_node_id: 'fetch_user', target_node_id: 'shape', source_handle: 'out' });
    const versions = await t.app.inject({ method: 'GET', url: url(wf.id, '/versions'), headers: viewer.headers });
    expect(versions.json().items).toEqual([expect.objectContaining({ definitionVersion: 1, name: 'Fetch User Profile' })]);
  });

  it('keeps kebab names unique per workstream (409 naming kebab_name), not globally', async () => {
    const kebabName = `unique-${uniq()}`;
    await createWorkflow(t.app, owner, owner.orgId, project.id, { kebabName });
    const dup = await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { projectId: project.id, name: `Other ${uniq()}`, kebabName } });
    expectProblem(dup, 409, 'conflict', '/kebabName');
    expect(dup.json().detail).toContain('kebab_name');
    const other = await createProject(t.app, owner);
    const ok = await createWorkflow(t.app, owner, owner.orgId, other.id, { kebabName });
    expect(ok.kebabName).toBe(kebabName);
  });

  it('rejects invalid creations with field paths and leaves nothing behind', async () => {
    const count = () => withAdmin(t.tdb, async (c) => Number((await c.query('select count(*) from public.workflows')).rows[0].count));
    const before = await count();
    const post = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { projectId: project.id, name: `W ${uniq()}`, ...payload } });
    expectProblem(await post({ definition: { ...linearDefinition, nodes: [{ ...linearDefinition.nodes[0], label: 5 }] } }), 400, 'validation_failed', '/definition/nodes/0/label');
    expectProblem(await post({ definition: { ...linearDefinition, nodes: [{ ...linearDefinition.nodes[0], colour: 'red' }] } }), 400, 'validation_failed', '/definition/nodes/0/colour');
    expectProblem(await post({ definition: { ...linearDefinition, schemaVersion: 2 } }), 400, 'validation_failed', '/definition/schemaVersion');
    const many = Array.from({ length: 2001 }, (_, i) => ({ id: `n${i}`, kind: 'transform', label: 'x', config: {}, position: { x: 0, y: 0 } }));
    expectProblem(await post({ definition: { schemaVersion: 1, nodes: many, edges: [] } }), 400, 'validation_failed', '/definition/nodes');
    const dupIds = { ...linearDefinition, nodes: [linearDefinition.nodes[0], linearDefinition.nodes[0]] };
    expectProblem(await post({ definition: dupIds }), 400, 'validation_failed', '/definition/nodes/1/id');
    expectProblem(await post({ kebabName: 'Not Kebab' }), 400, 'validation_failed', '/kebabName');
    expectProblem(await post({ name: '!!!' }), 400, 'validation_failed', '/kebabName');
    expectProblem(await post({ projectId: crypto.randomUUID() }), 400, 'validation_failed', '/projectId');
    expectProblem(await post({ visibility: 'everyone' }), 400, 'validation_failed', '/visibility');
    expect(await count()).toBe(before);
  });

  it('saves with optimistic concurrency: the definition, nodes, edges and history move together', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id);
    const next: WorkflowDefinition = { ...linearDefinition, nodes: linearDefinition.nodes.map((n) => (n.id === 'shape' ? { ...n, label: 'Reshape' } : n)) };
    const saved = await t.app.inject({ method: 'PATCH', url: url(wf.id), headers: owner.headers, payload: { definitionVersion: 1, definition: next, kebabName: wf.kebabName } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ definitionVersion: 2, definition: next });

    const stale = await t.app.inject({ method: 'PATCH', url: url(wf.id), headers: owner.headers, payload: { definitionVersion: 1, name: 'Lost update' } });
    expectProblem(stale, 409, 'conflict', '/definitionVersion');
    expect(stale.json().currentDefinitionVersion).toBe(2);

    // Replace the graph with a bigger one; then a rejected save changes nothing.
    const big = await t.app.inject({ method: 'PATCH', url: url(wf.id), headers: owner.headers, payload: { definitionVersion: 2, definition: kitchenSinkDefinition } });
    expect(big.statusCode, big.body).toBe(200);
    const graph = await graphRows(wf.id);
    expect(graph.nodes).toHaveLength(kitchenSinkDefinition.nodes.length);
    expect(graph.edges).toHaveLength(kitchenSinkDefinition.edges.length);
    const dupIds = { ...linearDefinition, edges: [linearDefinition.edges[0], linearDefinition.edges[0]] };
    expectProblem(await t.app.inject({ method: 'PATCH', url: url(wf.id), headers: owner.headers, payload: { definitionVersion: 3, definition: dupIds } }), 400, 'validation_failed', '/definition/edges/1/id');
    expect(await graphRows(wf.id)).toEqual(graph);

    const history = await t.app.inject({ method: 'GET', url: url(wf.id, '/versions'), headers: owner.headers });
    expect(history.json().items.map((v: { definitionVersion: number }) => v.definitionVersion)).toEqual([3, 2, 1]);
    const v2 = await t.app.inject({ method: 'GET', url: url(wf.id, '/versions/2'), headers: viewer.headers });
    expect(v2.statusCode).toBe(200);
    expect(v2.json()).toMatchObject({ definitionVersion: 2, definition: next });
    expectProblem(await t.app.inject({ method: 'GET', url: url(wf.id, '/versions/99'), headers: viewer.headers }), 404, 'not_found', '/params/version');
  });

  it('lets exactly one of two concurrent saves of the same version win', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id);
    const save = (name: string) => t.app.inject({ method: 'PATCH', url: url(wf.id), headers: owner.headers, payload: { definitionVersion: 1, name } });
    const results = await Promise.all([save(`A ${uniq()}`), save(`B ${uniq()}`)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('refuses to change the kebab name with a clear 400', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id);
    const res = await t.app.inject({ method: 'PATCH', url: url(wf.id), headers: owner.headers, payload: { definitionVersion: 1, kebabName: 'something-else' } });
    const errors = expectProblem(res, 400, 'validation_failed', '/kebabName');
    expect(errors[0]!.code).toBe('immutable');
  });

  it('moves through the status rules; archived workflows are read-only until back in draft', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id);
    const status = (s: string) => t.app.inject({ method: 'POST', url: url(wf.id, '/status'), headers: owner.headers, payload: { status: s } });
    expectProblem(await status('paused'), 409, 'conflict', '/status');
    const notDeployed = await status('active');
    expectProblem(notDeployed, 409, 'conflict', '/status');
    expect(notDeployed.json().errors[0].code).toBe('not_deployed');
    await withAdmin(t.tdb, (c) => c.query(
      `insert into public.workflow_compiled_code (org_id, workflow_id, version, content_hash, workflow_code, is_active) values ($1, $2, 1, 'h', '//', true)`,
      [owner.orgId, wf.id]));
    expect((await status('active')).json().status).toBe('active');
    expect((await status('paused')).json().status).toBe('paused');
    expect((await status('paused')).statusCode).toBe(200);
    expect((await status('archived')).json().status).toBe('archived');
    const reactivate = await status('active');
    expectProblem(reactivate, 409, 'conflict', '/status');
    expect(reactivate.json().detail).toMatch(/only go back to draft/);
    expectProblem(await t.app.inject({ method: 'PATCH', url: url(wf.id), headers: owner.headers, payload: { definitionVersion: 1, name: 'x' } }), 409, 'conflict');
    expect((await status('draft')).json().status).toBe('draft');
    expectProblem(await status('deleted'), 400, 'validation_failed', '/status');
    const list = await t.app.inject({ method: 'GET', url: `${url()}?status=draft&projectId=${project.id}`, headers: viewer.headers });
    expect(list.json().items.map((w: { id: string }) => w.id)).toContain(wf.id);
  });

  it('duplicates as <kebab>-copy, then -copy-2', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Send Invoice', kebabName: `send-invoice-${uniq()}` });
    const first = await t.app.inject({ method: 'POST', url: url(wf.id, '/duplicate'), headers: owner.headers });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ kebabName: `${wf.kebabName}-copy`, name: 'Send Invoice (copy)', status: 'draft', definitionVersion: 1, definition: wf.definition });
    const second = await t.app.inject({ method: 'POST', url: url(wf.id, '/duplicate'), headers: owner.headers, payload: {} });
    expect(second.json()).toMatchObject({ kebabName: `${wf.kebabName}-copy-2`, name: 'Send Invoice (copy 2)' });
    const other = await createProject(t.app, owner);
    const moved = await t.app.inject({ method: 'POST', url: url(wf.id, '/duplicate'), headers: owner.headers, payload: { projectId: other.id, name: 'Moved' } });
    expect(moved.json()).toMatchObject({ kebabName: `${wf.kebabName}-copy`, projectId: other.id, name: 'Moved' });
    expect((await graphRows(first.json().id)).nodes).toHaveLength(4);
  });

  it('validates the saved definition or a draft sent in the body', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id);
    const ok = await t.app.inject({ method: 'POST', url: url(wf.id, '/validate'), headers: viewer.headers });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ valid: true, problems: [] });
    const broken = { ...linearDefinition, edges: linearDefinition.edges.filter((e) => e.id !== 'e_shape_end') };
    const res = await t.app.inject({ method: 'POST', url: url(wf.id, '/validate'), headers: viewer.headers, payload: { definition: broken } });
    expect(res.statusCode).toBe(200);
    expect(res.json().valid).toBe(false);
    expect(res.json().problems).toContainEqual(expect.objectContaining({ nodeId: expect.any(String), edgeId: null, code: expect.any(String), field: expect.any(String) }));
    const garbage = await t.app.inject({ method: 'POST', url: url(wf.id, '/validate'), headers: viewer.headers, payload: { definition: 'nope' } });
    expect(garbage.json()).toMatchObject({ valid: false, problems: [expect.objectContaining({ code: 'invalid_structure' })] });
  });

  it('lists with filters and pagination; viewers read but cannot write; deletes', async () => {
    const p = await createProject(t.app, owner);
    const a = await createWorkflow(t.app, owner, owner.orgId, p.id, { name: 'Alpha flow' });
    const b = await createWorkflow(t.app, owner, owner.orgId, p.id, { name: 'Beta flow' });
    const page = await t.app.inject({ method: 'GET', url: `${url()}?projectId=${p.id}&limit=1`, headers: viewer.headers });
    expect(page.json().items.map((w: { id: string }) => w.id)).toEqual([b.id]);
    expect(page.json().items[0].definition).toBeUndefined();
    const rest = await t.app.inject({ method: 'GET', url: `${url()}?projectId=${p.id}&limit=1&cursor=${page.json().nextCursor}`, headers: viewer.headers });
    expect(rest.json()).toEqual({ items: [expect.objectContaining({ id: a.id })], nextCursor: null });
    const search = await t.app.inject({ method: 'GET', url: `${url()}?projectId=${p.id}&search=alpha`, headers: viewer.headers });
    expect(search.json().items.map((w: { id: string }) => w.id)).toEqual([a.id]);
    expect((await t.app.inject({ method: 'GET', url: url(a.id), headers: viewer.headers })).statusCode).toBe(200);
    expectProblem(await t.app.inject({ method: 'PATCH', url: url(a.id), headers: viewer.headers, payload: { definitionVersion: 1, name: 'x' } }), 403, 'forbidden');
    expectProblem(await t.app.inject({ method: 'DELETE', url: url(a.id), headers: viewer.headers }), 403, 'forbidden');
    expect((await t.app.inject({ method: 'DELETE', url: url(a.id), headers: owner.headers })).statusCode).toBe(204);
    expectProblem(await t.app.inject({ method: 'GET', url: url(a.id), headers: viewer.headers }), 404, 'not_found', '/params/workflowId');
  });

  it('lists summaries: node/edge counts from stored columns that follow every save, never the definition', async () => {
    const p = await createProject(t.app, owner);
    const wf = await createWorkflow(t.app, owner, owner.orgId, p.id, { definition: linearDefinition });
    const listed = async () => {
      const res = await t.app.inject({ method: 'GET', url: `${url()}?projectId=${p.id}`, headers: viewer.headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as Array<Record<string, unknown>>;
    };
    const [first] = await listed();
    expect(first).toMatchObject({ id: wf.id, nodeCount: linearDefinition.nodes.length, edgeCount: linearDefinition.edges.length });
    expect(first).not.toHaveProperty('definition');

    const saved = await t.app.inject({ method: 'PATCH', url: url(wf.id), headers: owner.headers, payload: { definitionVersion: 1, definition: kitchenSinkDefinition } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ nodeCount: kitchenSinkDefinition.nodes.length, edgeCount: kitchenSinkDefinition.edges.length });
    expect((await listed())[0]).toMatchObject({ nodeCount: kitchenSinkDefinition.nodes.length, edgeCount: kitchenSinkDefinition.edges.length });

    // Maintained by Postgres on any write (not only the API's), and 0 for a definition without arrays.
    await withAdmin(t.tdb, (c) => c.query(`update public.workflows set definition = '{"nodes": {}}'::jsonb where id = $1`, [wf.id]));
    expect((await listed())[0]).toMatchObject({ nodeCount: 0, edgeCount: 0 });
    const rows = await withAdmin(t.tdb, (c) => c.query('select node_count, edge_count from public.workflows where id = $1', [wf.id]));
    expect(rows.rows).toEqual([{ node_count: 0, edge_count: 0 }]);
  });

  it('private workflows are visible to their creator only', async () => {
    const dev = await signUp(t.app, 'dev');
    await addMember(t.app, owner, owner.orgId, dev, 'developer');
    const mine = await createWorkflow(t.app, dev, owner.orgId, project.id, { visibility: 'private' });
    expect((await t.app.inject({ method: 'GET', url: url(mine.id), headers: dev.headers })).statusCode).toBe(200);
    expectProblem(await t.app.inject({ method: 'GET', url: url(mine.id), headers: owner.headers }), 404, 'not_found');
  });
});
