import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withCaller } from '@workflow-builder/db';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { createSchedule, deleteSchedule, listSchedules, scheduleIdOf, setSchedulePaused, syncWorkflowSchedule, triggerSchedule, undeployWorkflow, updateSchedule } from '@workflow-builder/engine';
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

  it('deploying creates the schedule; a scheduled run is recorded; undeploy pauses it, archiving deletes it', async () => {
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

    // Undeploy keeps the row (and Temporal's history) but stops the schedule firing.
    await withCaller(h.apiDb, h.caller, async (tx) => {
      await undeployWorkflow(tx, wf);
      expect(await syncWorkflowSchedule(tx, async () => h.client, wf)).toMatchObject({ paused: true });
    });
    expect((await handle.describe()).state).toMatchObject({ paused: true, note: 'workflow not deployed' });

    // Archiving deletes both.
    await sql`update public.workflows set status_id = app.workflow_status_id('archived') where id = ${wf}`.execute(h.db);
    await withCaller(h.apiDb, h.caller, async (tx) => expect(await syncWorkflowSchedule(tx, async () => h.client, wf)).toBeNull());
    await expect(handle.describe()).rejects.toMatchObject({ name: 'ScheduleNotFoundError' });
    const rows = await sql<{ n: number }>`select count(*)::int as n from public.workflow_scheduled_workflows where workflow_id = ${wf}`.execute(h.db);
    expect(rows.rows[0]!.n).toBe(0);
  });

  it('API schedules: start immediately, max runs, pause, next fire times; a redeploy keeps them and the paused trigger', async () => {
    const wf = await h.createWorkflow('nightly-api', nightly);
    await h.deploy(wf);
    const as = <T>(fn: (tx: Parameters<Parameters<typeof withCaller>[2]>[0]) => Promise<T>) => withCaller(h.apiDb, h.caller, fn);
    await as((tx) => syncWorkflowSchedule(tx, async () => h.client, wf));
    const [trigger] = await as((tx) => listSchedules(tx, async () => h.client, wf));
    expect(trigger).toMatchObject({ source: 'trigger', triggerNodeId: 'tick', cron: '30 2 * * *', paused: false, firing: true, nextFireTimesSource: 'temporal', remainingRuns: null });
    expect(trigger!.nextFireTimes).toHaveLength(5);
    // 02:30 in Paris is 01:30 or 00:30 UTC.
    for (const t of trigger!.nextFireTimes) expect(t).toMatch(/T0[01]:30:00\.000Z$/);

    // Invalid settings name the field with the parser's reason; nothing is written.
    await expect(as((tx) => createSchedule(tx, async () => h.client, wf, { cron: '61 * * * *', timezone: 'UTC', startImmediately: false, maxRuns: null, paused: false })))
      .rejects.toMatchObject({ code: 'invalid_input', problems: [{ field: '/cron', code: 'invalid_cron', message: expect.stringMatching(/61/) }] });
    await expect(as((tx) => createSchedule(tx, async () => h.client, wf, { cron: '* * * * *', timezone: 'Mars/Olympus', startImmediately: false, maxRuns: null, paused: false })))
      .rejects.toMatchObject({ problems: [{ field: '/timezone', code: 'invalid_timezone' }] });

    const created = await as((tx) => createSchedule(tx, async () => h.client, wf, { cron: '0 12 1 1 *', timezone: 'Asia/Tokyo', startImmediately: true, maxRuns: 3, paused: false }));
    expect(created).toMatchObject({ source: 'api', cron: '0 12 1 1 *', timezone: 'Asia/Tokyo', maxRuns: 3, paused: false, firing: true });
    const apiHandle = h.client.schedule.getHandle(created.temporalScheduleId);
    expect((await apiHandle.describe()).spec.timezone).toBe('Asia/Tokyo');
    // startImmediately fired one run at creation.
    const runs = async () => (await sql<{ status: string; channel: string }>`select status, channel from public.user_workflow_run where workflow_id = ${wf}`.execute(h.db)).rows;
    await expect.poll(async () => (await runs()).filter((r) => r.status === 'completed').length, { timeout: 30_000 }).toBe(1);
    expect((await runs())[0]!.channel).toBe('schedule');
    const [, api] = await as((tx) => listSchedules(tx, async () => h.client, wf));
    expect(api).toMatchObject({ id: created.id, remainingRuns: 3, nextFireTimesSource: 'temporal' });
    expect(api!.nextFireTimes[0]).toMatch(/-01-01T03:00:00\.000Z$/);
    expect(api!.recentActions.length).toBe(1);
    // Temporal unreachable: the list still answers, with times computed from the cron expression.
    const offline = await as((tx) => listSchedules(tx, async () => { throw new Error('connect ECONNREFUSED'); }, wf));
    expect(offline.map((s) => [s.nextFireTimesSource, s.nextFireTimes.length])).toEqual([['computed', 5], ['computed', 5]]);
    expect(offline[1]!.nextFireTimes[0]).toMatch(/-01-01T03:00:00\.000Z$/);

    // Pausing the trigger's schedule and changing max runs.
    await as((tx) => setSchedulePaused(tx, async () => h.client, wf, trigger!.id, true));
    expect((await h.client.schedule.getHandle(scheduleIdOf(wf)).describe()).state.paused).toBe(true);
    const capped = await as((tx) => updateSchedule(tx, async () => h.client, wf, created.id, { maxRuns: 1, cron: '15 8 * * *' }));
    expect(capped).toMatchObject({ maxRuns: 1, remainingRuns: 1, cron: '15 8 * * *' });
    await expect(as((tx) => updateSchedule(tx, async () => h.client, wf, trigger!.id, { cron: '0 1 * * *' })))
      .rejects.toMatchObject({ problems: [{ field: '/cron', code: 'managed_by_trigger' }] });

    // Redeploy with a new trigger cron: the trigger takes it and stays paused; the API schedule is untouched.
    await h.saveDefinition(wf, { ...nightly, nodes: nightly.nodes.map((n) => (n.id === 'tick' ? { ...n, config: { cron: '0 6 * * *', timezone: 'UTC' } } : n)) });
    const { version } = await h.deploy(wf);
    await as((tx) => syncWorkflowSchedule(tx, async () => h.client, wf));
    const after = await as((tx) => listSchedules(tx, async () => h.client, wf));
    expect(after.map((s) => [s.source, s.cron, s.paused, s.remainingRuns])).toEqual([['trigger', '0 6 * * *', true, null], ['api', '15 8 * * *', false, 1]]);
    expect(after[0]!.nextFireTimesSource).toBe('computed');
    expect(after[0]!.nextFireTimes[0]).toMatch(/T06:00:00\.000Z$/);
    expect((await apiHandle.describe()).action).toMatchObject({ workflowType: `wf_nightly_api_v${version}` });

    // Trigger now, then delete: the row and Temporal's schedule go together.
    await as((tx) => triggerSchedule(tx, async () => h.client, wf, created.id));
    await expect.poll(async () => (await runs()).filter((r) => r.status === 'completed').length, { timeout: 30_000 }).toBe(2);
    await expect(as((tx) => deleteSchedule(tx, async () => h.client, wf, trigger!.id))).rejects.toMatchObject({ problems: [{ code: 'managed_by_trigger' }] });
    await as((tx) => deleteSchedule(tx, async () => h.client, wf, created.id));
    await expect(apiHandle.describe()).rejects.toMatchObject({ name: 'ScheduleNotFoundError' });
    expect((await as((tx) => listSchedules(tx, async () => h.client, wf))).map((s) => s.source)).toEqual(['trigger']);
  });

  it('Temporal refusing a schedule rolls the row back', async () => {
    const wf = await h.createWorkflow('refused', nightly);
    await h.deploy(wf);
    // Temporal accepts every cron our parser accepts, so a failing client stands in for the refusal.
    const before = await sql<{ n: number }>`select count(*)::int as n from public.workflow_scheduled_workflows`.execute(h.db);
    const broken = async () => { throw Object.assign(new Error('boom: refused'), { name: 'ServiceError' }); };
    await expect(withCaller(h.apiDb, h.caller, (tx) => createSchedule(tx, broken as never, wf, { cron: '* * * * *', timezone: 'UTC', startImmediately: false, maxRuns: null, paused: false })))
      .rejects.toThrow(/boom/);
    const after = await sql<{ n: number }>`select count(*)::int as n from public.workflow_scheduled_workflows`.execute(h.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
