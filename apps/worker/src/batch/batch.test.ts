import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { withCaller } from '@workflow-builder/db';
import { createClient, createProject, withPg, type TestProject } from '@workflow-builder/db/test-helpers';
import {
  cancelBatch, completeBatchCallback, createBatch, pauseBatch, resumeBatch, retryFailedBatch, type BatchEngineOptions, type CreateBatchRequest,
} from '@workflow-builder/engine';
import { batchWorkflowIdOf, BATCH_STATE_QUERY, type BatchAsyncRequest, type BatchOrchestratorState } from '@workflow-builder/runtime/batch-contract';
import { startTestServer, type TestServer } from '@workflow-builder/runtime/testing';
import { startHarness, type Harness } from '../test/harness.ts';

const at = (x: number) => ({ x, y: 0 });

/** trigger -> GET <server>/enrich/<name> -> end { domain, tier, source } (tier is what client configs override). */
function enrichDefinition(url: string, source: string): WorkflowDefinition {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
      { id: 'fetch', kind: 'http.request', label: 'Fetch', config: { url: `${url}/enrich/{{ input.name }}`, method: 'GET', responseType: 'json' }, position: at(1),
        retry: { maximumAttempts: 1 } },
      { id: 'done', kind: 'output.end', label: 'Done', position: at(2),
        config: { output: { domain: '{{ steps.fetch.output.body.domain }}', tier: 'standard', source } } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'fetch' },
      { id: 'e2', source: 'fetch', target: 'done' },
    ],
  };
}

interface StateRow { position: number; step_name: string; status: string; error: string | null; attempts: number; run_id: string | null }

describe('batch pipelines on the real Temporal server', () => {
  let h: Harness;
  let enrichServer: TestServer;
  let asyncServer: TestServer;
  /** Names the enrich server refuses (HTTP 500) until the test fixes them. */
  const broken = new Set<string>();
  /** Per-request delay of the enrich server (pause tests). */
  let enrichDelayMs = 0;
  /** When false, the async service accepts the request and never calls back. */
  let callBack = true;
  let clientId: string;
  let enrichWorkflowId: string;
  let otherProject: TestProject;
  const opts = (): BatchEngineOptions => ({ taskQueue: h.platformTaskQueue });

  const addStep = (workstream: string, slug: string, fields: { type: 'sync'; workflowId: string } | { type: 'async'; url: string; timeout?: number }) =>
    withPg(h.tdb.admin, (c) => c.query(
      `insert into public.enrichment_registry (org_id, slug, workstream_slug, name, type, workflow_id, async_endpoint_url, callback_timeout_seconds)
       values ($1, $2, $3, $2, $4, $5, $6, $7)`,
      [h.orgId, slug, workstream, fields.type, fields.type === 'sync' ? fields.workflowId : null,
        fields.type === 'async' ? fields.url : null, fields.type === 'async' ? (fields.timeout ?? 30) : null]));

  const create = (req: Partial<CreateBatchRequest> & { blueprint: string[] }, extra: BatchEngineOptions = {}) =>
    createBatch(h.apiDb, h.client, h.caller, { clientId, workstreamSlug: h.project.workstreamSlug, ...req }, { ...opts(), ...extra });

  const batchRow = async (batchId: string) => (await sql<{ status: string; completed_items: number; failed_items: number; total_items: number }>`
    select status, completed_items, failed_items, total_items from public.batches where id = ${batchId}`.execute(h.db)).rows[0]!;

  const batchError = async (batchId: string) => (await sql<{ error: string | null }>`
    select error from public.batches where id = ${batchId}`.execute(h.db)).rows[0]!.error;

  const waitForBatch = async (batchId: string, statuses: string[], timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const b = await batchRow(batchId);
      if (statuses.includes(b.status)) return b;
      if (Date.now() > deadline) throw new Error(`batch ${batchId} still ${JSON.stringify(b)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  const states = async (batchId: string) => (await sql<StateRow>`
    select i.position, s.step_name, s.status, s.error, s.attempts, s.run_id from public.workflow_states s
    join public.batch_items i on i.id = s.item_id where s.batch_id = ${batchId}
    order by i.position, array_position((select blueprint from public.batches where id = ${batchId}), s.step_name::text)`.execute(h.db)).rows;

  const itemStatuses = async (batchId: string) => (await sql<{ status: string }>`
    select status from public.batch_items where batch_id = ${batchId} order by position`.execute(h.db)).rows.map((r) => r.status);

  beforeAll(async () => {
    h = await startHarness('batches');
    await h.startWorkers();
    enrichServer = await startTestServer(async (req, res) => {
      const name = decodeURIComponent(req.url.split('/').pop() ?? '');
      if (enrichDelayMs) await new Promise((r) => setTimeout(r, enrichDelayMs));
      if (broken.has(name)) { res.statusCode = 500; res.end('enrichment backend down'); return; }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ domain: `${name.toLowerCase()}.com` }));
    });
    // The external service of the async step: accepts, then calls back with a score.
    asyncServer = await startTestServer((req, res) => {
      res.statusCode = 202;
      res.end();
      if (!callBack) return;
      const body = JSON.parse(req.body) as BatchAsyncRequest;
      const token = body.callbackUrl.split('/').pop()!;
      const data = body.data as { domain?: string; name?: string };
      setTimeout(() => {
        const payload = data.name === 'Reject' ? { error: 'scoring refused' } : { result: { score: (data.domain ?? '').length, step: body.step } };
        completeBatchCallback(h.apiDb, h.client, token, payload).catch((e: unknown) => console.error('callback failed', e));
      }, 20);
    });
    clientId = await withPg(h.tdb.admin, (c) => createClient(c, h.orgId, 'Globex'));
    otherProject = await withPg(h.tdb.admin, (c) => createProject(c, h.orgId, h.developer));

    const enrich = await h.createWorkflow('enrich-company', enrichDefinition(enrichServer.url, 'main'));
    await h.deploy(enrich);
    enrichWorkflowId = enrich;
    await addStep(h.project.workstreamSlug, 'enrich', { type: 'sync', workflowId: enrich });
    await addStep(h.project.workstreamSlug, 'score', { type: 'async', url: `${asyncServer.url}/score` });
    await addStep(h.project.workstreamSlug, 'slow_score', { type: 'async', url: `${asyncServer.url}/slow`, timeout: 1 });
    // An async step whose endpoint refuses the request (the enrich server answers 500 for Down).
    await addStep(h.project.workstreamSlug, 'down_score', { type: 'async', url: `${enrichServer.url}/enrich/Down` });
    // The client's config for `enrich` in this workstream: lands in the child run's config_snapshot.
    await withPg(h.tdb.admin, (c) => c.query(
      `insert into public.client_workflow_configs (org_id, client_id, workflow_slug, workstream_slug, config) values ($1, $2, 'enrich', $3, $4)`,
      [h.orgId, clientId, h.project.workstreamSlug, JSON.stringify({ done: { output: { tier: 'gold' } } })]));

    // The same slug in another workstream runs another workflow (of that workstream's project).
    const other = await withCaller(h.apiDb, h.caller, async (tx) => (await sql<{ id: string }>`
      insert into public.workflows (org_id, project_id, workstream_slug, name, kebab_name, created_by, definition)
      values (${h.orgId}, ${otherProject.projectId}, ${otherProject.workstreamSlug}, 'enrich-other', 'enrich-other', app.current_user_id(),
              ${JSON.stringify(enrichDefinition(enrichServer.url, 'other'))}::jsonb) returning id`.execute(tx)).rows[0]!.id);
    await h.deploy(other);
    await addStep(otherProject.workstreamSlug, 'enrich', { type: 'sync', workflowId: other });
  });
  afterAll(async () => {
    await enrichServer?.close();
    await asyncServer?.close();
    await h?.close();
  });

  it('walks items through a sync and an async step: states, results, counts and child runs recorded with channel batch', async () => {
    const b = await create({ blueprint: ['enrich', 'score'], items: [{ name: 'Acme' }, { name: 'Initech' }, { name: 'Umbrella' }] });
    expect(b).toMatchObject({ totalItems: 3, temporalWorkflowId: batchWorkflowIdOf(b.batchId) });
    const done = await waitForBatch(b.batchId, ['COMPLETED', 'FAILED']);
    expect(done).toEqual({ status: 'COMPLETED', completed_items: 3, failed_items: 0, total_items: 3 });
    expect(await itemStatuses(b.batchId)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);

    const st = await states(b.batchId);
    expect(st.map((s) => [s.position, s.step_name, s.status, s.attempts])).toEqual([
      [0, 'enrich', 'SUCCEEDED', 1], [0, 'score', 'SUCCEEDED', 1],
      [1, 'enrich', 'SUCCEEDED', 1], [1, 'score', 'SUCCEEDED', 1],
      [2, 'enrich', 'SUCCEEDED', 1], [2, 'score', 'SUCCEEDED', 1],
    ]);
    expect(st.filter((s) => s.step_name === 'enrich').every((s) => s.run_id)).toBe(true);
    expect(st.filter((s) => s.step_name === 'score').every((s) => s.run_id === null)).toBe(true);

    // Results per item and step; the async step saw the sync step's output merged into the item.
    const results = await sql<{ position: number; workflow_slug: string; workstream_slug: string; result: unknown }>`
      select i.position, r.workflow_slug, r.workstream_slug, r.result from public.enrichment_results r
      join public.batch_items i on i.id = r.item_id where r.batch_id = ${b.batchId} order by i.position, r.workflow_slug`.execute(h.db);
    expect(results.rows).toEqual([
      { position: 0, workflow_slug: 'enrich', workstream_slug: h.project.workstreamSlug, result: { domain: 'acme.com', tier: 'gold', source: 'main' } },
      { position: 0, workflow_slug: 'score', workstream_slug: h.project.workstreamSlug, result: { score: 'acme.com'.length, step: 'score' } },
      { position: 1, workflow_slug: 'enrich', workstream_slug: h.project.workstreamSlug, result: { domain: 'initech.com', tier: 'gold', source: 'main' } },
      { position: 1, workflow_slug: 'score', workstream_slug: h.project.workstreamSlug, result: { score: 'initech.com'.length, step: 'score' } },
      { position: 2, workflow_slug: 'enrich', workstream_slug: h.project.workstreamSlug, result: { domain: 'umbrella.com', tier: 'gold', source: 'main' } },
      { position: 2, workflow_slug: 'score', workstream_slug: h.project.workstreamSlug, result: { score: 'umbrella.com'.length, step: 'score' } },
    ]);
    const asyncBody = JSON.parse(asyncServer.requests.find((r) => (JSON.parse(r.body) as BatchAsyncRequest).batchId === b.batchId)!.body) as BatchAsyncRequest;
    expect(asyncBody).toMatchObject({ batchId: b.batchId, step: 'score', data: { name: expect.any(String), domain: expect.stringMatching(/\.com$/), tier: 'gold' } });
    expect(asyncBody.callbackUrl).toMatch(/^http:\/\/api\.invalid\/v1\/hooks\/batch-callbacks\/[A-Za-z0-9_-]{43}$/);

    // Each sync step is a child run of its own: channel batch, the batch's client and workstream, the client config.
    const runs = await sql<{ status: string; channel: string; client_id: string; workstream_slug: string; config_snapshot: unknown; context: unknown; output: unknown }>`
      select status, channel, client_id, workstream_slug, config_snapshot, context, output from public.user_workflow_run
      where run_id = any(${st.filter((s) => s.run_id).map((s) => s.run_id!)}::uuid[])`.execute(h.db);
    expect(runs.rows).toHaveLength(3);
    // The same config_snapshot a direct run of the step for this client records: every node's merged config and its layers.
    const direct = await h.start(enrichWorkflowId, { name: 'Direct' }, { clientId });
    await h.waitForRun(direct.runId);
    const directSnapshot = (await sql<{ config_snapshot: unknown }>`
      select config_snapshot from public.user_workflow_run where run_id = ${direct.runId}`.execute(h.db)).rows[0]!.config_snapshot;
    expect(directSnapshot).toMatchObject({
      nodes: { done: { output: { domain: '{{ steps.fetch.output.body.domain }}', tier: 'gold', source: 'main' } } },
      overrides: { done: { output: { tier: 'gold' } } }, namedConfig: null,
      clientConfig: { clientId, workflowSlug: 'enrich', workstreamSlug: h.project.workstreamSlug },
    });
    for (const r of runs.rows) {
      expect(r).toMatchObject({ status: 'completed', channel: 'batch', client_id: clientId, workstream_slug: h.project.workstreamSlug,
        context: { batchId: b.batchId, step: 'enrich' } });
      expect(r.config_snapshot).toEqual(directSnapshot);
    }
    // The step's run was started as a child of the orchestrator.
    const child = await h.client.workflow.getHandle(`wb-${st[0]!.run_id}`).describe();
    expect(child.parentExecution?.workflowId).toBe(batchWorkflowIdOf(b.batchId));
    expect(child.searchAttributes).toMatchObject({ WbRunId: [st[0]!.run_id], WbWorkstream: [h.project.workstreamSlug] });
  });

  it('a failing item fails with its error; retry-failed re-runs only the failed step once the cause is fixed', async () => {
    broken.add('Broken');
    const b = await create({ blueprint: ['enrich', 'score'], items: [{ name: 'Good' }, { name: 'Broken' }, { name: 'Reject' }] });
    const failed = await waitForBatch(b.batchId, ['COMPLETED', 'FAILED']);
    expect(failed).toMatchObject({ status: 'FAILED', completed_items: 1, failed_items: 2 });
    expect(await itemStatuses(b.batchId)).toEqual(['COMPLETED', 'FAILED', 'FAILED']);
    let st = await states(b.batchId);
    expect(st.map((s) => [s.position, s.step_name, s.status])).toEqual([
      [0, 'enrich', 'SUCCEEDED'], [0, 'score', 'SUCCEEDED'],
      // Not reached after the failure: still PENDING.
      [1, 'enrich', 'FAILED'], [1, 'score', 'PENDING'],
      [2, 'enrich', 'SUCCEEDED'], [2, 'score', 'FAILED'],
    ]);
    expect(st[2]!.error).toMatch(/500/);
    expect(st[5]!.error).toBe('scoring refused');
    const failedRun = await sql<{ status: string }>`select status from public.user_workflow_run where run_id = ${st[2]!.run_id}`.execute(h.db);
    expect(failedRun.rows[0]!.status).toBe('failed');

    broken.delete('Broken');
    await expect(retryFailedBatch(h.apiDb, h.client, h.caller, b.batchId, opts())).resolves.toEqual({ status: 'RUNNING', retriedItems: 2 });
    const again = await waitForBatch(b.batchId, ['COMPLETED', 'FAILED']);
    // 'Reject' is refused by the scoring service again; 'Broken' now succeeds.
    expect(again).toMatchObject({ status: 'FAILED', completed_items: 2, failed_items: 1 });
    st = await states(b.batchId);
    expect(st.map((s) => [s.position, s.step_name, s.status, s.attempts])).toEqual([
      [0, 'enrich', 'SUCCEEDED', 1], [0, 'score', 'SUCCEEDED', 1],
      [1, 'enrich', 'SUCCEEDED', 2], [1, 'score', 'SUCCEEDED', 1],
      // The SUCCEEDED enrich step of item 2 was not re-run.
      [2, 'enrich', 'SUCCEEDED', 1], [2, 'score', 'FAILED', 2],
    ]);
  });

  it('retry-failed while the batch still runs wakes the same orchestrator run', async () => {
    broken.add('Early');
    enrichDelayMs = 500;
    try {
      const b = await create({ blueprint: ['enrich'], items: [{ name: 'Early' }, { name: 'Later1' }, { name: 'Later2' }], concurrency: 1 });
      await expect.poll(async () => (await batchRow(b.batchId)).failed_items, { timeout: 15_000 }).toBe(1);
      broken.delete('Early');
      const retried = await retryFailedBatch(h.apiDb, h.client, h.caller, b.batchId, opts());
      expect(retried).toEqual({ status: 'RUNNING', retriedItems: 1 });
      expect(await waitForBatch(b.batchId, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'COMPLETED', completed_items: 3, failed_items: 0 });
      expect((await states(b.batchId)).map((s) => [s.status, s.attempts])).toEqual([['SUCCEEDED', 2], ['SUCCEEDED', 1], ['SUCCEEDED', 1]]);
      await expect.poll(async () => {
        const runs: string[] = [];
        for await (const w of h.client.workflow.list({ query: `WorkflowId = '${batchWorkflowIdOf(b.batchId)}'` })) runs.push(w.status.name);
        return runs;
      }, { timeout: 20_000 }).toEqual(['COMPLETED']);
    } finally {
      broken.delete('Early');
      enrichDelayMs = 0;
    }
  });

  it('pause stops dispatching (in-flight items finish); resume finishes the batch', async () => {
    enrichDelayMs = 300;
    try {
      const b = await create({ blueprint: ['enrich'], items: Array.from({ length: 6 }, (_, i) => ({ name: `P${i}` })), concurrency: 1 });
      await expect(pauseBatch(h.apiDb, h.client, h.caller, b.batchId)).resolves.toBe('PAUSED');
      await new Promise((r) => setTimeout(r, 1500));
      const paused = await batchRow(b.batchId);
      expect(paused.status).toBe('PAUSED');
      expect(paused.completed_items).toBeLessThanOrEqual(1);
      const q = await h.client.workflow.getHandle(batchWorkflowIdOf(b.batchId)).query<BatchOrchestratorState>(BATCH_STATE_QUERY);
      expect(q).toMatchObject({ paused: true, inFlight: 0 });
      await expect(pauseBatch(h.apiDb, h.client, h.caller, b.batchId)).rejects.toMatchObject({ code: 'not_running' });

      await expect(resumeBatch(h.apiDb, h.client, h.caller, b.batchId)).resolves.toBe('RUNNING');
      expect(await waitForBatch(b.batchId, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'COMPLETED', completed_items: 6 });
    } finally {
      enrichDelayMs = 0;
    }
  });

  it('cancel stops the steps in flight and leaves the remaining items CANCELLED', async () => {
    callBack = false;
    try {
      const b = await create({ blueprint: ['score'], items: Array.from({ length: 4 }, (_, i) => ({ name: `C${i}` })), concurrency: 2 });
      await expect.poll(async () => (await states(b.batchId)).filter((s) => s.status === 'RUNNING').length, { timeout: 15_000 }).toBe(2);
      await cancelBatch(h.apiDb, h.client, h.caller, b.batchId);
      expect((await waitForBatch(b.batchId, ['CANCELLED'])).status).toBe('CANCELLED');
      expect(await itemStatuses(b.batchId)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
      expect((await states(b.batchId)).map((s) => s.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
      await expect(cancelBatch(h.apiDb, h.client, h.caller, b.batchId)).rejects.toMatchObject({ code: 'not_running' });
      // The callback tokens of the cancelled steps are spent.
      const open = await sql<{ n: number }>`select count(*)::int as n from public.batch_callbacks where batch_id = ${b.batchId} and used_at is null`.execute(h.db);
      expect(open.rows[0]!.n).toBe(0);
    } finally {
      callBack = true;
    }
  });

  it('cancel also cancels the child runs of sync steps in flight', async () => {
    enrichDelayMs = 3000;
    try {
      const b = await create({ blueprint: ['enrich'], items: [{ name: 'Slow1' }, { name: 'Slow2' }, { name: 'Slow3' }], concurrency: 2 });
      await expect.poll(async () => (await states(b.batchId)).filter((s) => s.status === 'RUNNING').length, { timeout: 15_000 }).toBe(2);
      const running = (await states(b.batchId)).filter((s) => s.status === 'RUNNING').map((s) => s.run_id!);
      await cancelBatch(h.apiDb, h.client, h.caller, b.batchId);
      await waitForBatch(b.batchId, ['CANCELLED']);
      expect((await states(b.batchId)).map((s) => s.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
      for (const runId of running) expect((await h.waitForRun(runId, 20_000)).status).toBe('cancelled');
    } finally {
      enrichDelayMs = 0;
    }
  });

  it('an async step whose callback never comes fails with "callback timed out"; a late callback is refused', async () => {
    callBack = false;
    try {
      const b = await create({ blueprint: ['slow_score'], items: [{ name: 'Late' }] });
      expect(await waitForBatch(b.batchId, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'FAILED', failed_items: 1 });
      const st = await states(b.batchId);
      expect(st.map((s) => [s.status, s.error])).toEqual([['FAILED', 'callback timed out']]);
      const req = asyncServer.requests.map((r) => JSON.parse(r.body) as BatchAsyncRequest).find((r) => r.batchId === b.batchId)!;
      const token = req.callbackUrl.split('/').pop()!;
      await expect(completeBatchCallback(h.apiDb, h.client, token, { result: 1 })).rejects.toMatchObject({ code: 'not_running' });
      // Single use: the token is spent now.
      await expect(completeBatchCallback(h.apiDb, h.client, token, { result: 1 })).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      callBack = true;
    }
  });

  it('an async step whose endpoint refuses the request fails at once with the status; nothing waits for a callback', async () => {
    broken.add('Down');
    try {
      const b = await create({ blueprint: ['down_score'], items: [{ name: 'X' }] });
      expect(await waitForBatch(b.batchId, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'FAILED', failed_items: 1 });
      expect((await states(b.batchId)).map((s) => [s.status, s.error])).toEqual([['FAILED', 'the step endpoint answered HTTP 500']]);
    } finally {
      broken.delete('Down');
    }
  });

  it('continues as new every N items: the orchestrator chain has more than one run', async () => {
    const b = await create({ blueprint: ['enrich'], items: Array.from({ length: 7 }, (_, i) => ({ name: `N${i}` })), concurrency: 2 }, { itemsPerRun: 2 });
    expect(await waitForBatch(b.batchId, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'COMPLETED', completed_items: 7 });
    const wid = batchWorkflowIdOf(b.batchId);
    await expect.poll(async () => {
      const runs: string[] = [];
      for await (const w of h.client.workflow.list({ query: `WorkflowId = '${wid}'` })) runs.push(w.status.name);
      return runs;
    }, { timeout: 20_000 }).toContain('COMPLETED');
    const runs: string[] = [];
    for await (const w of h.client.workflow.list({ query: `WorkflowId = '${wid}'` })) runs.push(w.status.name);
    // 7 items, 2 per run: 3 runs continued as new, the 4th completed.
    expect(runs.filter((s) => s === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
  });

  it('survives a restart of the workers mid-batch: every item finishes once', async () => {
    // The HTTP call of a child run in flight during the shutdown may be cut off (seen as a failed
    // attempt, or as one whose result never arrives and times out): this step's workflow retries
    // it after a short timeout (the shared `enrich` allows one attempt with the 60 s default), so
    // the test is about orchestration surviving the restart.
    const retrying = enrichDefinition(enrichServer.url, 'main');
    retrying.nodes[1]!.retry = { maximumAttempts: 5, initialIntervalMs: 100 };
    retrying.nodes[1]!.timeoutSeconds = 5;
    const wf = await h.createWorkflow('enrich-retrying', retrying);
    await h.deploy(wf);
    await addStep(h.project.workstreamSlug, 'enrich_retrying', { type: 'sync', workflowId: wf });
    enrichDelayMs = 400;
    try {
      const b = await create({ blueprint: ['enrich_retrying'], items: Array.from({ length: 6 }, (_, i) => ({ name: `R${i}` })), concurrency: 2 });
      await expect.poll(async () => (await batchRow(b.batchId)).completed_items, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      await h.stopWorkers();
      expect((await batchRow(b.batchId)).status).toBe('RUNNING');
      await h.startWorkers();
      const fin = await waitForBatch(b.batchId, ['COMPLETED', 'FAILED']);
      // On failure, say why (the orchestrator's error, the items' errors).
      expect(fin, JSON.stringify({ error: await batchError(b.batchId), states: await states(b.batchId) })).toMatchObject({ status: 'COMPLETED', completed_items: 6, failed_items: 0 });
      const st = await states(b.batchId);
      expect(st.map((s) => [s.status, s.attempts])).toEqual(Array.from({ length: 6 }, () => ['SUCCEEDED', 1]));
      const results = await sql<{ n: number }>`select count(*)::int as n from public.enrichment_results where batch_id = ${b.batchId}`.execute(h.db);
      expect(results.rows[0]!.n).toBe(6);
    } finally {
      enrichDelayMs = 0;
    }
  });

  it('an orchestrator whose database activity keeps failing ends the batch FAILED with the reason; retry-failed resumes it', async () => {
    // The store of results refuses this item's result: wbBatchFinishStep fails on every attempt.
    await withPg(h.tdb.admin, (c) => c.query(`
      create function public.test_refuse_result() returns trigger language plpgsql as $$
      begin if new.result->>'domain' = 'dbfail.com' then raise exception 'enrichment store unavailable'; end if; return new; end $$;
      create trigger test_refuse_result before insert on public.enrichment_results for each row execute function public.test_refuse_result();`));
    let b: { batchId: string };
    try {
      b = await create({ blueprint: ['enrich'], items: [{ name: 'DbFail' }, { name: 'Later' }], concurrency: 1 }, { dbAttempts: 2 });
      expect(await waitForBatch(b.batchId, ['COMPLETED', 'FAILED', 'CANCELLED'], 30_000)).toMatchObject({ status: 'FAILED', failed_items: 1, completed_items: 0 });
      expect(await batchError(b.batchId)).toMatch(/^batch orchestration failed: .*enrichment store unavailable/);
      // The item in flight failed with the reason; the one never claimed waits for a retry.
      expect(await itemStatuses(b.batchId)).toEqual(['FAILED', 'PENDING']);
      const st = await states(b.batchId);
      expect(st.map((s) => [s.status, s.error === null ? null : /enrichment store unavailable/.test(s.error)])).toEqual([['FAILED', true], ['PENDING', null]]);
      const wf = await h.client.workflow.getHandle(batchWorkflowIdOf(b.batchId)).describe();
      expect(wf.status.name).toBe('FAILED');
    } finally {
      await withPg(h.tdb.admin, (c) => c.query('drop trigger test_refuse_result on public.enrichment_results; drop function public.test_refuse_result();'));
    }
    await expect(retryFailedBatch(h.apiDb, h.client, h.caller, b.batchId, opts())).resolves.toEqual({ status: 'RUNNING', retriedItems: 1 });
    expect(await batchError(b.batchId)).toBeNull();
    expect(await waitForBatch(b.batchId, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'COMPLETED', completed_items: 2, failed_items: 0 });
  });

  it('an orchestrator terminated in Temporal: the reconciler ends the batch FAILED with the reason; retry-failed resumes it', async () => {
    enrichDelayMs = 1500;
    let b: { batchId: string };
    try {
      b = await create({ blueprint: ['enrich'], items: [{ name: 'T1' }, { name: 'T2' }, { name: 'T3' }], concurrency: 1 });
      await expect.poll(async () => (await states(b.batchId)).map((s) => s.status), { timeout: 15_000 }).toEqual(['RUNNING', 'PENDING', 'PENDING']);
      await h.client.workflow.getHandle(batchWorkflowIdOf(b.batchId)).terminate('stopped from the Temporal UI');
      // No workflow code ran to record it.
      expect((await batchRow(b.batchId)).status).toBe('RUNNING');
      await expect.poll(async () => {
        await h.reconciler.reconcileBatchesOnce();
        return (await batchRow(b.batchId)).status;
      }, { timeout: 20_000, interval: 500 }).toBe('FAILED');
      expect(await batchError(b.batchId)).toBe('the orchestrator workflow was terminated (reported by Temporal)');
      expect(await itemStatuses(b.batchId)).toEqual(['FAILED', 'PENDING', 'PENDING']);
      expect((await states(b.batchId)).map((s) => [s.status, s.error])).toEqual([
        ['FAILED', 'the orchestrator workflow was terminated (reported by Temporal)'], ['PENDING', null], ['PENDING', null],
      ]);
      // A closed batch is left alone.
      expect(await h.reconciler.reconcileBatchesOnce()).toBe(0);
    } finally {
      enrichDelayMs = 0;
    }
    await expect(retryFailedBatch(h.apiDb, h.client, h.caller, b.batchId, opts())).resolves.toEqual({ status: 'RUNNING', retriedItems: 1 });
    expect(await waitForBatch(b.batchId, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'COMPLETED', completed_items: 3, failed_items: 0 });
    expect(await batchError(b.batchId)).toBeNull();
  });

  it('an orchestrator cancelled in Temporal cancels the batch', async () => {
    callBack = false;
    try {
      const b = await create({ blueprint: ['score'], items: [{ name: 'K1' }, { name: 'K2' }, { name: 'K3' }], concurrency: 1 });
      await expect.poll(async () => (await states(b.batchId)).map((s) => s.status), { timeout: 15_000 }).toEqual(['RUNNING', 'PENDING', 'PENDING']);
      await h.client.workflow.getHandle(batchWorkflowIdOf(b.batchId)).cancel();
      expect((await waitForBatch(b.batchId, ['CANCELLED', 'FAILED', 'COMPLETED'])).status).toBe('CANCELLED');
      expect(await itemStatuses(b.batchId)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
      expect(await batchError(b.batchId)).toBeNull();
    } finally {
      callBack = true;
    }
  });

  it('the same step slug in two workstreams: each batch runs its own workstream\'s step', async () => {
    const main = await create({ blueprint: ['enrich'], items: [{ name: 'Same' }] });
    const other = await create({ blueprint: ['enrich'], items: [{ name: 'Same' }], workstreamSlug: otherProject.workstreamSlug });
    await waitForBatch(main.batchId, ['COMPLETED']);
    await waitForBatch(other.batchId, ['COMPLETED']);
    const resultOf = async (batchId: string) => (await sql<{ result: unknown; workstream_slug: string }>`
      select result, workstream_slug from public.enrichment_results where batch_id = ${batchId}`.execute(h.db)).rows;
    expect(await resultOf(main.batchId)).toEqual([{ result: { domain: 'same.com', tier: 'gold', source: 'main' }, workstream_slug: h.project.workstreamSlug }]);
    // The client's config is for `enrich` in the first workstream only.
    expect(await resultOf(other.batchId)).toEqual([{ result: { domain: 'same.com', tier: 'standard', source: 'other' }, workstream_slug: otherProject.workstreamSlug }]);
  });

  it('rejects bad requests naming the field, writing nothing', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from public.batches`.execute(h.db);
    const problems = async (req: Partial<CreateBatchRequest>) => {
      try {
        await createBatch(h.apiDb, h.client, h.caller, { clientId, workstreamSlug: h.project.workstreamSlug, blueprint: ['enrich'], ...req }, opts());
      } catch (e) {
        return (e as { problems: Array<{ field: string; code: string; message: string }> }).problems;
      }
      throw new Error('accepted');
    };
    expect(await problems({ items: [{}], blueprint: ['enrich', 'score', 'nope'] })).toEqual([
      expect.objectContaining({ field: '/blueprint/2', code: 'unknown_step' }),
    ]);
    // `slow_score` exists, but not in the other workstream: the key is (slug, workstream_slug).
    expect(await problems({ items: [{}], blueprint: ['enrich', 'slow_score'], workstreamSlug: otherProject.workstreamSlug })).toEqual([
      expect.objectContaining({ field: '/blueprint/1', code: 'unknown_step' }),
    ]);
    expect(await problems({ items: [] })).toEqual([expect.objectContaining({ field: '/items', code: 'empty' })]);
    expect(await problems({ items: Array.from({ length: 20_001 }, () => ({})) })).toEqual([expect.objectContaining({ field: '/items', code: 'too_many' })]);
    expect(await problems({ csv: 'name,domain\nAcme,acme.com\n"Bad,x' })).toEqual([
      expect.objectContaining({ field: '/csv', code: 'invalid_csv', message: expect.stringMatching(/^row 3/) }),
    ]);
    expect(await problems({ items: [{}], clientId: '00000000-0000-4000-8000-000000000000', workstreamSlug: 'nope' })).toEqual([
      expect.objectContaining({ field: '/clientId' }), expect.objectContaining({ field: '/workstreamSlug' }),
    ]);
    const after = await sql<{ n: number }>`select count(*)::int as n from public.batches`.execute(h.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('CSV items: the header row names the fields', async () => {
    const b = await create({ blueprint: ['enrich'], csv: 'name,city\nHooli,Palo Alto\nPied Piper,Palo Alto\n' });
    expect(b.totalItems).toBe(2);
    const items = await sql<{ data: unknown }>`select data from public.batch_items where batch_id = ${b.batchId} order by position`.execute(h.db);
    expect(items.rows.map((r) => r.data)).toEqual([{ name: 'Hooli', city: 'Palo Alto' }, { name: 'Pied Piper', city: 'Palo Alto' }]);
    await waitForBatch(b.batchId, ['COMPLETED']);
  });
});
