import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { approvalDefinition, type WorkflowDefinition } from '@workflow-builder/definition';
import { startTestServer, type TestServer } from '@workflow-builder/runtime/testing';
import { startHarness, type Harness } from './test/harness.ts';

const at = (x: number) => ({ x, y: 0 });

/** trigger -> http (flaky server) -> transform -> end */
function linear(url: string): WorkflowDefinition {
  return {
    schemaVersion: 1,
    inputSchema: { type: 'object', properties: { userId: { type: 'integer', minimum: 1 } }, required: ['userId'], additionalProperties: false },
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
      { id: 'fetch', kind: 'http.request', label: 'Fetch', config: { url: `${url}/users/{{ input.userId }}`, method: 'GET', responseType: 'json' }, position: at(1),
        retry: { maximumAttempts: 5, initialIntervalMs: 50, backoffCoefficient: 1, maximumIntervalMs: 50 } },
      { id: 'shape', kind: 'transform', label: 'Shape', config: { mapping: { name: '{{ steps.fetch.output.body.name }}', id: '{{ input.userId }}' } }, position: at(2) },
      { id: 'done', kind: 'output.end', label: 'Done', config: { output: { user: '{{ steps.shape.output }}' } }, position: at(3) },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'fetch' },
      { id: 'e2', source: 'fetch', target: 'shape' },
      { id: 'e3', source: 'shape', target: 'done' },
    ],
  };
}

describe('runs on the real Temporal server are recorded exactly', () => {
  let h: Harness;
  let server: TestServer;
  let failuresLeft = 0;

  beforeAll(async () => {
    h = await startHarness('runs');
    await h.startWorkers();
    server = await startTestServer((req, res) => {
      if (failuresLeft > 0) { failuresLeft--; res.statusCode = 503; res.end('busy'); return; }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name: `User ${req.url.split('/').pop()}` }));
    });
  });
  afterAll(async () => { await server?.close(); await h?.close(); });

  it('records the run, every step, the execution row and statistics; retries leave one step row', async () => {
    const wf = await h.createWorkflow('fetch-user', linear(server.url));
    const { version, workflowType } = await h.deploy(wf);
    expect(workflowType).toBe(`wf_fetch_user_v${version}`);
    failuresLeft = 3;
    const { runId } = await h.start(wf, { userId: 7 });
    const run = await h.waitForRun(runId);
    expect(run).toMatchObject({ status: 'completed', output: { user: { name: 'User 7', id: 7 } }, compiled_version: version });
    expect(run.duration_ms).toBeGreaterThanOrEqual(0);

    const steps = await h.steps(runId);
    expect(steps.map((s) => [s.step_number, s.node_id, s.status])).toEqual([
      [1, 'start', 'succeeded'], [2, 'fetch', 'succeeded'], [3, 'shape', 'succeeded'], [4, 'done', 'succeeded'],
    ]);
    const fetch = steps[1]!;
    expect(fetch.retry_count).toBe(3);
    expect(fetch.attempt_count).toBe(4);
    expect(fetch.input_data).toMatchObject({ url: `${server.url}/users/7`, method: 'GET' });
    expect(fetch.output_data).toMatchObject({ status: 200, body: { name: 'User 7' } });
    // The three failed attempts were recorded by the worker before Temporal retried them.
    await expect.poll(async () => (await h.steps(runId))[1]!.events.filter((e) => e.type === 'attempt_failed').length, { timeout: 5000 }).toBe(3);

    const exec = await sql<{ status: string; outputs: unknown; user_workflow_id: string | null; template_id: string | null }>`
      select status, outputs, user_workflow_id, template_id from public.workflow_executions where run_id = ${runId}`.execute(h.db);
    expect(exec.rows[0]).toMatchObject({ status: 'completed', outputs: { user: { name: 'User 7', id: 7 } }, template_id: null });
    expect(exec.rows[0]!.user_workflow_id).toBeTruthy();

    const stats = await sql<{ name: string; workflow_id: string | null; execution_count: number; success_count: number }>`
      select c.name, a.workflow_id, a.execution_count, a.success_count from public.activity_statistics a
      join public.components c on c.id = a.component_id where a.org_id = ${h.orgId} and c.name = 'http.request'
      order by a.workflow_id nulls last`.execute(h.db);
    expect(stats.rows).toEqual([
      { name: 'http.request', workflow_id: wf, execution_count: 1, success_count: 1 },
      { name: 'http.request', workflow_id: null, execution_count: 1, success_count: 1 },
    ]);
    // Temporal's own history maps activities back to graph nodes.
    const history = await h.client.workflow.getHandle(`wb-${runId}`).fetchHistory();
    const ids = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityId).filter(Boolean);
    expect(ids).toEqual(['fetch#2']);
  });

  it('rejects input that does not match the input schema, naming the field, and records nothing', async () => {
    const wf = await h.createWorkflow('strict-input', linear(server.url));
    await h.deploy(wf);
    await expect(h.start(wf, { userId: 'seven' })).rejects.toMatchObject({ code: 'invalid_input', problems: [{ field: '/input/userId' }] });
    const count = await sql<{ n: number }>`select count(*)::int as n from public.user_workflow_run where workflow_id = ${wf}`.execute(h.db);
    expect(count.rows[0]!.n).toBe(0);
  });

  it('records a failed step and a failed run with the reason', async () => {
    const wf = await h.createWorkflow('always-fails', linear(`${server.url}/nowhere`));
    await h.deploy(wf);
    failuresLeft = 100;
    const { runId } = await h.start(wf, { userId: 1 });
    const run = await h.waitForRun(runId);
    failuresLeft = 0;
    expect(run.status).toBe('failed');
    expect(run.error_message).toMatch(/fetch/);
    const steps = await h.steps(runId);
    expect(steps.map((s) => [s.node_id, s.status])).toEqual([['start', 'succeeded'], ['fetch', 'failed']]);
    expect(steps[1]!.retry_count).toBe(4);
  });

  it('records a run cancelled from outside as cancelled', async () => {
    const wf = await h.createWorkflow('cancel-me', approvalDefinition(3600));
    await h.deploy(wf);
    const { runId, temporalWorkflowId } = await h.start(wf, {});
    await expect.poll(async () => (await h.steps(runId)).find((s) => s.node_id === 'wait')?.status, { timeout: 20_000 }).toBe('running');
    await h.client.workflow.getHandle(temporalWorkflowId).cancel();
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('cancelled');
    expect((await h.steps(runId)).find((s) => s.node_id === 'wait')?.status).toBe('cancelled');
  });

  it('a run terminated while no worker runs ends as terminated once reconciled with Temporal', async () => {
    const wf = await h.createWorkflow('terminate-me', approvalDefinition(3600));
    await h.deploy(wf);
    const { runId, temporalWorkflowId } = await h.start(wf, {});
    await expect.poll(async () => (await h.steps(runId)).find((s) => s.node_id === 'wait')?.status, { timeout: 20_000 }).toBe('running');
    await h.stopWorkers();
    try {
      await h.client.workflow.getHandle(temporalWorkflowId).terminate('operator said so');
      await expect.poll(async () => {
        await h.reconciler.reconcileOnce();
        return (await sql<{ status: string }>`select status from public.user_workflow_run where run_id = ${runId}`.execute(h.db)).rows[0]!.status;
      }, { timeout: 30_000, interval: 500 }).toBe('terminated');
      const steps = await h.steps(runId);
      expect(steps.find((s) => s.node_id === 'wait')?.status).toBe('cancelled');
      expect(steps.filter((s) => s.status === 'running')).toEqual([]);
    } finally {
      await h.startWorkers();
    }
  });

  it('a run that times out ends as timed_out', async () => {
    const wf = await h.createWorkflow('too-slow', approvalDefinition(3600));
    await sql`update public.workflows set execution_timeout_seconds = 2 where id = ${wf}`.execute(h.db);
    await h.deploy(wf);
    const { runId } = await h.start(wf, {});
    await expect.poll(async () => {
      await h.reconciler.reconcileOnce();
      return (await sql<{ status: string }>`select status from public.user_workflow_run where run_id = ${runId}`.execute(h.db)).rows[0]!.status;
    }, { timeout: 30_000, interval: 500 }).toBe('timed_out');
  });

  it('a worker killed mid-run: the run completes after restart with one row per step', async () => {
    const wf = await h.createWorkflow('survive-restart', approvalDefinition(3600));
    await h.deploy(wf);
    const { runId, temporalWorkflowId } = await h.start(wf, {});
    await expect.poll(async () => (await h.steps(runId)).find((s) => s.node_id === 'wait')?.status, { timeout: 20_000 }).toBe('running');
    await h.stopWorkers();
    await h.client.workflow.getHandle(temporalWorkflowId).signal('approve', { decision: 'yes' });
    await h.startWorkers();
    const run = await h.waitForRun(runId);
    expect(run).toMatchObject({ status: 'completed', output: { decision: 'yes' } });
    const steps = await h.steps(runId);
    expect(steps.map((s) => [s.node_id, s.status])).toEqual([['start', 'succeeded'], ['wait', 'succeeded'], ['yes', 'succeeded'], ['done', 'succeeded']]);
    expect(new Set(steps.map((s) => s.step_number)).size).toBe(steps.length);
  });
});
