import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { startHarness, type Harness } from './test/harness.ts';

const at = (x: number) => ({ x, y: 0 });

/** Waits for `approve`, then ends with `{ logic: <label>, decision }`. */
function approvalFlow(logic: string): WorkflowDefinition {
  return {
    schemaVersion: 1,
    signals: [{ name: 'approve' }],
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
      { id: 'wait', kind: 'signal.wait', label: 'Approval', config: { signalName: 'approve' }, position: at(1) },
      { id: 'done', kind: 'output.end', label: 'Done', config: { output: { logic, decision: '{{ steps.wait.output.decision }}' } }, position: at(2) },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'wait' },
      { id: 'e2', source: 'wait', sourceHandle: 'received', target: 'done' },
    ],
  };
}

describe('deploying a new version never breaks runs in flight', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness('versions'); await h.startWorkers(); });
  afterAll(() => h?.close());

  it('a v1 run blocked on a signal completes on v1 logic after v2 is deployed; new runs use v2', async () => {
    const wf = await h.createWorkflow('approve-order', approvalFlow('v1'));
    const v1 = await h.deploy(wf);
    const oldRun = await h.start(wf, {});
    await expect.poll(async () => (await h.steps(oldRun.runId)).find((s) => s.node_id === 'wait')?.status, { timeout: 20_000 }).toBe('running');

    await h.saveDefinition(wf, approvalFlow('v2'));
    const v2 = await h.deploy(wf);
    expect(v2.version).toBe(v1.version + 1);
    expect(v2.workflowType).not.toBe(v1.workflowType);
    // Both versions stay registered: v1 has a run in flight.
    const served = [...h.manager.served().values()].flat().filter((s) => s.workflowId === wf).map((s) => s.version).sort();
    expect(served).toEqual([v1.version, v2.version]);

    const newRun = await h.start(wf, {});
    await h.client.workflow.getHandle(oldRun.temporalWorkflowId).signal('approve', { decision: 'old' });
    await h.client.workflow.getHandle(newRun.temporalWorkflowId).signal('approve', { decision: 'new' });
    expect(await h.waitForRun(oldRun.runId)).toMatchObject({ status: 'completed', compiled_version: v1.version, output: { logic: 'v1', decision: 'old' } });
    expect(await h.waitForRun(newRun.runId)).toMatchObject({ status: 'completed', compiled_version: v2.version, output: { logic: 'v2', decision: 'new' } });

    // With v1's last run closed, the manager drops v1 on its next reconciliation.
    h.manager.trigger();
    await expect.poll(async () => {
      await h.manager.settled();
      return [...h.manager.served().values()].flat().filter((s) => s.workflowId === wf).map((s) => s.version);
    }, { timeout: 20_000 }).toEqual([v2.version]);
    const active = await sql<{ version: number }>`select version from public.workflow_compiled_code where workflow_id = ${wf} and is_active`.execute(h.db);
    expect(active.rows).toEqual([{ version: v2.version }]);
  });

  it('re-deploying an unchanged definition reuses the stored version', async () => {
    const wf = await h.createWorkflow('stable', approvalFlow('same'));
    const first = await h.deploy(wf);
    const again = await h.deploy(wf);
    expect(again.version).toBe(first.version);
    const count = await sql<{ n: number }>`select count(*)::int as n from public.workflow_compiled_code where workflow_id = ${wf}`.execute(h.db);
    expect(count.rows[0]!.n).toBe(1);
  });
});
