import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { createProject, createWorkflow, expectProblem, signUp, withAdmin, type ProjectDto, type TestUser } from '../../test/helpers.ts';
import { createEngineTestApp, deployViaApi, doublerDefinition, type EngineTestApp } from '../../test/engine.ts';

const at = (x: number) => ({ x, y: 0 });
const nightly = (cron: string): WorkflowDefinition => ({
  schemaVersion: 1,
  nodes: [
    { id: 'tick', kind: 'trigger.schedule', label: 'Nightly', config: { cron, timezone: 'Europe/Paris' }, position: at(0) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { ok: 'yes' } }, position: at(1) },
  ],
  edges: [{ id: 'e1', source: 'tick', target: 'done' }],
});

interface ScheduleDto {
  id: string; source: string; cron: string; timezone: string; paused: boolean; firing: boolean; maxRuns: number | null;
  remainingRuns: number | null; nextFireTimes: string[]; nextFireTimesSource: string; temporalScheduleId: string; lastError: string | null;
}

describe('schedules API', () => {
  let t: EngineTestApp;
  let owner: TestUser;
  let project: ProjectDto;
  beforeAll(async () => {
    t = await createEngineTestApp('schedules-api');
    owner = await signUp(t.app, 'owner');
    project = await createProject(t.app, owner);
  });
  afterAll(() => t?.close());

  const url = (workflowId: string, tail = '') => `/v1/orgs/${owner.orgId}/workflows/${workflowId}/schedules${tail}`;
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', u: string, payload?: object) =>
    t.app.inject({ method, url: u, headers: owner.headers, ...(payload ? { payload } : {}) });
  const list = async (workflowId: string) => ((await call('GET', url(workflowId))).json() as { items: ScheduleDto[] }).items;
  const rowCount = (workflowId: string) => withAdmin(t.tdb, async (c) =>
    (await c.query('select count(*)::int as n from public.workflow_scheduled_workflows where workflow_id = $1', [workflowId])).rows[0].n as number);

  it('refuses invalid settings naming the field with the parser\'s reason, and undeployed workflows', async () => {
    const wf = (await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: doublerDefinition })).id;
    expectProblem(await call('POST', url(wf), { cron: '0 9 * * *' }), 409, 'conflict', '/params/workflowId');
    await deployViaApi(t.app, owner, owner.orgId, wf);
    const [cronErr] = expectProblem(await call('POST', url(wf), { cron: '61 * * * *' }), 400, 'validation_failed', '/cron');
    expect(cronErr!.message).toMatch(/61/);
    expectProblem(await call('POST', url(wf), { cron: '* * *' }), 400, 'validation_failed', '/cron');
    expectProblem(await call('POST', url(wf), { cron: '* * * * *', timezone: 'Mars/Olympus' }), 400, 'validation_failed', '/timezone');
    expectProblem(await call('POST', url(wf), { cron: '* * * * *', maxRuns: 0 }), 400, 'validation_failed', '/maxRuns');
    expectProblem(await call('POST', url(wf), { cron: '* * * * *', every: 5 }), 400, 'validation_failed');
    expect(await rowCount(wf)).toBe(0);
  });

  it('creates, lists with next fire times, pauses, resumes, caps runs, triggers and deletes', async () => {
    const wf = (await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: doublerDefinition })).id;
    await deployViaApi(t.app, owner, owner.orgId, wf, 30);
    const res = await call('POST', url(wf), { cron: '0 9 * * mon-fri', timezone: 'America/New_York', maxRuns: 10 });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as ScheduleDto;
    expect(created).toMatchObject({ source: 'api', cron: '0 9 * * mon-fri', timezone: 'America/New_York', paused: false, firing: true, maxRuns: 10, remainingRuns: 10, nextFireTimesSource: 'temporal' });
    expect(created.nextFireTimes).toHaveLength(5);
    // 09:00 in New York is 13:00 or 14:00 UTC, on weekdays.
    for (const t of created.nextFireTimes) {
      expect(t).toMatch(/T1[34]:00:00\.000Z$/);
      expect([0, 6]).not.toContain(new Date(t).getUTCDay());
    }
    expect(await list(wf)).toMatchObject([{ id: created.id }]);

    const paused = (await call('POST', url(wf, `/${created.id}/pause`))).json() as ScheduleDto;
    expect(paused).toMatchObject({ paused: true, firing: false, nextFireTimesSource: 'computed' });
    expect(paused.nextFireTimes).toHaveLength(5);
    const described = await t.h.client.schedule.getHandle(created.temporalScheduleId).describe();
    expect(described.state.paused).toBe(true);
    expect((await call('POST', url(wf, `/${created.id}/unpause`))).json()).toMatchObject({ paused: false, firing: true });

    const patched = await call('PATCH', url(wf, `/${created.id}`), { maxRuns: 2, cron: '*/30 * * * *' });
    expect(patched.json()).toMatchObject({ maxRuns: 2, remainingRuns: 2, cron: '*/30 * * * *' });
    expectProblem(await call('PATCH', url(wf, `/${created.id}`), { cron: 'every day' }), 400, 'validation_failed', '/cron');
    expectProblem(await call('PATCH', url(wf, `/${created.id}`), {}), 400, 'validation_failed');
    expect((await list(wf))[0]!.cron).toBe('*/30 * * * *');

    expect((await call('POST', url(wf, `/${created.id}/trigger`))).statusCode).toBe(202);
    const run = async () => withAdmin(t.tdb, async (c) =>
      (await c.query('select status, channel, input from public.user_workflow_run where workflow_id = $1', [wf])).rows[0]);
    await expect.poll(async () => (await run())?.status, { timeout: 30_000 }).toBeDefined();
    expect(await run()).toMatchObject({ channel: 'schedule' });

    expect((await call('DELETE', url(wf, `/${created.id}`))).statusCode).toBe(204);
    expectProblem(await call('GET', url(wf, `/${created.id}`)), 404, 'not_found', '/params/scheduleId');
    await expect(t.h.client.schedule.getHandle(created.temporalScheduleId).describe()).rejects.toMatchObject({ name: 'ScheduleNotFoundError' });
    expect(await rowCount(wf)).toBe(0);
  });

  it('lists the trigger node\'s schedule; a redeploy keeps it paused and keeps API schedules', async () => {
    const wf = (await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: nightly('30 2 * * *') })).id;
    await deployViaApi(t.app, owner, owner.orgId, wf);
    const [trigger] = await list(wf);
    expect(trigger).toMatchObject({ source: 'trigger', cron: '30 2 * * *', timezone: 'Europe/Paris' });
    await call('POST', url(wf, `/${trigger!.id}/pause`));
    expectProblem(await call('PATCH', url(wf, `/${trigger!.id}`), { cron: '0 3 * * *' }), 400, 'validation_failed', '/cron');
    expectProblem(await call('DELETE', url(wf, `/${trigger!.id}`)), 400, 'validation_failed', '/params/scheduleId');
    const extra = (await call('POST', url(wf), { cron: '0 12 * * *', paused: true })).json() as ScheduleDto;

    const saved = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/workflows/${wf}`, headers: owner.headers });
    const patch = await t.app.inject({
      method: 'PATCH', url: `/v1/orgs/${owner.orgId}/workflows/${wf}`, headers: owner.headers,
      payload: { definition: nightly('0 4 * * *'), definitionVersion: (saved.json() as { definitionVersion: number }).definitionVersion },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    await deployViaApi(t.app, owner, owner.orgId, wf);
    expect((await list(wf)).map((s) => [s.id, s.source, s.cron, s.paused])).toEqual([
      [trigger!.id, 'trigger', '0 4 * * *', true],
      [extra.id, 'api', '0 12 * * *', true],
    ]);
  });
});
