import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import {
  addMember, createProject, createTestApp, createWorkflow, expectProblem, signUp, withAdmin, type ProjectDto, type TestApp, type TestUser,
} from '../../test/helpers.ts';
import { doublerDefinition } from '../../test/engine.ts';

/** Compile, deploy, undeploy, compiled and export, without a worker (nothing picks deploys up). */
describe('deployments', () => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  let project: ProjectDto;
  beforeAll(async () => {
    t = await createTestApp('deployments');
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
    project = await createProject(t.app, owner);
  });
  afterAll(() => t.close());

  const url = (id: string, tail: string) => `/v1/orgs/${owner.orgId}/workflows/${id}${tail}`;
  const compiledRows = (workflowId: string) => withAdmin(t.tdb, async (c) =>
    (await c.query('select version, is_active, compiled_by is not null as by from public.workflow_compiled_code where workflow_id = $1 order by version', [workflowId])).rows);

  it('compiles into a stored, inactive version; identical code reuses it; an edit makes the next one', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Compile me', definition: doublerDefinition });
    const first = await t.app.inject({ method: 'POST', url: url(wf.id, '/compile'), headers: owner.headers });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      version: 1, reused: false, workflowType: 'wf_compile_me_v1', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      files: { workflowCode: expect.stringContaining('wf_compile_me_v1'), activitiesCode: expect.any(String), workerCode: expect.any(String), packageJson: expect.any(String), tsconfigJson: expect.any(String) },
    });
    expect(JSON.parse(first.json().files.packageJson)).toEqual(expect.any(Object));
    const again = await t.app.inject({ method: 'POST', url: url(wf.id, '/compile'), headers: owner.headers, payload: {} });
    expect(again.json()).toMatchObject({ version: 1, reused: true, contentHash: first.json().contentHash });
    expect(await compiledRows(wf.id)).toEqual([{ version: 1, is_active: false, by: true }]);
    expectProblem(await t.app.inject({ method: 'GET', url: url(wf.id, '/compiled'), headers: viewer.headers }), 404, 'not_found', '/params/workflowId');
    const v1 = await t.app.inject({ method: 'GET', url: url(wf.id, '/compiled?version=1'), headers: viewer.headers });
    expect(v1.json()).toMatchObject({ version: 1, isActive: false, pickedUpAt: null, definition: doublerDefinition });

    const edited: WorkflowDefinition = { ...doublerDefinition, nodes: doublerDefinition.nodes.map((n) => (n.id === 'double' ? { ...n, label: 'Twice' } : n)) };
    await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${owner.orgId}/workflows/${wf.id}`, headers: owner.headers, payload: { definitionVersion: 1, definition: edited } });
    const second = await t.app.inject({ method: 'POST', url: url(wf.id, '/compile'), headers: owner.headers });
    expect(second.json()).toMatchObject({ version: 2, reused: false, workflowType: 'wf_compile_me_v2' });
    expect(await compiledRows(wf.id)).toEqual([{ version: 1, is_active: false, by: true }, { version: 2, is_active: false, by: true }]);
  });

  it('deploys (compile + activate), waits a bounded time for a worker, and undeploys', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Deploy me', definition: doublerDefinition });
    const now = await t.app.inject({ method: 'POST', url: url(wf.id, '/deploy?wait=0'), headers: owner.headers });
    expect(now.statusCode, now.body).toBe(200);
    expect(now.json()).toEqual({ version: 1, workflowType: 'wf_deploy_me_v1', contentHash: expect.any(String), reused: false, pickedUp: false, pickedUpAt: null, schedule: null });
    const row = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/workflows/${wf.id}`, headers: viewer.headers });
    expect(row.json()).toMatchObject({ status: 'active', deployedAt: expect.any(String) });

    // No worker here: the wait runs out and the answer is still a 200.
    const started = Date.now();
    const waited = await t.app.inject({ method: 'POST', url: url(wf.id, '/deploy?wait=1'), headers: owner.headers });
    expect(waited.json()).toMatchObject({ version: 1, reused: true, pickedUp: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(5000);
    // Once the worker manager marks it, deploy reports it at once.
    await withAdmin(t.tdb, (c) => c.query('update public.workflow_compiled_code set picked_up_at = now() where workflow_id = $1', [wf.id]));
    const picked = await t.app.inject({ method: 'POST', url: url(wf.id, '/deploy'), headers: owner.headers });
    expect(picked.json()).toMatchObject({ version: 1, reused: true, pickedUp: true, pickedUpAt: expect.any(String) });

    const compiled = await t.app.inject({ method: 'GET', url: url(wf.id, '/compiled'), headers: viewer.headers });
    expect(compiled.json()).toMatchObject({ version: 1, isActive: true, pickedUpAt: expect.any(String), definition: doublerDefinition });

    expect((await t.app.inject({ method: 'POST', url: url(wf.id, '/undeploy'), headers: owner.headers })).statusCode).toBe(204);
    expect(await compiledRows(wf.id)).toEqual([{ version: 1, is_active: false, by: true }]);
    const run = await t.app.inject({ method: 'POST', url: url(wf.id, '/runs'), headers: owner.headers, payload: { input: { x: 1 } } });
    expectProblem(run, 409, 'conflict', '/params/workflowId');
    expect(run.json().errors[0].code).toBe('not_deployed');
  });

  it('refuses a definition with problems: 422 pointing into the definition, naming the node; nothing stored', async () => {
    const broken: WorkflowDefinition = {
      ...doublerDefinition,
      nodes: [
        ...doublerDefinition.nodes.map((n) => (n.id === 'double' ? { ...n, config: { mapping: { doubled: '{{ input.x * }}' } } } : n)),
        { id: 'orphan', kind: 'transform', label: 'Orphan', config: { mapping: {} }, position: { x: 9, y: 9 } },
      ],
    };
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: broken });
    for (const tail of ['/compile', '/deploy']) {
      const res = await t.app.inject({ method: 'POST', url: url(wf.id, tail), headers: owner.headers });
      const errors = expectProblem(res, 422, 'invalid_workflow', '/definition/nodes/1/config/mapping/doubled');
      expect(errors).toContainEqual({ field: '/definition/nodes/1/config/mapping/doubled', nodeId: 'double', code: 'expression_syntax', message: expect.any(String) });
      expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'orphan', field: expect.stringMatching(/^\/definition\/nodes\/3/) }));
    }
    expect(await compiledRows(wf.id)).toEqual([]);
    const saved = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/workflows/${wf.id}`, headers: owner.headers });
    expect(saved.json()).toMatchObject({ status: 'draft', deployedAt: null });
  });

  it('answers 409 for archived workflows and runs of paused ones', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: doublerDefinition });
    const status = (s: string) => t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${wf.id}/status`, headers: owner.headers, payload: { status: s } });
    expect((await t.app.inject({ method: 'POST', url: url(wf.id, '/deploy?wait=0'), headers: owner.headers })).statusCode).toBe(200);
    expect((await status('paused')).statusCode).toBe(200);
    const paused = await t.app.inject({ method: 'POST', url: url(wf.id, '/runs'), headers: owner.headers, payload: { input: { x: 1 } } });
    expectProblem(paused, 409, 'conflict', '/params/workflowId');
    expect(paused.json().errors[0].code).toBe('workflow_paused');
    expect((await status('archived')).statusCode).toBe(200);
    const archived = await t.app.inject({ method: 'POST', url: url(wf.id, '/deploy'), headers: owner.headers });
    expectProblem(archived, 409, 'conflict', '/params/workflowId');
    expect(archived.json().errors[0].code).toBe('workflow_archived');
  });

  it('exports a version as a zip download', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Zip me', definition: doublerDefinition });
    expectProblem(await t.app.inject({ method: 'GET', url: url(wf.id, '/export'), headers: viewer.headers }), 404, 'not_found', '/params/workflowId');
    await t.app.inject({ method: 'POST', url: url(wf.id, '/compile'), headers: owner.headers });
    const res = await t.app.inject({ method: 'GET', url: url(wf.id, '/export?version=1'), headers: viewer.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="zip-me-v1.zip"');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['zip-me-v1/package.json']));
    expect(strFromU8(files['zip-me-v1/package.json']!)).toContain('"name"');
    expectProblem(await t.app.inject({ method: 'GET', url: url(wf.id, '/export?version=7'), headers: viewer.headers }), 404, 'not_found', '/query/version');
  });

  it('validates parameters and bodies with field paths; viewers cannot compile or deploy', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: doublerDefinition });
    expectProblem(await t.app.inject({ method: 'POST', url: url(wf.id, '/deploy?wait=61'), headers: owner.headers }), 400, 'validation_failed', '/query/wait');
    expectProblem(await t.app.inject({ method: 'POST', url: url(wf.id, '/deploy?wait=-1'), headers: owner.headers }), 400, 'validation_failed', '/query/wait');
    expectProblem(await t.app.inject({ method: 'POST', url: url(wf.id, '/deploy?hurry=1'), headers: owner.headers }), 400, 'validation_failed', '/query/hurry');
    expectProblem(await t.app.inject({ method: 'POST', url: url(wf.id, '/compile'), headers: owner.headers, payload: { force: true } }), 400, 'validation_failed', '/force');
    expectProblem(await t.app.inject({ method: 'GET', url: url(wf.id, '/compiled?version=0'), headers: owner.headers }), 400, 'validation_failed', '/query/version');
    expectProblem(await t.app.inject({ method: 'GET', url: url(wf.id, '/compiled?version=abc'), headers: owner.headers }), 400, 'validation_failed', '/query/version');
    expectProblem(await t.app.inject({ method: 'GET', url: url(wf.id, '/compiled?version=5'), headers: owner.headers }), 404, 'not_found', '/query/version');
    expectProblem(await t.app.inject({ method: 'POST', url: url('not-a-uuid', '/compile'), headers: owner.headers }), 400, 'validation_failed', '/params/workflowId');
    expectProblem(await t.app.inject({ method: 'POST', url: url(crypto.randomUUID(), '/deploy'), headers: owner.headers }), 404, 'not_found', '/params/workflowId');
    expectProblem(await t.app.inject({ method: 'POST', url: url(wf.id, '/compile'), headers: viewer.headers }), 403, 'forbidden', '/params/orgId');
    expectProblem(await t.app.inject({ method: 'POST', url: url(wf.id, '/deploy'), headers: viewer.headers }), 403, 'forbidden', '/params/orgId');
    expectProblem(await t.app.inject({ method: 'POST', url: url(wf.id, '/undeploy'), headers: viewer.headers }), 403, 'forbidden', '/params/orgId');
    expect(await compiledRows(wf.id)).toEqual([]);
  });

  it('mirrors a schedule trigger to a Temporal Schedule: created on deploy, paused with the workflow and on undeploy, deleted on archive', async () => {
    const nightly: WorkflowDefinition = {
      schemaVersion: 1,
      nodes: [
        { id: 'tick', kind: 'trigger.schedule', label: 'Nightly', config: { cron: '0 3 * * 1-5', timezone: 'America/New_York' }, position: { x: 0, y: 0 } },
        { id: 'done', kind: 'output.end', label: 'Done', config: { output: { ok: 'yes' } }, position: { x: 250, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'tick', target: 'done' }],
    };
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Weekday report', definition: nightly });
    const deployed = await t.app.inject({ method: 'POST', url: url(wf.id, '/deploy?wait=0'), headers: owner.headers });
    expect(deployed.statusCode, deployed.body).toBe(200);
    expect(deployed.json().schedule).toEqual({ scheduleId: `wb-schedule-${wf.id}`, cron: '0 3 * * 1-5', timezone: 'America/New_York', paused: false, error: null });
    const client = await t.app.temporal.client();
    const handle = client.schedule.getHandle(`wb-schedule-${wf.id}`);
    expect((await handle.describe()).state.paused).toBe(false);

    const paused = await t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${wf.id}/status`, headers: owner.headers, payload: { status: 'paused' } });
    expect(paused.statusCode, paused.body).toBe(200);
    expect((await handle.describe()).state.paused).toBe(true);

    expect((await t.app.inject({ method: 'POST', url: url(wf.id, '/undeploy'), headers: owner.headers })).statusCode).toBe(204);
    // Undeploy keeps the schedule (its settings, remaining runs and history) but it cannot fire.
    expect((await handle.describe()).state).toMatchObject({ paused: true });
    const archived = await t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${wf.id}/status`, headers: owner.headers, payload: { status: 'archived' } });
    expect(archived.statusCode, archived.body).toBe(200);
    await expect(handle.describe()).rejects.toMatchObject({ name: 'ScheduleNotFoundError' });
  });
});
