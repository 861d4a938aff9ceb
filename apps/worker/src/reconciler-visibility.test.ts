import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Client } from '@temporalio/client';
import { approvalDefinition } from '@workflow-builder/definition';
import { RunReconciler } from './reconciler.ts';
import { startHarness, type Harness } from './test/harness.ts';

/** A client whose describe calls are counted (everything else is the real client). */
function countingDescribes(client: Client): { client: Client; described: string[] } {
  const described: string[] = [];
  const workflow = new Proxy(client.workflow, {
    get(target, key, receiver) {
      if (key !== 'getHandle') return Reflect.get(target, key, receiver);
      return (...args: Parameters<Client['workflow']['getHandle']>) => {
        const handle = target.getHandle(...args);
        return new Proxy(handle, {
          get(h, k, r) {
            if (k === 'describe') return () => { described.push(args[0]); return h.describe(); };
            return Reflect.get(h, k, r);
          },
        });
      };
    },
  });
  return { client: new Proxy(client, { get: (c, k, r) => (k === 'workflow' ? workflow : Reflect.get(c, k, r)) }), described };
}

describe('the reconciler asks Temporal about closed executions only', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness('reconciler-visibility'); await h.startWorkers(); });
  afterAll(async () => { await h?.close(); });

  it('does not describe runs Temporal lists as running, and closes the one it lists as terminated', async () => {
    const wf = await h.createWorkflow('waits-long', approvalDefinition(3600));
    await h.deploy(wf);
    const waiting = await h.start(wf, {});
    const doomed = await h.start(wf, {});
    for (const r of [waiting, doomed]) {
      await expect.poll(async () => (await h.steps(r.runId)).find((s) => s.node_id === 'wait')?.status, { timeout: 20_000 }).toBe('running');
    }
    await new Promise((r) => setTimeout(r, 2_100)); // past the reconciler's 2 s grace for new runs
    const { client, described } = countingDescribes(h.client);
    const reconciler = new RunReconciler(h.db, client, h.recorder);

    expect(await reconciler.reconcileOnce()).toBe(0);
    expect(described).toEqual([]);

    await h.client.workflow.getHandle(doomed.temporalWorkflowId).terminate('test');
    await expect.poll(async () => {
      await reconciler.reconcileOnce();
      return (await sql<{ status: string }>`select status from public.user_workflow_run where run_id = ${doomed.runId}`.execute(h.db)).rows[0]!.status;
    }, { timeout: 20_000, interval: 300 }).toBe('terminated');
    expect(new Set(described)).toEqual(new Set([doomed.temporalWorkflowId]));
    expect((await sql<{ status: string }>`select status from public.user_workflow_run where run_id = ${waiting.runId}`.execute(h.db)).rows[0]!.status).toBe('running');
  });
});
