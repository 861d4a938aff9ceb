import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember, createProject, createTestApp, createWorkflow, expectProblem, signUp, uniq, withAdmin, type ProjectDto, type TestApp, type TestUser,
} from '../../test/helpers.ts';
import { approvalDefinition, deployViaApi, doublerDefinition, startViaApi } from '../../test/engine.ts';
import { parseContextFilter, temporalUiUrl } from './index.ts';

/**
 * Runs started on the real Temporal server with no worker: they stay `running`, which is all
 * listing, detail and the control routes need (the end-to-end test runs them for real).
 */
describe('runs', () => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  let project: ProjectDto;
  let doubler: string;
  let approval: string;
  beforeAll(async () => {
    t = await createTestApp('runs', { TEMPORAL_UI_URL: 'http://temporal-ui.test:8233/', WB_RUN_QUERY_TIMEOUT_SECONDS: '1' });
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
    project = await createProject(t.app, owner);
    doubler = (await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Doubler', definition: doublerDefinition })).id;
    approval = (await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Approval', definition: approvalDefinition(600) })).id;
    await deployViaApi(t.app, owner, owner.orgId, doubler);
    await deployViaApi(t.app, owner, owner.orgId, approval);
  });
  afterAll(() => t.close());

  const runs = (qs = '', user = viewer) => t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/runs${qs}`, headers: user.headers });
  const ids = (res: { json(): { items: Array<{ runId: string }> } }) => res.json().items.map((r) => r.runId);
  const runUrl = (id: string, tail = '') => `/v1/orgs/${owner.orgId}/runs/${id}${tail}`;

  it('starts a run: 201 with the ids, channel by caller kind, the request id recorded', async () => {
    const requestId = `req-${uniq()}`;
    const res = await t.app.inject({
      method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${doubler}/runs`, headers: { ...owner.headers, 'x-request-id': requestId },
      payload: { input: { x: 2 }, context: { batch: 'b1' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toEqual({ runId: expect.any(String), temporalWorkflowId: `wb-${body.runId}`, temporalRunId: expect.any(String), workflowType: 'wf_doubler_v1', version: 1, requestId });
    const row = await withAdmin(t.tdb, async (c) => (await c.query('select channel, request_id, status, input, context, created_by from public.user_workflow_run where run_id = $1', [body.runId])).rows[0]);
    expect(row).toEqual({ channel: 'web', request_id: requestId, status: 'running', input: { x: 2 }, context: { batch: 'b1' }, created_by: owner.userId });

    const token = (await t.app.inject({ method: 'POST', url: '/v1/auth/tokens', headers: owner.headers, payload: { name: 'runs' } })).json().token as string;
    const viaToken = await startViaApi(t.app, { ...owner, headers: { authorization: `Bearer ${token}` } }, owner.orgId, doubler, { x: 3 });
    const detail = await t.app.inject({ method: 'GET', url: runUrl(viaToken.runId), headers: viewer.headers });
    expect(detail.json().run.channel).toBe('api');
  });

  it('refuses bad starts with field paths and records nothing', async () => {
    const count = () => withAdmin(t.tdb, async (c) => Number((await c.query('select count(*) from public.user_workflow_run')).rows[0].count));
    const before = await count();
    const post = (payload: unknown, workflowId = doubler) => t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${workflowId}/runs`, headers: owner.headers, payload: payload as object });
    expectProblem(await post({ input: { x: 1.5 } }), 400, 'validation_failed', '/input/x');
    expectProblem(await post({ input: { x: 1, y: 2 } }), 400, 'validation_failed', '/input/y');
    expectProblem(await post({ input: [] }), 400, 'validation_failed', '/input');
    expectProblem(await post({ input: { x: 1 }, clientId: 'nope' }), 400, 'validation_failed', '/clientId');
    expectProblem(await post({ input: { x: 1 }, clientId: crypto.randomUUID() }), 400, 'validation_failed', '/clientId');
    expectProblem(await post({ input: { x: 1 }, priority: 'high' }), 400, 'validation_failed', '/priority');
    expectProblem(await post({ input: { x: 1 }, context: 'label' }), 400, 'validation_failed', '/context');
    expectProblem(await post({ input: { x: 1 } }, crypto.randomUUID()), 404, 'not_found', '/params/workflowId');
    expectProblem(await t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${doubler}/runs`, headers: viewer.headers, payload: { input: { x: 1 } } }), 403, 'forbidden');
    const draft = await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: doublerDefinition });
    const notDeployed = await post({ input: { x: 1 } }, draft.id);
    expectProblem(notDeployed, 409, 'conflict', '/params/workflowId');
    expect(notDeployed.json().errors[0].code).toBe('not_deployed');
    expect(await count()).toBe(before);
  });

  it('lists newest first with keyset pages and every filter', async () => {
    const p2 = await createProject(t.app, owner);
    const wf = (await createWorkflow(t.app, owner, owner.orgId, p2.id, { name: 'Listed', definition: approvalDefinition(600) })).id;
    await deployViaApi(t.app, owner, owner.orgId, wf);
    const clientId = await withAdmin(t.tdb, async (c) => (await c.query('insert into public.clients (org_id, name) values ($1, $2) returning id', [owner.orgId, `client ${uniq()}`])).rows[0].id as string);
    const started: string[] = [];
    for (let i = 0; i < 5; i++) {
      started.push((await startViaApi(t.app, owner, owner.orgId, wf, {}, { context: { idx: i, tags: ['t', `t${i % 2}`], nested: { even: i % 2 === 0 } }, ...(i === 4 ? { clientId } : {}) })).runId);
    }
    const newestFirst = [...started].reverse();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await runs(`?workflowId=${wf}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode, page.body).toBe(200);
      expect(page.json().items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(page));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(newestFirst);

    const first = (await runs(`?workflowId=${wf}&limit=1`)).json().items[0];
    expect(first).toEqual({
      runId: newestFirst[0], workflowId: wf, workflowName: 'Listed', projectId: p2.id, status: 'running', channel: 'web',
      startedAt: expect.any(String), endedAt: null, durationMs: null, createdAt: expect.any(String), compiledVersion: 1, clientId,
    });
    expect(ids(await runs(`?projectId=${p2.id}`))).toEqual(newestFirst);
    expect(ids(await runs(`?clientId=${clientId}`))).toEqual([started[4]]);
    const q = (v: unknown) => runs(`?workflowId=${wf}&q=${encodeURIComponent(JSON.stringify(v))}`);
    expect(ids(await q({ idx: 2 }))).toEqual([started[2]]);
    expect(ids(await q({ tags: ['t1'] }))).toEqual([started[3], started[1]]);
    expect(ids(await q({ nested: { even: true } }))).toEqual([started[4], started[2], started[0]]);
    expect(ids(await q({ idx: 99 }))).toEqual([]);

    await withAdmin(t.tdb, (c) => c.query("update public.user_workflow_run set status = 'failed', created_at = now() - interval '2 days' where run_id = $1", [started[0]]));
    expect(ids(await runs(`?workflowId=${wf}&status=failed`))).toEqual([started[0]]);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    expect(ids(await runs(`?workflowId=${wf}&from=${yesterday}`))).toEqual(newestFirst.slice(0, 4));
    expect(ids(await runs(`?workflowId=${wf}&to=${yesterday}`))).toEqual([started[0]]);

    // `context @> $1::jsonb` is answerable by the GIN (jsonb_path_ops) index (shown with seq scans off: the table is tiny).
    const plan = await withAdmin(t.tdb, async (c) => {
      await c.query('begin; set local enable_seqscan = off');
      const r = await c.query(`explain select run_id from public.user_workflow_run r where r.context @> $1::jsonb`, [JSON.stringify({ idx: 2 })]);
      await c.query('rollback');
      return r.rows.map((x: Record<string, string>) => x['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('idx_run_context_gin');
  });

  it('rejects bad list parameters with field paths', async () => {
    expectProblem(await runs('?limit=201'), 400, 'validation_failed', '/query/limit');
    expectProblem(await runs('?limit=0'), 400, 'validation_failed', '/query/limit');
    expectProblem(await runs('?cursor=bm9wZQ'), 400, 'validation_failed', '/query/cursor');
    expectProblem(await runs('?status=exploded'), 400, 'validation_failed', '/query/status');
    expectProblem(await runs('?workflowId=123'), 400, 'validation_failed', '/query/workflowId');
    expectProblem(await runs('?from=yesterday'), 400, 'validation_failed', '/query/from');
    expectProblem(await runs(`?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`), 400, 'validation_failed', '/query/to');
    expectProblem(await runs(`?q=${encodeURIComponent('{bad')}`), 400, 'validation_failed', '/query/q');
    expectProblem(await runs(`?q=${encodeURIComponent('[1,2]')}`), 400, 'validation_failed', '/query/q');
    expectProblem(await runs(`?q=${encodeURIComponent('"text"')}`), 400, 'validation_failed', '/query/q');
    expectProblem(await runs(`?q=${encodeURIComponent(JSON.stringify({ a: 'x\u0000y' }))}`), 400, 'validation_failed', '/query/q/a');
    expectProblem(await runs(`?sort=asc`), 400, 'validation_failed', '/query/sort');
  });

  it('shows a run with its definition, steps and Temporal link; 404 for others', async () => {
    const { runId } = await startViaApi(t.app, owner, owner.orgId, doubler, { x: 5 });
    const res = await t.app.inject({ method: 'GET', url: runUrl(runId), headers: viewer.headers });
    expect(res.statusCode, res.body).toBe(200);
    const { run, steps, stepsTruncated } = res.json();
    expect(run).toMatchObject({
      runId, orgId: owner.orgId, workflowId: doubler, workflowName: 'Doubler', projectId: project.id, workstreamSlug: project.workstreamSlug,
      status: 'running', channel: 'web', input: { x: 5 }, output: null, context: {}, configSnapshot: null, errorMessage: null,
      compiledVersion: 1, createdBy: owner.userId, definition: doublerDefinition, temporalWorkflowId: `wb-${runId}`,
    });
    const ns = process.env.WB_TEST_TEMPORAL_NAMESPACE!;
    expect(run.temporalUiUrl).toBe(`http://temporal-ui.test:8233/namespaces/${ns}/workflows/wb-${runId}/${run.temporalRunId}/history`);
    expect(steps).toEqual([]);
    expect(stepsTruncated).toBe(false);

    // Steps as the worker records them.
    await withAdmin(t.tdb, (c) => c.query(
      `insert into public.user_workflow_run_step (org_id, run_id, node_id, node_kind, step_number, status, attempt_count, input_data, output_data, events)
       values ($1, $2, 'start', 'trigger', 1, 'succeeded', 1, '{}', '{"x":5}', '[]'), ($1, $2, 'double', 'transform', 2, 'running', 1, '{"x":5}', null, '[{"type":"started"}]')`,
      [owner.orgId, runId]));
    const withSteps = (await t.app.inject({ method: 'GET', url: runUrl(runId), headers: viewer.headers })).json();
    expect(withSteps.steps).toEqual([
      expect.objectContaining({ stepNumber: 1, nodeId: 'start', status: 'succeeded', output: { x: 5 }, retryCount: 0, attemptCount: 1, iterationKey: null }),
      expect.objectContaining({ stepNumber: 2, nodeId: 'double', nodeKind: 'transform', status: 'running', input: { x: 5 }, events: [{ type: 'started' }] }),
    ]);

    expectProblem(await t.app.inject({ method: 'GET', url: runUrl(crypto.randomUUID()), headers: viewer.headers }), 404, 'not_found', '/params/runId');
    expectProblem(await t.app.inject({ method: 'GET', url: runUrl('xyz'), headers: viewer.headers }), 400, 'validation_failed', '/params/runId');
    const stranger = await signUp(t.app, 'stranger');
    expectProblem(await t.app.inject({ method: 'GET', url: runUrl(runId), headers: stranger.headers }), 404, 'not_found', '/params/orgId');
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/orgs/${stranger.orgId}/runs/${runId}`, headers: stranger.headers }), 404, 'not_found', '/params/runId');
  });

  it('terminates, refuses to act on closed runs, retries and validates signals', async () => {
    const { runId } = await startViaApi(t.app, owner, owner.orgId, approval, {});
    const signal = (payload: unknown) => t.app.inject({ method: 'POST', url: runUrl(runId, '/signal'), headers: owner.headers, payload: payload as object });
    expectProblem(await signal({}), 400, 'validation_failed', '/name');
    expectProblem(await signal({ name: 'drop table;' }), 400, 'validation_failed', '/name');
    expectProblem(await signal({ name: 'approve', extra: 1 }), 400, 'validation_failed', '/extra');
    expect((await signal({ name: 'approve', payload: { decision: 'later' } })).statusCode).toBe(202);

    expectProblem(await t.app.inject({ method: 'POST', url: runUrl(runId, '/terminate'), headers: owner.headers, payload: { reason: '' } }), 400, 'validation_failed', '/reason');
    const terminated = await t.app.inject({ method: 'POST', url: runUrl(runId, '/terminate'), headers: owner.headers });
    expect(terminated.statusCode, terminated.body).toBe(202);
    expect(terminated.json()).toEqual({ runId, status: 'terminated' });
    const row = (await t.app.inject({ method: 'GET', url: runUrl(runId), headers: viewer.headers })).json().run;
    expect(row).toMatchObject({ status: 'terminated', errorMessage: expect.stringContaining('Terminated'), endedAt: expect.any(String) });
    for (const action of ['/cancel', '/terminate']) {
      const res = await t.app.inject({ method: 'POST', url: runUrl(runId, action), headers: owner.headers });
      expectProblem(res, 409, 'conflict', '/params/runId');
      expect(res.json().errors[0].code).toBe('not_running');
    }
    expectProblem(await signal({ name: 'approve' }), 409, 'conflict', '/params/runId');

    const retry = await t.app.inject({ method: 'POST', url: runUrl(runId, '/retry'), headers: owner.headers });
    expect(retry.statusCode, retry.body).toBe(201);
    const retried = (await t.app.inject({ method: 'GET', url: runUrl(retry.json().runId), headers: viewer.headers })).json().run;
    expect(retried).toMatchObject({ channel: 'retry', context: { retryOf: runId }, workflowId: approval });
    expectProblem(await t.app.inject({ method: 'POST', url: runUrl(crypto.randomUUID(), '/retry'), headers: owner.headers }), 404, 'not_found', '/params/runId');
    expectProblem(await t.app.inject({ method: 'POST', url: runUrl(runId, '/retry'), headers: owner.headers, payload: { input: {} } }), 400, 'validation_failed', '/input');
    expectProblem(await t.app.inject({ method: 'GET', url: runUrl(runId, '/query?name=a%20b'), headers: viewer.headers }), 400, 'validation_failed', '/query/name');
    for (const action of ['/cancel', '/terminate', '/retry']) {
      expectProblem(await t.app.inject({ method: 'POST', url: runUrl(runId, action), headers: viewer.headers }), 403, 'forbidden', '/params/orgId');
    }
  });

  it('bounds a query no worker answers: 503 after WB_RUN_QUERY_TIMEOUT_SECONDS', async () => {
    const { runId } = await startViaApi(t.app, owner, owner.orgId, approval, {});
    const started = Date.now();
    const res = await t.app.inject({ method: 'GET', url: runUrl(runId, '/query'), headers: viewer.headers });
    expect(expectProblem(res, 503, 'service_unavailable')[0]!.code).toBe('query_timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers 503 when Temporal is unreachable, recording nothing', async () => {
    const down = await createTestApp('runs-down', { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    try {
      const u = await signUp(down.app, 'owner');
      const p = await createProject(down.app, u);
      const wf = await createWorkflow(down.app, u, u.orgId, p.id, { definition: doublerDefinition });
      await deployViaApi(down.app, u, u.orgId, wf.id);
      const res = await down.app.inject({ method: 'POST', url: `/v1/orgs/${u.orgId}/workflows/${wf.id}/runs`, headers: u.headers, payload: { input: { x: 1 } } });
      expectProblem(res, 503, 'service_unavailable');
      expect(await withAdmin(down.tdb, async (c) => Number((await c.query('select count(*) from public.user_workflow_run')).rows[0].count))).toBe(0);
    } finally {
      await down.close();
    }
  });

  it('parses the context filter and builds Temporal UI links', () => {
    expect(parseContextFilter(undefined)).toBeNull();
    expect(parseContextFilter('{"a":{"b":[1]}}')).toBe('{"a":{"b":[1]}}');
    expect(() => parseContextFilter('{"a":1')).toThrow(/JSON/);
    expect(() => parseContextFilter('null')).toThrow(/object/);
    expect(() => parseContextFilter(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`)).toThrow(/nested/);
    expect(temporalUiUrl(null, 'ns', 'w', 'r')).toBeNull();
    expect(temporalUiUrl('http://ui/', 'ns', 'wb-1', 'r/1')).toBe('http://ui/namespaces/ns/workflows/wb-1/r%2F1/history');
  });
});
