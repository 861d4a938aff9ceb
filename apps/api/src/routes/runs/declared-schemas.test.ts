import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, createWorkflow, expectProblem, signUp, withAdmin, type TestUser } from '../../test/helpers.ts';
import { approvalDefinition, createEngineTestApp, deployViaApi, startViaApi, type EngineTestApp } from '../../test/engine.ts';

/**
 * A declared schema the API cannot compile (a `pattern` that is no regular expression) in a saved
 * draft or a version deployed before validation reported it: run starts and signals are refused
 * as the workflow's problem (422 naming the declaration), never a 500, and nothing is recorded.
 */
describe('declared schemas that cannot be compiled', () => {
  let t: EngineTestApp;
  let owner: TestUser;
  beforeAll(async () => {
    t = await createEngineTestApp('declared-schemas');
    owner = await signUp(t.app, 'owner');
  }, 120_000);
  afterAll(() => t?.close());

  const runCount = (workflowId: string) => withAdmin(t.tdb, async (c) =>
    Number((await c.query('select count(*) from public.user_workflow_run where workflow_id = $1', [workflowId])).rows[0].count));

  it('refuses a run start when the input schema has an invalid pattern (422 on /definition/inputSchema)', async () => {
    const project = await createProject(t.app, owner);
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: approvalDefinition(600) });
    await deployViaApi(t.app, owner, owner.orgId, wf.id);
    // A draft may be saved with problems; run inputs are checked against the saved input schema.
    const draft = { ...approvalDefinition(600), inputSchema: { type: 'object', properties: { code: { type: 'string', pattern: '(' } } } };
    const saved = await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${owner.orgId}/workflows/${wf.id}`, headers: owner.headers, payload: { definitionVersion: 1, definition: draft } });
    expect(saved.statusCode, saved.body).toBe(200);
    const before = await runCount(wf.id);
    const res = await t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${wf.id}/runs`, headers: owner.headers, payload: { input: { code: 'x' } } });
    const errors = expectProblem(res, 422, 'invalid_workflow');
    expect(errors.map((e) => e.field).join(' ')).toContain('inputSchema');
    expect(await runCount(wf.id), 'nothing recorded').toBe(before);
  }, 60_000);

  it('refuses a signal whose declared parameters schema has an invalid pattern (a version deployed before validation caught it)', async () => {
    const project = await createProject(t.app, owner);
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: approvalDefinition(600) });
    await deployViaApi(t.app, owner, owner.orgId, wf.id);
    const signal = approvalDefinition(600).signals![0]!.name;
    await withAdmin(t.tdb, (c) => c.query(
      `update public.workflow_compiled_code set definition = jsonb_set(definition, '{signals,0,parametersSchema}', $2::jsonb) where workflow_id = $1`,
      [wf.id, JSON.stringify({ type: 'object', properties: { note: { type: 'string', pattern: '[' } } })]));
    const { runId } = await startViaApi(t.app, owner, owner.orgId, wf.id, {});
    const res = await t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/runs/${runId}/signal`, headers: owner.headers, payload: { name: signal, payload: { note: 'x' } } });
    const errors = expectProblem(res, 422, 'invalid_workflow');
    expect(errors.map((e) => e.field).join(' ')).toContain('parametersSchema');
  }, 60_000);
});
