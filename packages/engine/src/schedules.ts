import { sql } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Tx } from '@workflow-builder/db';
import { parseDefinition } from '@workflow-builder/definition';
import type { WorkflowRunArgs } from '@workflow-builder/runtime/contract';
import { EngineError } from './errors.ts';

/** gRPC UNAVAILABLE / DEADLINE_EXCEEDED: the cluster cannot be reached (as opposed to a refusal). */
function isUnavailable(e: unknown): boolean {
  const code = (e as { code?: number }).code;
  return code === 14 || code === 4 || /connect|unavailable|deadline/i.test((e as Error).message ?? '');
}

async function temporalCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isUnavailable(e)) throw new EngineError('temporal_unavailable', `Temporal is unreachable: ${(e as Error).message}`);
    throw e;
  }
}

/** Temporal Schedule id of a workflow's schedule trigger: one schedule per workflow. */
export const scheduleIdOf = (workflowId: string) => `wb-schedule-${workflowId}`;

interface ScheduleSource {
  org_id: string;
  project_id: string;
  workstream_slug: string;
  definition: unknown;
  status: string;
  task_queue_name: string;
  version: number | null;
  workflow_type: string | null;
  execution_timeout_seconds: number;
  user_id: string;
}

export interface ScheduleState {
  scheduleId: string;
  cron: string;
  timezone: string;
  paused: boolean;
  /** Why Temporal refused the schedule, if it did (also saved in workflow_scheduled_workflows.last_error). */
  error: string | null;
}

/**
 * Mirrors a workflow's `trigger.schedule` to a Temporal Schedule: created or updated (cron, time
 * zone, the active version's workflow type) while a version is deployed, paused with the
 * workflow, deleted when it is undeployed or no longer has a schedule trigger. The row in
 * `workflow_scheduled_workflows` records what Temporal was told (and the last error). Scheduled
 * runs start without a run id; the worker records them as channel `schedule`, attributed to the
 * user who deployed. Call after the deploy / undeploy / status change has committed.
 */
export async function syncWorkflowSchedule(tx: Tx, getClient: () => Promise<Client>, workflowId: string): Promise<ScheduleState | null> {
  const found = await sql<ScheduleSource>`
    select w.org_id, w.project_id, w.workstream_slug, w.definition, s.name as status, p.task_queue_name,
           c.version, c.workflow_type, w.execution_timeout_seconds, app.current_user_id() as user_id
    from public.workflows w
    join public.workflow_statuses s on s.id = w.status_id
    join public.projects p on p.id = w.project_id
    left join public.workflow_compiled_code c on c.workflow_id = w.id and c.is_active
    where w.id = ${workflowId}`.execute(tx);
  const wf = found.rows[0];
  const scheduleId = scheduleIdOf(workflowId);
  // Connect lazily: workflows without a schedule never need Temporal here.
  const handle = async () => (await temporalCall(getClient)).schedule.getHandle(scheduleId);
  const parsed = wf ? parseDefinition(wf.definition) : undefined;
  const trigger = parsed?.ok ? parsed.value.nodes.find((n) => n.kind === 'trigger.schedule') : undefined;

  if (!wf || !trigger || !wf.version || !wf.workflow_type || wf.status === 'archived') {
    // Only a workflow that had a schedule touches Temporal: deploys of others do not depend on it.
    const had = await sql<{ id: string }>`delete from public.workflow_scheduled_workflows
      where workflow_id = ${workflowId} and work_queue_id is null returning id`.execute(tx);
    if (had.rows.length) {
      await temporalCall(async () => (await handle()).delete()).catch((e: Error) => { if (e.name !== 'ScheduleNotFoundError') throw e; });
    }
    return null;
  }

  const config = trigger.config as { cron: string; timezone?: string };
  const timezone = config.timezone ?? 'UTC';
  const paused = wf.status === 'paused';
  const args: WorkflowRunArgs = {
    input: {},
    run: {
      runId: '', orgId: wf.org_id, projectId: wf.project_id, workflowId, workstreamSlug: wf.workstream_slug,
      version: wf.version, recordSteps: true, createdBy: wf.user_id, channel: 'schedule',
    },
  };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: wf.workflow_type,
    taskQueue: wf.task_queue_name,
    workflowId: `wb-scheduled-${workflowId}`,
    args: [args],
    workflowExecutionTimeout: `${wf.execution_timeout_seconds}s`,
  };
  const spec = { cronExpressions: [config.cron], timezone };
  let error: string | null = null;
  try {
    await (await handle()).update((prev) => ({ ...prev, spec, action, state: { ...prev.state, paused } }));
  } catch (e) {
    if (isUnavailable(e)) throw new EngineError('temporal_unavailable', `Temporal is unreachable: ${(e as Error).message}`);
    if ((e as Error).name !== 'ScheduleNotFoundError') error = (e as Error).message;
    else {
      try {
        await (await getClient()).schedule.create({ scheduleId, spec, action, state: { paused }, policies: { overlap: 'ALLOW_ALL' } });
      } catch (createError) {
        error = (createError as Error).message;
      }
    }
  }
  await sql`delete from public.workflow_scheduled_workflows where workflow_id = ${workflowId} and work_queue_id is null`.execute(tx);
  await sql`
    insert into public.workflow_scheduled_workflows
      (org_id, workflow_id, cron_expression, timezone, temporal_schedule_id, is_paused, last_error, created_by)
    values (${wf.org_id}, ${workflowId}, ${config.cron}, ${timezone}, ${scheduleId}, ${paused}, ${error}, app.current_user_id())`.execute(tx);
  return { scheduleId, cron: config.cron, timezone, paused, error };
}
