import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withCaller } from '@workflow-builder/db';
import { approvalDefinition, type WorkflowDefinition } from '@workflow-builder/definition';
import { deployWorkflow } from '@workflow-builder/engine';
import { startHarness, type Harness } from './test/harness.ts';

const at = (x: number) => ({ x: x * 250, y: 0 });

/** trigger → workflow.child (config) → end. */
function parentOf(childSlug: string, child: Record<string, unknown>, extra: Partial<WorkflowDefinition> = {}, output: Record<string, string> = { ok: 'yes' }): WorkflowDefinition {
  return {
    schemaVersion: 1,
    ...extra,
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
      { id: 'child', kind: 'workflow.child', label: 'Child', config: { workflowSlug: childSlug, ...child }, position: at(1) },
      ...(extra.nodes ?? []),
      { id: 'done', kind: 'output.end', label: 'Done', config: { output }, position: at(3) },
    ],
    edges: extra.edges ?? [{ id: 'e1', source: 'start', target: 'child' }, { id: 'e2', source: 'child', target: 'done' }],
  };
}

describe('child workflows', { timeout: 120_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('children');
    await h.startWorkers();
    // The child everyone starts: waits for an `approve` signal (10 minutes).
    await h.deploy(await h.createWorkflow('approval-child', approvalDefinition(600)));
  });
  afterAll(() => h?.close());

  /** The child's Temporal workflow id, from the parent's child step event. */
  async function childWorkflowIdOf(runId: string): Promise<string> {
    const find = async () => {
      const step = (await h.steps(runId)).find((s) => s.node_id === 'child');
      return (step?.events.find((e) => e.type === 'child')?.data as { workflowId?: string } | undefined)?.workflowId;
    };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const id = await find();
      if (id !== undefined) return id;
      if (Date.now() > deadline) throw new Error(`run ${runId} started no child`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const childStatus = async (workflowId: string) => (await h.client.workflow.getHandle(workflowId).describe()).status.name;

  for (const [policy, expected] of [['terminate', 'TERMINATED'], ['abandon', 'RUNNING'], ['request_cancel', 'CANCELLED']] as const) {
    it(`parent close policy ${policy}: terminating the parent leaves the child ${expected}`, async () => {
      const wf = await h.createWorkflow(`parent-${policy.replace('_', '-')}`, parentOf('approval-child', { parentClosePolicy: policy }));
      await h.deploy(wf);
      const { runId, temporalWorkflowId } = await h.start(wf, {});
      const childId = await childWorkflowIdOf(runId);
      // The child run is recorded with its parent (before the parent goes away).
      const parentOfChild = async () => (await sql<{ parent_run_id: string | null }>`
        select context->>'parentRunId' as parent_run_id from public.user_workflow_run where temporal_workflow_id = ${childId}`.execute(h.db)).rows[0]?.parent_run_id;
      await expect.poll(parentOfChild, { timeout: 30_000 }).toBe(runId);
      await expect.poll(() => childStatus(childId), { timeout: 30_000 }).toBe('RUNNING');
      await h.client.workflow.getHandle(temporalWorkflowId).terminate('test: parent goes away');
      await expect.poll(() => childStatus(childId), { timeout: 30_000 }).toBe(expected);
      if (expected === 'RUNNING') {
        // Abandoned: still alive a moment later, and it can still finish.
        await new Promise((r) => setTimeout(r, 1000));
        expect(await childStatus(childId)).toBe('RUNNING');
        await h.client.workflow.getHandle(childId).signal('approve', { decision: 'late' });
        await expect.poll(() => childStatus(childId), { timeout: 30_000 }).toBe('COMPLETED');
      }
    });
  }

  it('a child signals its parent when the node allows it; deploy refuses it when the node does not', async () => {
    const child: WorkflowDefinition = {
      schemaVersion: 1,
      nodes: [
        { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
        { id: 'tell', kind: 'signal.parent', label: 'Tell parent', config: { signalName: 'childDone', payload: { msg: 'hello {{ input.name }}' } }, position: at(1) },
        { id: 'done', kind: 'output.end', label: 'Done', config: { output: {} }, position: at(2) },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'tell' }, { id: 'e2', source: 'tell', target: 'done' }],
    };
    await h.deploy(await h.createWorkflow('teller', child));
    const withWait = (canSignalParent: boolean): WorkflowDefinition => parentOf('teller', { input: { name: 'parent' }, canSignalParent, waitForCompletion: false }, {
      signals: [{ name: 'childDone' }],
      nodes: [{ id: 'wait', kind: 'signal.wait', label: 'Child done', config: { signalName: 'childDone', timeoutSeconds: 60 }, position: at(2) }],
      edges: [
        { id: 'e1', source: 'start', target: 'child' }, { id: 'e2', source: 'child', target: 'wait' },
        { id: 'e3', source: 'wait', sourceHandle: 'received', target: 'done' }, { id: 'e4', source: 'wait', sourceHandle: 'timeout', target: 'done' },
      ],
    }, { msg: '{{ steps.wait.output.msg }}' });

    const refused = await h.createWorkflow('parent-refused', withWait(false));
    await expect(withCaller(h.apiDb, h.caller, (tx) => deployWorkflow(tx, refused))).rejects.toMatchObject({
      code: 'invalid_workflow', problems: [expect.objectContaining({ nodeId: 'child', field: 'config.canSignalParent', code: 'child_signal_not_allowed' })],
    });

    const wf = await h.createWorkflow('parent-listens', withWait(true));
    await h.deploy(wf);
    const { runId } = await h.start(wf, {});
    const run = await h.waitForRun(runId);
    expect(run).toMatchObject({ status: 'completed', output: { msg: 'hello parent' } });
  });

  it('a child queries its parent when the node allows it; deploy refuses it when the node does not', async () => {
    await h.deploy(await h.createWorkflow('asker', {
      schemaVersion: 1,
      nodes: [
        { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
        { id: 'ask', kind: 'query.parent', label: 'Ask parent', config: { queryName: 'progress' }, position: at(1) },
        { id: 'done', kind: 'output.end', label: 'Done', config: { output: { answer: '{{ steps.ask.output.stage }}' } }, position: at(2) },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'ask' }, { id: 'e2', source: 'ask', target: 'done' }],
    }));
    const asking = (canQueryParent: boolean) => parentOf('asker', { canQueryParent }, { queries: [{ name: 'progress', returns: 'input' }] }, { child: '{{ steps.child.output.answer }}' });
    const refused = await h.createWorkflow('parent-unasked', asking(false));
    await expect(withCaller(h.apiDb, h.caller, (tx) => deployWorkflow(tx, refused))).rejects.toMatchObject({
      problems: [expect.objectContaining({ nodeId: 'child', field: 'config.canQueryParent', code: 'child_query_not_allowed' })],
    });
    const undeclared = await h.createWorkflow('parent-undeclared', parentOf('asker', { canQueryParent: true }));
    await expect(withCaller(h.apiDb, h.caller, (tx) => deployWorkflow(tx, undeclared))).rejects.toMatchObject({
      problems: [expect.objectContaining({ nodeId: 'child', field: 'config.workflowSlug', code: 'unknown_query' })],
    });
    const wf = await h.createWorkflow('parent-answers', asking(true));
    await h.deploy(wf);
    const run = await h.waitForRun((await h.start(wf, { stage: 'review' })).runId);
    expect(run).toMatchObject({ status: 'completed', output: { child: 'review' } });
  });

  it('signal.parent fails in a run that has no parent', async () => {
    const wf = await h.createWorkflow('orphan-teller', {
      schemaVersion: 1,
      nodes: [
        { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
        { id: 'tell', kind: 'signal.parent', label: 'Tell parent', config: { signalName: 'x' }, position: at(1) },
        { id: 'done', kind: 'output.end', label: 'Done', config: { output: {} }, position: at(2) },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'tell' }, { id: 'e2', source: 'tell', target: 'done' }],
    });
    await h.deploy(wf);
    const run = await h.waitForRun((await h.start(wf, {})).runId);
    expect(run.status).toBe('failed');
    expect(run.error_message).toMatch(/not started by a parent/);
  });

  it('blockUntil holds the child until a signal arrives; a timeout fails the step', async () => {
    await h.deploy(await h.createWorkflow('quick-child', {
      schemaVersion: 1,
      nodes: [
        { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
        { id: 'done', kind: 'output.end', label: 'Done', config: { output: { started: '{{ $string(input.n) }}' } }, position: at(1) },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    }));
    const wf = await h.createWorkflow('blocked-parent', parentOf('quick-child', { input: { n: '{{ input.n }}' }, blockUntil: { signal: 'go', expression: '{{ input.n > 1 }}' } }, { signals: [{ name: 'go' }] }, { child: '{{ steps.child.output.started }}' }));
    await h.deploy(wf);
    const { runId, temporalWorkflowId } = await h.start(wf, { n: 2 });
    await expect.poll(async () => JSON.stringify((await h.steps(runId)).map((s) => [s.node_id, s.status, s.events.map((e) => e.type)])), { timeout: 30_000 }).toContain('"blocked"');
    const blocked = (await h.steps(runId)).find((s) => s.node_id === 'child')!;
    expect(blocked.events.find((e) => e.type === 'blocked')!.data).toEqual({ waitingFor: ['signal go'] });
    expect(blocked.events.some((e) => e.type === 'child')).toBe(false);
    await h.client.workflow.getHandle(temporalWorkflowId).signal('go', {});
    expect(await h.waitForRun(runId)).toMatchObject({ status: 'completed', output: { child: '2' } });
    expect((await h.steps(runId)).find((s) => s.node_id === 'child')!.events.map((e) => e.type)).toEqual(expect.arrayContaining(['blocked', 'unblocked', 'child']));

    const timed = await h.createWorkflow('blocked-timeout', parentOf('quick-child', { blockUntil: { expression: '{{ input.ready }}', timeoutSeconds: 1 } }));
    await h.deploy(timed);
    const failed = await h.waitForRun((await h.start(timed, { ready: false })).runId);
    expect(failed.status).toBe('failed');
    expect(failed.error_message).toMatch(/still waiting for expression after 1 s/);
  });

  it('deploying records the parent\'s child workflows; undeploying clears them', async () => {
    const wf = await h.createWorkflow('recorded-parent', parentOf('approval-child', {
      parentClosePolicy: 'abandon', canSignalParent: true, canQueryParent: true, blockUntil: { nodes: ['start'], timeoutSeconds: 30 },
    }));
    await h.deploy(wf);
    const rows = async () => (await sql<Record<string, unknown>>`
      select parent_node_id, child_workflow_name, parent_close_policy, can_signal_parent, can_query_parent, block_until,
             child_workflow_id = (select id from public.workflows where kebab_name = 'approval-child') as is_ours
      from public.workflow_child_workflows where parent_workflow_id = ${wf}`.execute(h.db)).rows;
    expect(await rows()).toEqual([{
      parent_node_id: 'child', child_workflow_name: 'wf_approval_child_v1', parent_close_policy: 'abandon',
      can_signal_parent: true, can_query_parent: true, block_until: { nodes: ['start'], timeoutSeconds: 30 }, is_ours: true,
    }]);
    // Invalid blockUntil references are validation problems.
    const bad = await h.createWorkflow('bad-block', parentOf('approval-child', { blockUntil: { nodes: ['nope'], signal: 'undeclared' } }));
    await expect(withCaller(h.apiDb, h.caller, (tx) => deployWorkflow(tx, bad))).rejects.toMatchObject({
      problems: expect.arrayContaining([
        expect.objectContaining({ field: 'config.blockUntil.nodes[0]', code: 'unknown_node' }),
        expect.objectContaining({ field: 'config.blockUntil.signal', code: 'unknown_signal' }),
      ]),
    });
  });
});
