import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { workQueueDefinition, type WorkflowDefinition } from '@workflow-builder/definition';
import { startHarness, type Harness } from './test/harness.ts';

interface QueueState { items: Array<{ id: string }>; inFlight: { id: string } | null; processed: number; rejected: number; stopped: boolean }

describe('work queues on the real Temporal server', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('work-queues');
    await h.startWorkers();
  });
  afterAll(async () => { await h?.close(); });

  const handle = (temporalWorkflowId: string) => h.client.workflow.getHandle(temporalWorkflowId);
  const state = (temporalWorkflowId: string) => handle(temporalWorkflowId).query<QueueState>('orders_state');

  async function handledIds(runId: string): Promise<string[]> {
    return (await h.steps(runId)).filter((s) => s.node_id === 'handle').map((s) => (s.output_data as { id: string }).id);
  }

  for (const [order, expected] of [
    ['fifo', ['b', 'c', 'd']],
    ['lifo', ['d', 'c', 'b']],
    ['priority', ['c', 'd', 'b']],
  ] as const) {
    it(`${order}: items wait in ${order} order while one is in flight, and are processed in that order`, async () => {
      const wf = await h.createWorkflow(`queue-${order}`, workQueueDefinition({ approval: true, queue: { order } }));
      await h.deploy(wf);
      const { runId, temporalWorkflowId } = await h.start(wf, {});
      const wfHandle = handle(temporalWorkflowId);
      await wfHandle.signal('orders_add', { id: 'a' });
      await expect.poll(async () => (await state(temporalWorkflowId)).inFlight, { timeout: 20_000 }).toEqual({ id: 'a' });
      for (const [id, priority] of [['b', 1], ['c', 5], ['d', 3]] as const) {
        await wfHandle.executeUpdate('orders_enqueue', { args: [{ id, priority }] });
      }
      const waiting = await state(temporalWorkflowId);
      expect(waiting.items.map((item) => item.id)).toEqual(expected);
      expect(waiting).toMatchObject({ processed: 0, rejected: 0, stopped: false });
      for (let i = 0; i < 4; i++) await wfHandle.signal('approve', { decision: `ok-${i}` });
      await expect.poll(async () => (await state(temporalWorkflowId)).processed, { timeout: 20_000 }).toBe(4);
      // A declared query that returns a step output: the last handled item.
      expect(await wfHandle.query('lastHandled')).toMatchObject({ id: expected[2], index: 3, decision: 'ok-3' });
      await wfHandle.signal('orders_stop');
      const run = await h.waitForRun(runId);
      expect(run).toMatchObject({ status: 'completed', output: { processed: 4 } });
      expect(await handledIds(runId)).toEqual(['a', ...expected]);
    });
  }

  it('the enqueue update rejects duplicates and a full queue (nothing enqueued); an overflowing signal is dropped and recorded', async () => {
    const wf = await h.createWorkflow('queue-bounded', workQueueDefinition({ approval: true, queue: { maxSize: 2, deduplicate: true, dedupeBy: 'id' } }));
    await h.deploy(wf);
    const { runId, temporalWorkflowId } = await h.start(wf, {});
    const wfHandle = handle(temporalWorkflowId);
    expect(await wfHandle.executeUpdate('orders_enqueue', { args: [{ id: 'a' }] })).toEqual({ position: 1, size: 1 });
    await expect.poll(async () => (await state(temporalWorkflowId)).inFlight, { timeout: 20_000 }).toEqual({ id: 'a' });
    const rejection = async (item: unknown) => {
      const error = await wfHandle.executeUpdate('orders_enqueue', { args: [item] }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (error as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      return { type: (cause as ApplicationFailure).type, message: (cause as ApplicationFailure).message };
    };
    expect(await rejection({ id: 'a', note: 'in flight' })).toEqual({ type: 'WbQueueDuplicate', message: 'duplicate item' });
    expect(await wfHandle.executeUpdate('orders_enqueue', { args: [{ id: 'b' }] })).toEqual({ position: 1, size: 1 });
    expect(await rejection({ id: 'b' })).toEqual({ type: 'WbQueueDuplicate', message: 'duplicate item' });
    expect(await wfHandle.executeUpdate('orders_enqueue', { args: [{ id: 'c' }] })).toEqual({ position: 2, size: 2 });
    expect(await rejection({ id: 'd' })).toEqual({ type: 'WbQueueFull', message: 'queue full (max_size 2)' });
    await wfHandle.signal('orders_add', { id: 'e' });
    await expect.poll(async () => (await state(temporalWorkflowId)).rejected, { timeout: 20_000 }).toBe(1);
    expect((await state(temporalWorkflowId)).items).toEqual([{ id: 'b' }, { id: 'c' }]);
    for (let i = 0; i < 3; i++) await wfHandle.signal('approve', { decision: 'yes' });
    await expect.poll(async () => (await state(temporalWorkflowId)).processed, { timeout: 20_000 }).toBe(3);
    await wfHandle.signal('orders_stop');
    expect(await h.waitForRun(runId)).toMatchObject({ status: 'completed', output: { processed: 3 } });
    const consume = (await h.steps(runId)).find((s) => s.node_id === 'consume')!;
    expect(consume.events.filter((e) => e.type === 'rejected')).toEqual([
      expect.objectContaining({ data: { reason: 'queue full (max_size 2)', item: { id: 'e' } } }),
    ]);
    expect(consume.output_data).toEqual({ processed: 3, rejected: 1, remaining: [] });
  });

  it('continue-as-new carries the queue over and keeps ONE platform run with continuous step numbers', async () => {
    const wf = await h.createWorkflow('queue-long', workQueueDefinition({ continueAsNewEvery: 2 }));
    await h.deploy(wf);
    await h.stopWorkers();
    const { runId, temporalWorkflowId } = await h.start(wf, {});
    const wfHandle = handle(temporalWorkflowId);
    // Queued before any workflow code runs: the first Temporal run takes them all into its queue.
    for (const id of ['i0', 'i1', 'i2', 'i3', 'i4']) await wfHandle.signal('orders_add', { id });
    await h.startWorkers();
    await expect.poll(async () => (await state(temporalWorkflowId)).processed, { timeout: 30_000 }).toBe(5);
    await wfHandle.signal('orders_add', { id: 'i5' });
    await expect.poll(async () => (await state(temporalWorkflowId)).processed, { timeout: 30_000 }).toBe(6);
    const first = await h.client.workflow.getHandle(temporalWorkflowId, (await sql<{ temporal_run_id: string }>`
      select temporal_run_id from public.user_workflow_run where run_id = ${runId}`.execute(h.db)).rows[0]!.temporal_run_id).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    // The reconciler follows the chain: a continued run is still open, not closed from its first execution.
    await h.reconciler.reconcileOnce();
    expect((await sql<{ status: string }>`select status from public.user_workflow_run where run_id = ${runId}`.execute(h.db)).rows[0]!.status).toBe('running');
    // The built-in state query works on the latest execution too.
    expect((await wfHandle.query<{ status: string }>('wbState')).status).toBe('running');
    await wfHandle.signal('orders_stop');
    expect(await h.waitForRun(runId)).toMatchObject({ status: 'completed', output: { processed: 6 } });

    const runs = await sql<{ n: number }>`select count(*)::int as n from public.user_workflow_run where workflow_id = ${wf}`.execute(h.db);
    expect(runs.rows[0]!.n).toBe(1);
    const steps = await h.steps(runId);
    expect(steps.map((s) => s.step_number)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.filter((s) => s.node_id === 'start')).toHaveLength(1);
    const consume = steps.filter((s) => s.node_id === 'consume');
    expect(consume).toHaveLength(1);
    expect(consume[0]).toMatchObject({ status: 'succeeded', output_data: { processed: 6, rejected: 0, remaining: [] } });
    expect(consume[0]!.events.filter((e) => e.type === 'continued_as_new').length).toBeGreaterThanOrEqual(2);
    const handled = steps.filter((s) => s.node_id === 'handle');
    expect(handled.map((s) => [s.iteration_key, (s.output_data as { id: string }).id])).toEqual(
      ['i0', 'i1', 'i2', 'i3', 'i4', 'i5'].map((id, i) => [`consume:${i}`, id]),
    );
    expect(steps.every((s) => s.status === 'succeeded')).toBe(true);
  });

  it('continue-as-new follows the paths taken before (a signal.wait that timed out, a switch, an if) and wbState still lists the earlier steps', async () => {
    const at = { x: 0, y: 0 };
    const definition: WorkflowDefinition = {
      ...workQueueDefinition({ continueAsNewEvery: 1 }),
      signals: [{ name: 'go', description: 'Skips the queue' }],
      nodes: [
        { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at },
        { id: 'wait', kind: 'signal.wait', label: 'Go?', config: { signalName: 'go', timeoutSeconds: 1 }, position: at },
        { id: 'early', kind: 'output.end', label: 'Early', config: { output: { path: 'received' } }, position: at },
        { id: 'route', kind: 'branch.switch', label: 'Route', config: { value: '{{ input.route }}', cases: [{ id: 'queue', label: 'Queue', equals: 'queue' }] }, position: at },
        { id: 'other', kind: 'output.end', label: 'Other', config: { output: { path: 'default' } }, position: at },
        { id: 'gate', kind: 'branch.if', label: 'Gate', config: { condition: '{{ input.route = "queue" }}' }, position: at },
        { id: 'closed', kind: 'output.end', label: 'Closed', config: { output: { path: 'false' } }, position: at },
        { id: 'consume', kind: 'queue.process', label: 'Orders', config: { queue: 'orders', continueAsNewEvery: 1 }, position: at },
        { id: 'handle', kind: 'transform', label: 'Handle', config: { mapping: { id: '{{ item.id }}' } }, position: at },
        { id: 'done', kind: 'output.end', label: 'Done', config: { output: { path: 'timeout', processed: '{{ steps.consume.output.processed }}' } }, position: at },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait' },
        { id: 'e2', source: 'wait', sourceHandle: 'received', target: 'early' },
        { id: 'e3', source: 'wait', sourceHandle: 'timeout', target: 'route' },
        { id: 'e6', source: 'route', sourceHandle: 'queue', target: 'gate' },
        { id: 'e7', source: 'route', sourceHandle: 'default', target: 'other' },
        { id: 'e8', source: 'gate', sourceHandle: 'true', target: 'consume' },
        { id: 'e9', source: 'gate', sourceHandle: 'false', target: 'closed' },
        { id: 'e4', source: 'consume', sourceHandle: 'item', target: 'handle' },
        { id: 'e5', source: 'consume', sourceHandle: 'done', target: 'done' },
      ],
    };
    const wf = await h.createWorkflow('queue-after-timeout', definition);
    await h.deploy(wf);
    const { runId, temporalWorkflowId } = await h.start(wf, { route: 'queue' });
    const wfHandle = handle(temporalWorkflowId);
    for (const id of ['p0', 'p1', 'p2']) await wfHandle.signal('orders_add', { id });
    // One item per Temporal run: three continue-as-new, each replaying the body past the timed-out wait, the switch and the if.
    await expect.poll(async () => (await state(temporalWorkflowId)).processed, { timeout: 30_000 }).toBe(3);
    const live = await wfHandle.query<{ status: string; steps: Array<{ stepNumber: number; nodeId: string; status: string; iterationKey: string | null }> }>('wbState');
    expect(live.status).toBe('running');
    expect(live.steps.map((s) => [s.stepNumber, s.nodeId, s.status, s.iterationKey])).toEqual([
      [1, 'start', 'succeeded', null],
      [2, 'wait', 'succeeded', null],
      [3, 'route', 'succeeded', null],
      [4, 'gate', 'succeeded', null],
      [5, 'consume', 'running', null],
      [6, 'handle', 'succeeded', 'consume:0'],
      [7, 'handle', 'succeeded', 'consume:1'],
      [8, 'handle', 'succeeded', 'consume:2'],
    ]);
    await wfHandle.signal('orders_stop');
    expect(await h.waitForRun(runId)).toMatchObject({ status: 'completed', output: { path: 'timeout', processed: 3 } });
    const steps = await h.steps(runId);
    expect(steps.map((s) => s.node_id)).toEqual(['start', 'wait', 'route', 'gate', 'consume', 'handle', 'handle', 'handle', 'done']);
    expect(steps.find((s) => s.node_id === 'wait')!.events.map((e) => e.type)).toEqual(['timeout']);
  });

  it('a continued run terminated in Temporal is closed by the reconciler (it follows the chain to its latest execution)', async () => {
    const wf = await h.createWorkflow('queue-terminated', workQueueDefinition({ continueAsNewEvery: 1 }));
    await h.deploy(wf);
    const { runId, temporalWorkflowId } = await h.start(wf, {});
    const wfHandle = handle(temporalWorkflowId);
    for (const id of ['t0', 't1']) await wfHandle.signal('orders_add', { id });
    await expect.poll(async () => (await state(temporalWorkflowId)).processed, { timeout: 30_000 }).toBe(2);
    await wfHandle.terminate('test');
    await expect.poll(async () => {
      await h.reconciler.reconcileOnce();
      return (await sql<{ status: string }>`select status from public.user_workflow_run where run_id = ${runId}`.execute(h.db)).rows[0]!.status;
    }, { timeout: 30_000, interval: 500 }).toBe('terminated');
  });
});
