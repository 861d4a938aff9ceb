import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createProject, createTestApp, createWorkflow, expectProblem, signUp, withAdmin, type TestApp, type TestUser } from '../../test/helpers.ts';

describe('workers and activity statistics (read-only)', () => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await createTestApp('workers');
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
  });
  afterAll(() => t.close());

  it('lists a project\'s workers, filtered by status', async () => {
    const project = await createProject(t.app, owner);
    await withAdmin(t.tdb, (c) => c.query(
      `insert into public.workflow_workers (org_id, project_id, worker_id, task_queue_name, status, last_heartbeat_at)
       values ($1, $2, 'w-1', $3, 'running', now()), ($1, $2, 'w-2', $3, 'stopped', null)`, [owner.orgId, project.id, project.taskQueueName]));
    const res = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/projects/${project.id}/workers`, headers: viewer.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((w: { workerId: string }) => w.workerId).sort()).toEqual(['w-1', 'w-2']);
    const running = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/projects/${project.id}/workers?status=running`, headers: viewer.headers });
    expect(running.json().items).toEqual([expect.objectContaining({ workerId: 'w-1', status: 'running', lastHeartbeatAt: expect.any(String) })]);
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/projects/${project.id}/workers?status=dead`, headers: viewer.headers }), 400, 'validation_failed', '/query/status');
  });

  it('lists activity statistics with filters', async () => {
    const project = await createProject(t.app, owner);
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id);
    await withAdmin(t.tdb, (c) => c.query(
      `insert into public.activity_statistics (org_id, component_id, workflow_id, execution_count, success_count, failure_count, avg_duration_ms)
       select $1, c.id, w, 10, 9, 1, 120 from public.components c, unnest(array[$2::uuid, null]) as w where c.name = 'http.request' and c.org_id is null`,
      [owner.orgId, wf.id]));
    const res = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/statistics/activities`, headers: viewer.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toHaveLength(2);
    expect(res.json().items[0]).toMatchObject({ componentName: 'http.request', executionCount: 10, successCount: 9, failureCount: 1, avgDurationMs: 120 });
    const perWorkflow = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/statistics/activities?workflowId=${wf.id}`, headers: viewer.headers });
    expect(perWorkflow.json().items).toEqual([expect.objectContaining({ workflowId: wf.id })]);
    const totals = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/statistics/activities?scope=organization&limit=1`, headers: viewer.headers });
    expect(totals.json()).toEqual({ items: [expect.objectContaining({ workflowId: null })], nextCursor: null });
    const first = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/statistics/activities?limit=1`, headers: viewer.headers });
    const second = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/statistics/activities?limit=1&cursor=${first.json().nextCursor}`, headers: viewer.headers });
    expect(second.json().items[0].id).not.toBe(first.json().items[0].id);
    expect(second.json().nextCursor).toBeNull();
  });
});
