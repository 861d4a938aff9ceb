import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearDefinition, workQueueDefinition } from '@workflow-builder/definition';
import { addMember, createProject, createWorkflow, expectProblem, signUp, withAdmin, type ProjectDto, type TestUser } from '../../test/helpers.ts';
import { createEngineTestApp, deployViaApi, pollRun, startViaApi, type EngineTestApp } from '../../test/engine.ts';

interface QueueState { items: Array<{ id: string }>; inFlight: { id: string } | null; processed: number; rejected: number }

describe('signals, queries and work queues through the API', () => {
  let t: EngineTestApp;
  let owner: TestUser;
  let viewer: TestUser;
  let project: ProjectDto;

  beforeAll(async () => {
    t = await createEngineTestApp('work-queues-api');
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
    project = await createProject(t.app, owner);
  });
  afterAll(() => t?.close());

  const runUrl = (runId: string, tail: string) => `/v1/orgs/${owner.orgId}/runs/${runId}${tail}`;
  const enqueue = (runId: string, item: unknown, queue = 'orders') =>
    t.app.inject({ method: 'POST', url: runUrl(runId, `/queues/${queue}/items`), headers: owner.headers, payload: { item } });
  const queueState = async (runId: string): Promise<QueueState> => {
    const res = await t.app.inject({ method: 'GET', url: runUrl(runId, '/queues/orders'), headers: viewer.headers });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { state: QueueState }).state;
  };
  const signal = (runId: string, name: string, payload?: unknown) =>
    t.app.inject({ method: 'POST', url: runUrl(runId, '/signal'), headers: owner.headers, payload: { name, ...(payload === undefined ? {} : { payload }) } });

  it('saving writes the declared and generated signals, queries and work queues in the same transaction as the graph', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: workQueueDefinition({ approval: true, queue: { maxSize: 3, order: 'priority' } }) });
    const rows = () => withAdmin(t.tdb, async (c) => ({
      queues: (await c.query('select queue_name, signal_name, query_name, max_size, priority, deduplicate, work_item_schema is not null as has_schema from public.workflow_work_queues where workflow_id = $1', [wf.id])).rows,
      signals: (await c.query(`select s.signal_name, s.auto_generated, q.queue_name, s.parameters from public.workflow_signals s
                               left join public.workflow_work_queues q on q.id = s.work_queue_id where s.workflow_id = $1 order by s.signal_name`, [wf.id])).rows,
      queries: (await c.query(`select s.query_name, s.auto_generated, q.queue_name from public.workflow_queries s
                               left join public.workflow_work_queues q on q.id = s.work_queue_id where s.workflow_id = $1 order by s.query_name`, [wf.id])).rows,
    }));
    const saved = await rows();
    expect(saved.queues).toEqual([{ queue_name: 'orders', signal_name: 'orders_add', query_name: 'orders_state', max_size: 3, priority: 'priority', deduplicate: false, has_schema: true }]);
    expect(saved.signals.map((s) => [s.signal_name, s.auto_generated, s.queue_name])).toEqual([
      ['approve', false, null], ['orders_add', true, 'orders'], ['orders_stop', true, 'orders'],
    ]);
    expect(saved.signals[0].parameters).toMatchObject({ required: ['decision'] });
    expect(saved.queries.map((s) => [s.query_name, s.auto_generated, s.queue_name])).toEqual([
      ['lastHandled', false, null], ['orders_contents', false, null], ['orders_state', true, 'orders'],
    ]);
    const res = await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${owner.orgId}/workflows/${wf.id}`, headers: owner.headers, payload: { definition: linearDefinition, definitionVersion: 1 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await rows()).toEqual({ queues: [], signals: [], queries: [] });
  });

  it('adds items (201 with position), rejects bad, duplicate and overflowing items clearly, and validates signal payloads', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, {
      definition: workQueueDefinition({ approval: true, queue: { maxSize: 2, deduplicate: true, dedupeBy: 'id' } }),
    });
    await deployViaApi(t.app, owner, owner.orgId, wf.id, 30);
    const { runId } = await startViaApi(t.app, owner, owner.orgId, wf.id, {});

    const first = await enqueue(runId, { id: 'a' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ queue: 'orders', position: 1, size: 1 });
    await expect.poll(async () => (await queueState(runId)).inFlight, { timeout: 20_000 }).toEqual({ id: 'a' });
    expect((await enqueue(runId, { id: 'b', priority: 2 })).json()).toEqual({ queue: 'orders', position: 1, size: 1 });
    const duplicate = expectProblem(await enqueue(runId, { id: 'a' }), 409, 'conflict', '/body/item');
    expect(duplicate[0]).toMatchObject({ code: 'duplicate_item', message: 'duplicate item' });
    expect((await enqueue(runId, { id: 'c' })).json()).toEqual({ queue: 'orders', position: 2, size: 2 });
    const full = expectProblem(await enqueue(runId, { id: 'd' }), 409, 'conflict', '/body/item');
    expect(full[0]).toMatchObject({ code: 'queue_full', message: 'queue full (max_size 2)' });
    expectProblem(await enqueue(runId, { priority: 1 }), 400, 'validation_failed', '/body/item/id');
    expectProblem(await enqueue(runId, { id: 'x' }, 'nope'), 404, 'not_found', '/params/queue');
    const viewerAdd = await t.app.inject({ method: 'POST', url: runUrl(runId, '/queues/orders/items'), headers: viewer.headers, payload: { item: { id: 'v' } } });
    expect(viewerAdd.statusCode).toBe(403);
    expect(await queueState(runId)).toMatchObject({ items: [{ id: 'b', priority: 2 }, { id: 'c' }], inFlight: { id: 'a' }, processed: 0, rejected: 0 });

    expectProblem(await signal(runId, 'approve', { decision: 'maybe' }), 400, 'validation_failed', '/body/payload/decision');
    expectProblem(await signal(runId, 'approve', {}), 400, 'validation_failed', '/body/payload/decision');
    expectProblem(await signal(runId, 'aprove', { decision: 'approved' }), 400, 'validation_failed', '/body/name');
    for (let i = 0; i < 3; i++) expect((await signal(runId, 'approve', { decision: 'approved' })).statusCode).toBe(202);
    await expect.poll(async () => (await queueState(runId)).processed, { timeout: 20_000 }).toBe(3);

    const last = await t.app.inject({ method: 'GET', url: runUrl(runId, '/query?name=lastHandled'), headers: viewer.headers });
    expect(last.json()).toEqual({ name: 'lastHandled', result: { id: 'c', index: 2, decision: 'approved' } });
    const contents = await t.app.inject({ method: 'GET', url: runUrl(runId, '/query?name=orders_contents'), headers: viewer.headers });
    expect(contents.json().result).toMatchObject({ name: 'orders', items: [], processed: 3 });

    expect((await signal(runId, 'orders_stop')).statusCode).toBe(202);
    const done = await pollRun(t.app, owner, owner.orgId, runId);
    expect(done.run).toMatchObject({ status: 'completed', output: { processed: 3 } });
    expect(done.steps.filter((s) => s.nodeId === 'handle').map((s) => (s['output'] as { id: string }).id)).toEqual(['a', 'b', 'c']);
    expectProblem(await enqueue(runId, { id: 'late' }), 409, 'conflict', '/params/runId');
  });

  it('items, queries and signals reach a run after it continued as new (the latest execution of its chain)', async () => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: workQueueDefinition({ continueAsNewEvery: 1 }) });
    await deployViaApi(t.app, owner, owner.orgId, wf.id, 30);
    const { runId } = await startViaApi(t.app, owner, owner.orgId, wf.id, {});
    for (const id of ['c1', 'c2', 'c3']) {
      const res = await enqueue(runId, { id });
      expect(res.statusCode, res.body).toBe(201);
      await expect.poll(async () => (await queueState(runId)).processed, { timeout: 20_000 }).toBe(Number(id.slice(1)));
    }
    expect((await signal(runId, 'orders_stop')).statusCode).toBe(202);
    const done = await pollRun(t.app, owner, owner.orgId, runId);
    expect(done.run).toMatchObject({ status: 'completed', output: { processed: 3 } });
    expect(done.steps.map((s) => s['stepNumber'])).toEqual(done.steps.map((_, i) => i + 1));
  });
});
