/**
 * End to end through the API, with runs that really execute: the worker harness runs a
 * WorkerManager in this process on the same database and the Temporal dev server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import {
  addMember, createProject, createWorkflow, expectProblem, signUp, uniq, withAdmin, type ProjectDto, type TestUser,
} from './test/helpers.ts';
import {
  approvalDefinition, createEngineTestApp, doublerDefinition, pollRun, startViaApi, webhookDefinition, type EngineTestApp,
} from './test/engine.ts';

describe('API end to end (real Postgres, Temporal and workers)', () => {
  let t: EngineTestApp;
  let owner: TestUser;
  let viewer: TestUser;
  let project: ProjectDto;
  beforeAll(async () => {
    t = await createEngineTestApp('api-e2e');
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
    project = await createProject(t.app, owner);
  });
  afterAll(async () => { await t?.close(); });

  const wfUrl = (id: string, tail = '') => `/v1/orgs/${owner.orgId}/workflows/${id}${tail}`;
  const runUrl = (id: string, tail = '') => `/v1/orgs/${owner.orgId}/runs/${id}${tail}`;
  const runCount = (workflowId: string) => withAdmin(t.tdb, async (c) =>
    Number((await c.query('select count(*) from public.user_workflow_run where workflow_id = $1', [workflowId])).rows[0].count));

  it('validates, deploys, refuses bad input, runs, shows steps and retries', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Doubler', definition: doublerDefinition });

    // A broken draft: the validate route lists every problem with its node and field.
    const broken: WorkflowDefinition = {
      ...doublerDefinition,
      nodes: doublerDefinition.nodes.map((n) => (n.id === 'double' ? { ...n, config: { mapping: { doubled: '{{ input.x * }}' } } } : n)),
    };
    const validation = await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/validate'), headers: viewer.headers, payload: { definition: broken } });
    expect(validation.statusCode).toBe(200);
    expect(validation.json().valid).toBe(false);
    expect(validation.json().problems).toContainEqual(expect.objectContaining({ nodeId: 'double', field: 'config.mapping.doubled' }));

    // Saved broken, a deploy is a 422 pointing into the definition; nothing is compiled.
    const saved = await t.app.inject({ method: 'PATCH', url: wfUrl(wf.id), headers: owner.headers, payload: { definitionVersion: 1, definition: broken } });
    expect(saved.statusCode, saved.body).toBe(200);
    const refused = await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/deploy'), headers: owner.headers });
    const errors = expectProblem(refused, 422, 'invalid_workflow', '/definition/nodes/1/config/mapping/doubled');
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'double', code: 'expression_syntax' }));
    expect(await withAdmin(t.tdb, async (c) => Number((await c.query('select count(*) from public.workflow_compiled_code where workflow_id = $1', [wf.id])).rows[0].count))).toBe(0);

    // Fixed, it deploys and a worker picks it up.
    const fixed = await t.app.inject({ method: 'PATCH', url: wfUrl(wf.id), headers: owner.headers, payload: { definitionVersion: 2, definition: doublerDefinition } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const deployed = await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/deploy?wait=60'), headers: owner.headers });
    expect(deployed.statusCode, deployed.body).toBe(200);
    expect(deployed.json()).toMatchObject({ version: 1, reused: false, pickedUp: true, workflowType: expect.stringMatching(/^wf_doubler_v1$/) });
    expect(Date.parse(deployed.json().pickedUpAt)).not.toBeNaN();

    // Bad input: 400 naming the field, nothing recorded.
    const bad = await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/runs'), headers: owner.headers, payload: { input: { x: 'seven' } } });
    expectProblem(bad, 400, 'validation_failed', '/input/x');
    const missing = await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/runs'), headers: owner.headers, payload: {} });
    expectProblem(missing, 400, 'validation_failed', '/input/x');
    expect(await runCount(wf.id)).toBe(0);

    // A run, linked to the request id end to end.
    const requestId = `e2e-${uniq()}`;
    const started = await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/runs'), headers: { ...owner.headers, 'x-request-id': requestId }, payload: { input: { x: 7 }, context: { customer: 'acme' } } });
    expect(started.statusCode, started.body).toBe(201);
    const { runId, temporalWorkflowId } = started.json();
    expect(started.json()).toMatchObject({ requestId, temporalWorkflowId: `wb-${runId}`, version: 1 });
    const detail = await pollRun(t.app, viewer, owner.orgId, runId);
    expect(detail.run).toMatchObject({
      runId, status: 'completed', channel: 'web', output: { doubled: 14 }, input: { x: 7 }, requestId, compiledVersion: 1,
      context: { customer: 'acme' }, workflowName: 'Doubler', temporalWorkflowId, errorMessage: null, definition: doublerDefinition,
    });
    expect(detail.steps.map((s) => [s.stepNumber, s.nodeId, s.status])).toEqual([[1, 'start', 'succeeded'], [2, 'double', 'succeeded'], [3, 'done', 'succeeded']]);
    expect(detail.steps[1]).toMatchObject({ nodeKind: 'transform', output: { doubled: 14 }, attemptCount: expect.any(Number), events: expect.any(Array) });
    const description = await t.h.client.workflow.getHandle(temporalWorkflowId).describe();
    expect(description.searchAttributes['WbRequestId']).toEqual([requestId]);

    // Retry: a new run with the same input, findable by its context.
    const retry = await t.app.inject({ method: 'POST', url: runUrl(runId, '/retry'), headers: owner.headers });
    expect(retry.statusCode, retry.body).toBe(201);
    const retried = await pollRun(t.app, owner, owner.orgId, retry.json().runId);
    expect(retried.run).toMatchObject({ status: 'completed', channel: 'retry', input: { x: 7 }, output: { doubled: 14 }, context: { retryOf: runId } });
    const byContext = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/runs?q=${encodeURIComponent(JSON.stringify({ retryOf: runId }))}`, headers: viewer.headers });
    expect(byContext.json().items.map((r: { runId: string }) => r.runId)).toEqual([retry.json().runId]);
    const list = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/runs?workflowId=${wf.id}&status=completed`, headers: viewer.headers });
    expect(list.json().items).toHaveLength(2);
    expect(list.json().items[1]).toMatchObject({ runId, workflowId: wf.id, workflowName: 'Doubler', projectId: project.id, status: 'completed', channel: 'web', compiledVersion: 1, clientId: null });
    // A number; not asserted >= 0: a run shorter than the engine's post-start update can record -1 (reported upstream).
    expect(list.json().items[1].durationMs).toEqual(expect.any(Number));

    // Viewers read runs but do not start or retry them.
    expectProblem(await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/runs'), headers: viewer.headers, payload: { input: { x: 1 } } }), 403, 'forbidden');
    expectProblem(await t.app.inject({ method: 'POST', url: runUrl(runId, '/retry'), headers: viewer.headers }), 403, 'forbidden');

    // Undeployed: new runs are refused, the history stays.
    expect((await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/undeploy'), headers: owner.headers })).statusCode).toBe(204);
    const notDeployed = await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/runs'), headers: owner.headers, payload: { input: { x: 1 } } });
    expectProblem(notDeployed, 409, 'conflict', '/params/workflowId');
    expect(notDeployed.json().errors[0].code).toBe('not_deployed');
  });

  it('signals an approval, queries, cancels and terminates runs', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Approval', definition: approvalDefinition(600) });
    const deployed = await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/deploy?wait=60'), headers: owner.headers });
    expect(deployed.json()).toMatchObject({ pickedUp: true });
    const waiting = (d: { steps: Array<{ nodeId: string; status: string }> }) => d.steps.some((s) => s.nodeId === 'wait' && s.status === 'running');

    const a = await startViaApi(t.app, owner, owner.orgId, wf.id, {});
    await pollRun(t.app, owner, owner.orgId, a.runId, waiting);
    const state = await t.app.inject({ method: 'GET', url: runUrl(a.runId, '/query'), headers: viewer.headers });
    expect(state.statusCode, state.body).toBe(200);
    expect(state.json()).toMatchObject({ name: 'wbState', result: expect.anything() });
    expect(JSON.stringify(state.json().result)).toContain('wait');
    const unknownQuery = await t.app.inject({ method: 'GET', url: runUrl(a.runId, '/query?name=nope'), headers: viewer.headers });
    expectProblem(unknownQuery, 400, 'validation_failed', '/query/name');
    expectProblem(await t.app.inject({ method: 'POST', url: runUrl(a.runId, '/signal'), headers: viewer.headers, payload: { name: 'approve', payload: { decision: 'no' } } }), 403, 'forbidden');
    const signal = await t.app.inject({ method: 'POST', url: runUrl(a.runId, '/signal'), headers: owner.headers, payload: { name: 'approve', payload: { decision: 'ship it' } } });
    expect(signal.statusCode, signal.body).toBe(202);
    const approved = await pollRun(t.app, owner, owner.orgId, a.runId);
    expect(approved.run).toMatchObject({ status: 'completed', output: { decision: 'ship it' } });
    const late = await t.app.inject({ method: 'POST', url: runUrl(a.runId, '/signal'), headers: owner.headers, payload: { name: 'approve', payload: {} } });
    expectProblem(late, 409, 'conflict', '/params/runId');
    expect(late.json().errors[0].code).toBe('not_running');

    const b = await startViaApi(t.app, owner, owner.orgId, wf.id, {});
    await pollRun(t.app, owner, owner.orgId, b.runId, waiting);
    const cancel = await t.app.inject({ method: 'POST', url: runUrl(b.runId, '/cancel'), headers: owner.headers });
    expect(cancel.statusCode, cancel.body).toBe(202);
    const cancelled = await pollRun(t.app, owner, owner.orgId, b.runId);
    expect(cancelled.run.status).toBe('cancelled');
    expect(cancelled.steps.find((s) => s.nodeId === 'wait')?.status).toBe('cancelled');
    expectProblem(await t.app.inject({ method: 'POST', url: runUrl(b.runId, '/cancel'), headers: owner.headers }), 409, 'conflict', '/params/runId');

    const c = await startViaApi(t.app, owner, owner.orgId, wf.id, {});
    await pollRun(t.app, owner, owner.orgId, c.runId, waiting);
    const terminate = await t.app.inject({ method: 'POST', url: runUrl(c.runId, '/terminate'), headers: owner.headers, payload: { reason: 'enough waiting' } });
    expect(terminate.statusCode, terminate.body).toBe(202);
    expect(terminate.json()).toEqual({ runId: c.runId, status: 'terminated' });
    const terminated = await pollRun(t.app, owner, owner.orgId, c.runId);
    expect(terminated.run.errorMessage).toContain('enough waiting');
  });

  it('starts a run from a webhook call, as the token creator, with the request as input', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Hooked', definition: webhookDefinition('POST') });
    const deployed = await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/deploy?wait=60'), headers: owner.headers });
    expect(deployed.json()).toMatchObject({ pickedUp: true });
    const created = await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/webhooks'), headers: owner.headers });
    expect(created.statusCode, created.body).toBe(201);
    const { token, url } = created.json();
    expect(new URL(url).pathname).toBe(`/v1/hooks/${token}`);

    const call = await t.app.inject({
      method: 'POST', url: `/v1/hooks/${token}?tag=t1`,
      headers: { 'user-agent': 'e2e-agent', 'x-delivery': 'd-1', cookie: 'secret=1', authorization: 'Bearer nope' },
      payload: { hello: 'world' },
    });
    expect(call.statusCode, call.body).toBe(202);
    const run = await pollRun(t.app, owner, owner.orgId, call.json().runId);
    expect(run.run).toMatchObject({
      status: 'completed', channel: 'webhook', createdBy: owner.userId,
      output: { hello: 'world', method: 'POST', tag: 't1', agent: 'e2e-agent' },
      input: { method: 'POST', query: { tag: 't1' }, body: { hello: 'world' }, headers: { 'user-agent': 'e2e-agent', 'x-delivery': 'd-1', 'content-type': 'application/json' } },
    });
    expect(Object.keys((run.run.input as { headers: object }).headers).sort()).toEqual(['content-type', 'user-agent', 'x-delivery']);

    const byHeader = await t.app.inject({ method: 'POST', url: '/v1/hooks', headers: { 'x-webhook-token': token }, payload: { hello: 'header' } });
    expect(byHeader.statusCode, byHeader.body).toBe(202);
    const second = await pollRun(t.app, owner, owner.orgId, byHeader.json().runId);
    expect(second.run.output).toMatchObject({ hello: 'header' });
    expect(JSON.stringify(second.run.input)).not.toContain(token);
  });

  it('shows the compiled version and exports it as a zip with package.json', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Exported', definition: doublerDefinition });
    await t.app.inject({ method: 'POST', url: wfUrl(wf.id, '/deploy?wait=60'), headers: owner.headers });
    const compiled = await t.app.inject({ method: 'GET', url: wfUrl(wf.id, '/compiled'), headers: viewer.headers });
    expect(compiled.statusCode, compiled.body).toBe(200);
    expect(compiled.json()).toMatchObject({ version: 1, isActive: true, workflowType: 'wf_exported_v1', definition: doublerDefinition, files: { workflowCode: expect.stringContaining('wf_exported_v1') } });
    expect(compiled.json().pickedUpAt).not.toBeNull();

    const zip = await t.app.inject({ method: 'GET', url: wfUrl(wf.id, '/export'), headers: viewer.headers });
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.headers['content-disposition']).toBe('attachment; filename="exported-v1.zip"');
    const files = unzipSync(new Uint8Array(zip.rawPayload));
    expect(Object.keys(files)).toContain('exported-v1/package.json');
    expect(JSON.parse(strFromU8(files['exported-v1/package.json']!))).toMatchObject({ name: expect.any(String) });
  });
});
