import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withCaller } from '@workflow-builder/db';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { scheduleIdOf, syncWorkflowSchedule, undeployWorkflow } from '@workflow-builder/engine';
import { startHarness, type Harness } from './test/harness.ts';

const at = (x: number) => ({ x, y: 0 });
const nightly: WorkflowDefinition = {
  schemaVersion: 1,
  nodes: [
    { id: 'tick', kind: 'trigger.schedule', label: 'Every night', config: { cron: '30 2 * * *', timezone: 'Europe/Paris' }, position: at(0) },
    { id: 'report', kind: 'transform', label: 'Report', config: { mapping: { kind: 'nightly' } }, position: at(1) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { report: '{{ steps.report.output.kind }}' } }, position: at(2) },
  ],
  edges: [{ id: 'e1', source: 'tick', target: 'report' }, { id: 'e2', source: 'report', target: 'done' }],
};

describe('schedule triggers become Temporal Schedules', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness('schedules'); await h.startWorkers(); });
  afterAll(() => h?.close());

  it('deploying creates the schedule; a scheduled run is recorded; undeploying deletes it', async () => {
    const wf = await h.createWorkflow('nightly-report', nightly);
    const { version } = await h.deploy(wf);
    const state = await withCaller(h.apiDb, h.caller, (tx) => syncWorkflowSchedule(tx, async () => h.client, wf));
    expect(state).toMatchObject({ scheduleId: scheduleIdOf(wf), cron: '30 2 * * *', timezone: 'Europe/Paris', paused: false, error: null });

    const handle = h.client.schedule.getHandle(scheduleIdOf(wf));
    const described = await handle.describe();
    expect(described.spec.timezone).toBe('Europe/Paris');
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: `wf_nightly_report_v${version}` });
    expect(described.info.nextActionTimes.length).toBeGreaterThan(0);
    const row = await sql<{ cron_expression: string; temporal_schedule_id: string; created_by: string }>`
      select cron_expression, temporal_schedule_id, created_by from public.workflow_scheduled_workflows where workflow_id = ${wf}`.execute(h.db);
    expect(row.rows).toEqual([{ cron_expression: '30 2 * * *', temporal_schedule_id: scheduleIdOf(wf), created_by: h.developer.userId }]);

    // Fire it now rather than waiting for 02:30 in Paris.
    await handle.trigger();
    const runRow = async () => (await sql<{ run_id: string; status: string; channel: string; created_by: string; output: unknown }>`
      select run_id, status, channel, created_by, output from public.user_workflow_run where workflow_id = ${wf}`.execute(h.db)).rows;
    await expect.poll(async () => (await runRow())[0]?.status, { timeout: 30_000 }).toBe('completed');
    const [run] = await runRow();
    expect(run).toMatchObject({ channel: 'schedule', created_by: h.developer.userId, output: { report: 'nightly' } });
    expect((await h.steps(run!.run_id)).map((s) => [s.node_id, s.status])).toEqual([['tick', 'succeeded'], ['report', 'succeeded'], ['done', 'succeeded']]);
    const exec = await sql<{ status: string; user_workflow_id: string | null }>`select status, user_workflow_id from public.workflow_executions where run_id = ${run!.run_id}`.execute(h.db);
    expect(exec.rows[0]).toMatchObject({ status: 'completed' });
    expect(exec.rows[0]!.user_workflow_id).toBeTruthy();

    await withCaller(h.apiDb, h.caller, async (tx) => {
      await undeployWorkflow(tx, wf);
      expect(await syncWorkflowSchedule(tx, async () => h.client, wf)).toBeNull();
    });
    await expect(handle.describe()).rejects.toMatchObject({ name: 'ScheduleNotFoundError' });
    const rows = await sql<{ n: number }>`select count(*)::int as n from public.workflow_scheduled_workflows where workflow_id = ${wf}`.execute(h.db);
    expect(rows.rows[0]!.n).toBe(0);
  });
});
