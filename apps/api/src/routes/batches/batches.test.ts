import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProject, createWorkflow, expectProblem, signUp, withAdmin, type ProjectDto, type TestUser } from '../../test/helpers.ts';
import { createEngineTestApp, deployViaApi, doublerDefinition, type EngineTestApp } from '../../test/engine.ts';

describe('batches and the enrichment registry through the API', () => {
  let t: EngineTestApp;
  let owner: TestUser;
  let project: ProjectDto;
  let otherProject: ProjectDto;
  let doublerId: string;
  let clientId: string;
  let scoreService: Server;
  let scoreUrl: string;
  const tokens: string[] = [];
  let base: string;

  const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url: `${base}${url}`, headers: owner.headers, payload: payload as object });
  const get = (url: string) => t.app.inject({ method: 'GET', url: `${base}${url}`, headers: owner.headers });
  const count = (table: string) => withAdmin(t.tdb, async (c) => Number((await c.query(`select count(*) from public.${table}`)).rows[0].count));

  beforeAll(async () => {
    t = await createEngineTestApp('batches-api', { WB_DEPLOY_WAIT_SECONDS: '60' });
    owner = await signUp(t.app, 'batch-owner');
    base = `/v1/orgs/${owner.orgId}`;
    project = await createProject(t.app, owner);
    otherProject = await createProject(t.app, owner);
    doublerId = (await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: doublerDefinition })).id;
    await deployViaApi(t.app, owner, owner.orgId, doublerId, 60);
    const c = await post('/clients', { name: 'Initech' });
    expect(c.statusCode, c.body).toBe(201);
    clientId = c.json().id;
    // The external scoring service: answers 202, then calls the public receiver through the API.
    scoreService = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.statusCode = 202;
        res.end();
        // The hanging service accepts and never calls back.
        if (req.url === '/hang') return;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { callbackUrl: string; data: { doubled: number } };
        const token = body.callbackUrl.split('/').pop()!;
        tokens.push(token);
        setTimeout(() => void t.app.inject({ method: 'POST', url: `/v1/hooks/batch-callbacks/${token}`, payload: { result: { score: body.data.doubled + 1 } } }), 10);
      });
    });
    await new Promise<void>((r) => scoreService.listen(0, '127.0.0.1', r));
    scoreUrl = `http://127.0.0.1:${(scoreService.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => scoreService?.close(r));
    await t?.close();
  });

  it('registry: validates the step for its workstream, 409 on a duplicate slug, CRUD', async () => {
    expectProblem(await post('/enrichment-registry', { slug: 'double', workstreamSlug: project.workstreamSlug, name: 'Double', type: 'sync' }), 400, 'validation_failed', '/workflowId');
    expectProblem(await post('/enrichment-registry', { slug: 'double', workstreamSlug: otherProject.workstreamSlug, name: 'Double', type: 'sync', workflowId: doublerId }),
      400, 'validation_failed', '/workflowId');
    expectProblem(await post('/enrichment-registry', { slug: 'double', workstreamSlug: 'no_such_ws', name: 'Double', type: 'sync', workflowId: doublerId }),
      400, 'validation_failed', '/workstreamSlug');
    expectProblem(await post('/enrichment-registry', { slug: 'score', workstreamSlug: project.workstreamSlug, name: 'Score', type: 'async' }), 400, 'validation_failed', '/asyncEndpointUrl');
    expectProblem(await post('/enrichment-registry', { slug: 'Bad Slug', workstreamSlug: project.workstreamSlug, name: 'x', type: 'async', asyncEndpointUrl: 'http://x.test' }),
      400, 'validation_failed', '/slug');
    expect(await count('enrichment_registry')).toBe(0);

    const sync = await post('/enrichment-registry', { slug: 'double', workstreamSlug: project.workstreamSlug, name: 'Double', type: 'sync', workflowId: doublerId });
    expect(sync.statusCode, sync.body).toBe(201);
    expect(sync.json()).toMatchObject({ slug: 'double', type: 'sync', workflowId: doublerId, asyncEndpointUrl: null, callbackTimeoutSeconds: null });
    expectProblem(await post('/enrichment-registry', { slug: 'double', workstreamSlug: project.workstreamSlug, name: 'Again', type: 'sync', workflowId: doublerId }), 409, 'conflict', '/slug');
    const score = await post('/enrichment-registry', { slug: 'score', workstreamSlug: project.workstreamSlug, name: 'Score', type: 'async', asyncEndpointUrl: `${scoreUrl}/score`, callbackTimeoutSeconds: 30 });
    expect(score.statusCode, score.body).toBe(201);
    // The same slug in another workstream is another step.
    const elsewhere = await post('/enrichment-registry', { slug: 'score', workstreamSlug: otherProject.workstreamSlug, name: 'Score', type: 'async', asyncEndpointUrl: 'http://127.0.0.1:9/x' });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);

    const list = await get(`/enrichment-registry?workstreamSlug=${project.workstreamSlug}`);
    expect(list.json().items.map((e: { slug: string }) => e.slug).sort()).toEqual(['double', 'score']);
    const patched = await t.app.inject({ method: 'PATCH', url: `${base}/enrichment-registry/${elsewhere.json().id}`, headers: owner.headers, payload: { name: 'Renamed', callbackTimeoutSeconds: 5 } });
    expect(patched.json()).toMatchObject({ name: 'Renamed', callbackTimeoutSeconds: 5 });
    const del = await t.app.inject({ method: 'DELETE', url: `${base}/enrichment-registry/${elsewhere.json().id}`, headers: owner.headers });
    expect(del.statusCode).toBe(204);
    expectProblem(await get(`/enrichment-registry/${elsewhere.json().id}`), 404, 'not_found', '/params/entryId');
  });

  it('rejects bad batches naming the field and writes nothing', async () => {
    const ok = { clientId, workstreamSlug: project.workstreamSlug, blueprint: ['double', 'score'] };
    expectProblem(await post('/batches', { ...ok, items: [{ x: 1 }], blueprint: ['double', 'score', 'nope'] }), 400, 'validation_failed', '/blueprint/2');
    expectProblem(await post('/batches', { ...ok, items: [{ x: 1 }], clientId: '00000000-0000-4000-8000-000000000000' }), 400, 'validation_failed', '/clientId');
    expectProblem(await post('/batches', { ...ok, items: [{ x: 1 }], workstreamSlug: 'no_such_ws' }), 400, 'validation_failed', '/workstreamSlug');
    // 'double' is not registered in the other workstream.
    expectProblem(await post('/batches', { ...ok, items: [{ x: 1 }], workstreamSlug: otherProject.workstreamSlug }), 400, 'validation_failed', '/blueprint/0');
    expectProblem(await post('/batches', { ...ok, items: [] }), 400, 'validation_failed', '/items');
    expectProblem(await post('/batches', ok), 400, 'validation_failed', '/items');
    expectProblem(await post('/batches', { ...ok, items: [{ x: 1 }], csv: 'x\n1' }), 400, 'validation_failed', '/items');
    expectProblem(await post('/batches', { ...ok, items: [1] }), 400, 'validation_failed', '/items/0');
    expectProblem(await post('/batches', { ...ok, items: Array.from({ length: 20_001 }, () => ({})) }), 400, 'validation_failed', '/items');
    const csv = expectProblem(await post('/batches', { ...ok, csv: 'x,y\n1,2\n3\n' }), 400, 'validation_failed', '/csv');
    expect(csv[0]!.message).toMatch(/^row 3/);
    expectProblem(await post('/batches', { ...ok, csv: 'x,y\n' }), 400, 'validation_failed', '/csv');
    expectProblem(await post('/batches', { ...ok, items: [{ x: 1 }], blueprint: [] }), 400, 'validation_failed', '/blueprint');
    expectProblem(await post('/batches', { ...ok, items: [{ x: 1 }], concurrency: 0 }), 400, 'validation_failed', '/concurrency');
    for (const table of ['batches', 'batch_items', 'workflow_states']) expect(await count(table)).toBe(0);
  });

  it('runs a batch: progress, items with per-step states, run ids and results; the callback is single use', async () => {
    // CSV values are strings: the doubler wants an integer, so this batch uses JSON items...
    const created = await post('/batches', { clientId, workstreamSlug: project.workstreamSlug, blueprint: ['double', 'score'], items: [{ x: 1 }, { x: 2 }, { x: 'NaN' }], concurrency: 2 });
    expect(created.statusCode, created.body).toBe(201);
    const { batchId } = created.json() as { batchId: string };
    let detail: { status: string; progress: { finishedItems: number; percent: number; items: Record<string, number> }; steps: unknown[]; completedItems: number; failedItems: number };
    const deadline = Date.now() + 60_000;
    do {
      await new Promise((r) => setTimeout(r, 200));
      detail = (await get(`/batches/${batchId}`)).json();
    } while (!['COMPLETED', 'FAILED'].includes(detail.status) && Date.now() < deadline);
    // ...and the third item fails the doubler's input schema.
    expect(detail).toMatchObject({ status: 'FAILED', completedItems: 2, failedItems: 1, progress: { finishedItems: 3, percent: 100, items: { COMPLETED: 2, FAILED: 1, PENDING: 0 } } });
    expect(detail.steps).toEqual([
      { step: 'double', states: { PENDING: 0, RUNNING: 0, SUCCEEDED: 2, FAILED: 1, CANCELLED: 0 } },
      { step: 'score', states: { PENDING: 1, RUNNING: 0, SUCCEEDED: 2, FAILED: 0, CANCELLED: 0 } },
    ]);

    const page1 = await get(`/batches/${batchId}/items?limit=2`);
    expect(page1.statusCode, page1.body).toBe(200);
    const p1 = page1.json() as { items: Array<{ position: number; status: string; steps: Array<{ step: string; status: string; runId: string | null; result: unknown; attempts: number; error: string | null }> }>; nextCursor: string };
    expect(p1.items.map((i) => [i.position, i.status])).toEqual([[0, 'COMPLETED'], [1, 'COMPLETED']]);
    expect(p1.items[1]!.steps).toEqual([
      expect.objectContaining({ step: 'double', status: 'SUCCEEDED', attempts: 1, runId: expect.any(String), result: { doubled: 4 } }),
      expect.objectContaining({ step: 'score', status: 'SUCCEEDED', attempts: 1, runId: null, result: { score: 5 } }),
    ]);
    const page2 = (await get(`/batches/${batchId}/items?limit=2&cursor=${p1.nextCursor}`)).json() as typeof p1;
    expect(page2.items.map((i) => [i.position, i.status])).toEqual([[2, 'FAILED']]);
    expect(page2.items[0]!.steps[0]).toMatchObject({ step: 'double', status: 'FAILED', error: expect.any(String) });
    expect(page2.nextCursor).toBeNull();
    expect((await get(`/batches/${batchId}/items?status=FAILED`)).json().items).toHaveLength(1);

    // The step's run is a batch run of the client, visible in the runs list.
    const run = (await get(`/runs/${p1.items[0]!.steps[0]!.runId}`)).json() as { run: { channel: string; clientId: string; status: string } };
    expect(run.run).toMatchObject({ channel: 'batch', clientId, status: 'completed' });

    // Lists: filters and keyset pages.
    expect((await get(`/batches?status=FAILED&clientId=${clientId}`)).json().items.map((b: { id: string }) => b.id)).toEqual([batchId]);
    expect((await get('/batches?status=RUNNING')).json().items).toEqual([]);

    // Each callback token works once.
    const used = await t.app.inject({ method: 'POST', url: `/v1/hooks/batch-callbacks/${tokens[0]}`, payload: { result: 1 } });
    expectProblem(used, 404, 'not_found', '/params/token');
    expectProblem(await t.app.inject({ method: 'POST', url: `/v1/hooks/batch-callbacks/${tokens[0]}`, payload: { result: 1, error: 'x' } }), 400, 'validation_failed', '/');
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/hooks/batch-callbacks/not-a-token', payload: { result: 1 } }), 404, 'not_found', '/params/token');

    // Controls answer 409 in the wrong state.
    expectProblem(await post(`/batches/${batchId}/pause`, {}), 409, 'conflict', '/params/batchId');
    expectProblem(await post(`/batches/${batchId}/resume`, {}), 409, 'conflict', '/params/batchId');
    const retried = await post(`/batches/${batchId}/retry-failed`, {});
    expect(retried.statusCode, retried.body).toBe(202);
    expect(retried.json()).toEqual({ batchId, status: 'RUNNING', retriedItems: 1 });

    // The retried step ran again (and failed again): the item lists both runs, oldest first; runId is the latest.
    let again: { status: string };
    do {
      await new Promise((r) => setTimeout(r, 200));
      again = (await get(`/batches/${batchId}`)).json();
    } while (again.status !== 'FAILED' && Date.now() < deadline + 60_000);
    const failedItem = (await get(`/batches/${batchId}/items?status=FAILED`)).json().items[0] as typeof p1.items[number] & { steps: Array<{ runIds: string[] }> };
    expect(failedItem.steps[0]).toMatchObject({ step: 'double', status: 'FAILED', attempts: 2 });
    const [first, second] = failedItem.steps[0]!.runIds;
    expect(failedItem.steps[0]!.runIds).toHaveLength(2);
    expect(second).toBe(failedItem.steps[0]!.runId);
    expect(first).not.toBe(second);
    const firstRun = (await get(`/runs/${first}`)).json() as { run: { status: string; createdAt: string } };
    const secondRun = (await get(`/runs/${second}`)).json() as { run: { status: string; createdAt: string } };
    expect([firstRun.run.status, secondRun.run.status]).toEqual(['failed', 'failed']);
    expect(firstRun.run.createdAt <= secondRun.run.createdAt).toBe(true);
    // Steps without runs (async) and items of other batches list none.
    expect(failedItem.steps[1]!.runIds).toEqual([]);
    expect(p1.items[1]!.steps.map((st) => (st as unknown as { runIds: string[] }).runIds.length)).toEqual([1, 0]);
  });

  it('an orchestrator terminated in Temporal: the batch detail shows FAILED with the reason', async () => {
    const hang = await post('/enrichment-registry', { slug: 'hang', workstreamSlug: project.workstreamSlug, name: 'Hang', type: 'async', asyncEndpointUrl: `${scoreUrl}/hang`, callbackTimeoutSeconds: 300 });
    expect(hang.statusCode, hang.body).toBe(201);
    const created = await post('/batches', { clientId, workstreamSlug: project.workstreamSlug, blueprint: ['hang'], items: [{ x: 1 }] });
    expect(created.statusCode, created.body).toBe(201);
    const { batchId, temporalWorkflowId } = created.json() as { batchId: string; temporalWorkflowId: string };
    await expect.poll(async () => (await get(`/batches/${batchId}`)).json().steps[0].states.RUNNING, { timeout: 15_000 }).toBe(1);
    expect((await get(`/batches/${batchId}`)).json()).toMatchObject({ status: 'RUNNING', error: null });
    await t.h.client.workflow.getHandle(temporalWorkflowId).terminate('from the Temporal UI');
    await expect.poll(async () => {
      await t.h.reconciler.reconcileBatchesOnce();
      return (await get(`/batches/${batchId}`)).json().status;
    }, { timeout: 20_000, interval: 500 }).toBe('FAILED');
    const detail = (await get(`/batches/${batchId}`)).json();
    expect(detail).toMatchObject({ status: 'FAILED', failedItems: 1, error: 'the orchestrator workflow was terminated (reported by Temporal)' });
    const item = (await get(`/batches/${batchId}/items`)).json().items[0];
    expect(item).toMatchObject({ status: 'FAILED', steps: [expect.objectContaining({ status: 'FAILED', error: detail.error })] });
    expect((await get(`/batches?status=FAILED`)).json().items.find((b: { id: string }) => b.id === batchId)).toMatchObject({ error: detail.error });
  });

  it('CSV upload creates one item per row', async () => {
    const created = await post('/batches', { clientId, workstreamSlug: project.workstreamSlug, blueprint: ['score'], csv: 'doubled,name\n4,a\n6,b\n' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ totalItems: 2, status: 'PENDING' });
    const items = await withAdmin(t.tdb, async (c) => (await c.query('select data from public.batch_items where batch_id = $1 order by position', [created.json().batchId])).rows);
    expect(items.map((r: { data: unknown }) => r.data)).toEqual([{ doubled: '4', name: 'a' }, { doubled: '6', name: 'b' }]);
  });
});
