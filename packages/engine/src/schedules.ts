import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Client, ScheduleDescription, ScheduleHandle } from '@temporalio/client';
import type { Tx } from '@workflow-builder/db';
import { cronError, isValidTimezone, nextFireTimes, parseDefinition } from '@workflow-builder/definition';
import type { WorkflowRunArgs } from '@workflow-builder/runtime/contract';
import { EngineError, type EngineProblem } from './errors.ts';

/*
 * Schedules of a workflow, each a row of workflow_scheduled_workflows mirrored to one Temporal
 * Schedule. Two sources:
 *   - the deployed definition's `trigger.schedule` node (trigger_node_id set): its cron and time
 *     zone come from the node and are rewritten by every deploy; paused state and max runs are
 *     managed through the API and survive deploys;
 *   - schedules created through the API (trigger_node_id null): all settings are the API's; a deploy
 *     only points them at the new version.
 * Order of operations: the row is written first, Temporal is told inside the same transaction, and
 * a refusal or an unreachable Temporal throws, which rolls the row back (the two do not drift).
 * Deploy-time sync is the exception: a refusal there is saved in last_error rather than failing a
 * deploy that has already committed. Temporal's schedule is paused whenever the row is paused, the
 * workflow is paused or no version is deployed (undeploy keeps the rows and their history).
 */

/** gRPC UNAVAILABLE / DEADLINE_EXCEEDED: the cluster cannot be reached (as opposed to a refusal). */
function isUnavailable(e: unknown): boolean {
  const code = (e as { code?: number }).code;
  return code === 14 || code === 4 || /connect|unavailable|deadline/i.test((e as Error).message ?? '');
}

const isNotFound = (e: unknown) => (e as Error).name === 'ScheduleNotFoundError';

async function temporalCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isUnavailable(e)) throw new EngineError('temporal_unavailable', `Temporal is unreachable: ${(e as Error).message}`);
    throw e;
  }
}

/** Temporal Schedule id of a workflow's trigger.schedule node. */
export const scheduleIdOf = (workflowId: string) => `wb-schedule-${workflowId}`;
/** Temporal Schedule id of a schedule created through the API. */
const apiScheduleIdOf = (workflowId: string, rowId: string) => `wb-schedule-${workflowId}-${rowId}`;

interface WorkflowSource {
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

interface ScheduleRow {
  id: string;
  workflow_id: string;
  trigger_node_id: string | null;
  cron_expression: string;
  timezone: string;
  start_immediately: boolean;
  max_runs: number | null;
  temporal_schedule_id: string;
  is_paused: boolean;
  last_error: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** State of the trigger.schedule node's schedule after a deploy (the deploy response's `schedule`). */
export interface ScheduleState {
  scheduleId: string;
  cron: string;
  timezone: string;
  paused: boolean;
  /** Why Temporal refused the schedule, if it did (also saved in workflow_scheduled_workflows.last_error). */
  error: string | null;
}

/** Settings of a schedule, as the API takes them. */
export interface ScheduleSettings {
  cron: string;
  timezone: string;
  /** Trigger one run when the schedule is created. */
  startImmediately: boolean;
  /** Stop after this many scheduled runs (Temporal's remainingActions); null: unlimited. */
  maxRuns: number | null;
  paused: boolean;
}

/** A schedule as listed: the row, what Temporal says about it, and the next fire times. */
export interface ScheduleView {
  id: string;
  workflowId: string;
  temporalScheduleId: string;
  /** `trigger` for the trigger.schedule node's schedule, `api` for one added through the API. */
  source: 'trigger' | 'api';
  triggerNodeId: string | null;
  cron: string;
  timezone: string;
  startImmediately: boolean;
  maxRuns: number | null;
  /** Paused by a user (the row). */
  paused: boolean;
  /** Whether the schedule can fire: not paused, the workflow active and a version deployed. */
  firing: boolean;
  /** Runs left before the schedule stops (Temporal's remainingActions); null: unlimited or unknown. */
  remainingRuns: number | null;
  /** Next fire times (ISO), from Temporal's describe, else computed from the cron expression. */
  nextFireTimes: string[];
  /** Where nextFireTimes came from: `temporal`, or `computed` when Temporal could not be asked or the schedule cannot fire. */
  nextFireTimesSource: 'temporal' | 'computed';
  recentActions: Array<{ scheduledAt: string; takenAt: string; workflowId: string | null }>;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

async function loadWorkflow(tx: Tx, workflowId: string): Promise<WorkflowSource | undefined> {
  const found = await sql<WorkflowSource>`
    select w.org_id, w.project_id, w.workstream_slug, w.definition, s.name as status, p.task_queue_name,
           c.version, c.workflow_type, w.execution_timeout_seconds, app.current_user_id() as user_id
    from public.workflows w
    join public.workflow_statuses s on s.id = w.status_id
    join public.projects p on p.id = w.project_id
    left join public.workflow_compiled_code c on c.workflow_id = w.id and c.is_active
    where w.id = ${workflowId}`.execute(tx);
  return found.rows[0];
}

const deployed = (wf: WorkflowSource) => wf.version !== null && wf.workflow_type !== null && wf.status !== 'archived';

async function rowsOf(tx: Tx, workflowId: string): Promise<ScheduleRow[]> {
  const r = await sql<ScheduleRow>`
    select id, workflow_id, trigger_node_id, cron_expression, timezone, start_immediately, max_runs,
           temporal_schedule_id, is_paused, last_error, created_at, updated_at
    from public.workflow_scheduled_workflows
    where workflow_id = ${workflowId} and work_queue_id is null
    order by trigger_node_id is null, created_at, id`.execute(tx);
  return r.rows;
}

function actionOf(wf: WorkflowSource, workflowId: string, row: ScheduleRow) {
  const args: WorkflowRunArgs = {
    input: {},
    run: {
      runId: '', orgId: wf.org_id, projectId: wf.project_id, workflowId, workstreamSlug: wf.workstream_slug,
      version: wf.version!, recordSteps: true, createdBy: wf.user_id, channel: 'schedule',
    },
  };
  return {
    type: 'startWorkflow' as const,
    workflowType: wf.workflow_type!,
    taskQueue: wf.task_queue_name,
    // Temporal appends the fire time to this id.
    workflowId: row.trigger_node_id !== null ? `wb-scheduled-${workflowId}` : `wb-scheduled-${workflowId}-${row.id}`,
    args: [args],
    workflowExecutionTimeout: `${wf.execution_timeout_seconds}s`,
  };
}

function noteOf(wf: WorkflowSource, row: ScheduleRow): string {
  if (row.is_paused) return 'paused by a user';
  if (!deployed(wf)) return 'workflow not deployed';
  if (wf.status === 'paused') return 'workflow paused';
  return '';
}

/**
 * Makes Temporal's schedule match the row and the workflow: updated in place (keeping its
 * remaining runs unless `resetRemaining`), created when missing. Throws Temporal's refusal.
 */
async function pushToTemporal(
  client: Client, wf: WorkflowSource, workflowId: string, row: ScheduleRow,
  opts: { resetRemaining: boolean; triggerImmediately: boolean },
): Promise<void> {
  const spec = { cronExpressions: [row.cron_expression], timezone: row.timezone };
  const action = actionOf(wf, workflowId, row);
  const note = noteOf(wf, row);
  const paused = note !== '';
  const handle = client.schedule.getHandle(row.temporal_schedule_id);
  try {
    await temporalCall(() => handle.update((prev) => {
      const state: { paused: boolean; note: string; remainingActions?: number } = { paused, note };
      if (opts.resetRemaining) { if (row.max_runs !== null) state.remainingActions = row.max_runs; }
      else if (prev.state.remainingActions !== undefined) state.remainingActions = prev.state.remainingActions;
      return { ...prev, spec, action, state };
    }));
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await temporalCall(() => client.schedule.create({
      scheduleId: row.temporal_schedule_id, spec, action, policies: { overlap: 'ALLOW_ALL' },
      state: {
        paused, note,
        ...(row.max_runs !== null ? { remainingActions: row.max_runs } : {}),
        ...(opts.triggerImmediately && !paused ? { triggerImmediately: true } : {}),
      },
    }));
  }
}

async function deleteFromTemporal(getClient: () => Promise<Client>, scheduleId: string): Promise<void> {
  await temporalCall(async () => (await getClient()).schedule.getHandle(scheduleId).delete())
    .catch((e: unknown) => { if (!isNotFound(e)) throw e; });
}

/** Temporal's refusal as an engine error (the row is rolled back by the caller's transaction). */
function refused(e: unknown): never {
  if (e instanceof EngineError) throw e;
  throw new EngineError('invalid_input', `Temporal refused the schedule: ${(e as Error).message}`, [
    { field: '/', code: 'temporal_refused', message: (e as Error).message },
  ]);
}

/**
 * Mirrors a workflow's schedules to Temporal after a deploy, undeploy or status change has
 * committed: the trigger.schedule node's row takes the node's cron and time zone (created on the
 * first deploy, deleted with the node), every row's Temporal schedule points at the active version
 * and is paused unless the row, the workflow and the deployment all allow firing. An archived or
 * deleted workflow loses its schedules. Refusals are saved in last_error, not thrown.
 *
 * @example
 * const trigger = await syncWorkflowSchedule(tx, () => app.temporal.client(), workflowId); // null: no trigger.schedule
 */
export async function syncWorkflowSchedule(tx: Tx, getClient: () => Promise<Client>, workflowId: string): Promise<ScheduleState | null> {
  const wf = await loadWorkflow(tx, workflowId);
  const rows = await rowsOf(tx, workflowId);
  if (!wf || wf.status === 'archived') {
    for (const row of rows) await deleteFromTemporal(getClient, row.temporal_schedule_id);
    if (rows.length) await sql`delete from public.workflow_scheduled_workflows where workflow_id = ${workflowId} and work_queue_id is null`.execute(tx);
    return null;
  }
  const parsed = wf.version !== null ? parseDefinition(wf.definition) : undefined;
  const trigger = parsed?.ok ? parsed.value.nodes.find((n) => n.kind === 'trigger.schedule') : undefined;
  let triggerRow = rows.find((r) => r.trigger_node_id !== null);
  const created = new Set<string>();

  if (deployed(wf)) {
    if (triggerRow && (!trigger || trigger.id !== triggerRow.trigger_node_id)) {
      await deleteFromTemporal(getClient, triggerRow.temporal_schedule_id);
      await sql`delete from public.workflow_scheduled_workflows where id = ${triggerRow.id}`.execute(tx);
      rows.splice(rows.indexOf(triggerRow), 1);
      triggerRow = undefined;
    }
    if (trigger) {
      const config = trigger.config as { cron: string; timezone?: string };
      const timezone = config.timezone ?? 'UTC';
      if (triggerRow) {
        triggerRow.cron_expression = config.cron;
        triggerRow.timezone = timezone;
        await sql`update public.workflow_scheduled_workflows set cron_expression = ${config.cron}, timezone = ${timezone}
          where id = ${triggerRow.id}`.execute(tx);
      } else {
        const inserted = await sql<ScheduleRow>`
          insert into public.workflow_scheduled_workflows
            (org_id, workflow_id, trigger_node_id, cron_expression, timezone, temporal_schedule_id, created_by)
          values (${wf.org_id}, ${workflowId}, ${trigger.id}, ${config.cron}, ${timezone}, ${scheduleIdOf(workflowId)}, app.current_user_id())
          returning id, workflow_id, trigger_node_id, cron_expression, timezone, start_immediately, max_runs,
                    temporal_schedule_id, is_paused, last_error, created_at, updated_at`.execute(tx);
        triggerRow = inserted.rows[0]!;
        rows.unshift(triggerRow);
        created.add(triggerRow.id);
      }
    }
  }

  if (rows.length === 0) return null;
  const client = await temporalCall(getClient);
  for (const row of rows) {
    if (!deployed(wf)) {
      // Nothing to point at: keep the schedule (remaining runs, history) but stop it firing.
      await temporalCall(() => client.schedule.getHandle(row.temporal_schedule_id).pause('workflow not deployed'))
        .catch((e: unknown) => { if (!isNotFound(e)) throw e; });
      continue;
    }
    let error: string | null = null;
    try {
      await pushToTemporal(client, wf, workflowId, row, { resetRemaining: false, triggerImmediately: created.has(row.id) && row.start_immediately });
    } catch (e) {
      if (e instanceof EngineError) throw e;
      error = (e as Error).message;
    }
    if (error !== row.last_error) {
      row.last_error = error;
      await sql`update public.workflow_scheduled_workflows set last_error = ${error} where id = ${row.id}`.execute(tx);
    }
  }
  if (!triggerRow) return null;
  return { scheduleId: triggerRow.temporal_schedule_id, cron: triggerRow.cron_expression, timezone: triggerRow.timezone, paused: noteOf(wf, triggerRow) !== '', error: triggerRow.last_error };
}

/** The settings' problems, each naming its field (a body pointer); empty when they are valid. */
export function scheduleSettingsProblems(s: Partial<Pick<ScheduleSettings, 'cron' | 'timezone' | 'maxRuns'>>): EngineProblem[] {
  const problems: EngineProblem[] = [];
  const zoneOk = s.timezone === undefined || isValidTimezone(s.timezone);
  if (!zoneOk) problems.push({ field: '/timezone', code: 'invalid_timezone', message: 'unknown time zone: use an IANA name such as Europe/Paris' });
  if (s.cron !== undefined) {
    const error = cronError(s.cron, zoneOk ? (s.timezone ?? 'UTC') : 'UTC');
    if (error !== undefined) problems.push({ field: '/cron', code: 'invalid_cron', message: error });
  }
  return problems;
}

function checkSettings(s: Partial<ScheduleSettings>): void {
  const problems = scheduleSettingsProblems(s);
  if (problems.length) throw new EngineError('invalid_input', problems.map((p) => p.message).join('; '), problems);
}

async function requireWorkflow(tx: Tx, workflowId: string): Promise<WorkflowSource> {
  const wf = await loadWorkflow(tx, workflowId);
  if (!wf) throw new EngineError('not_found', 'workflow not found');
  if (wf.status === 'archived') throw new EngineError('workflow_archived', 'the workflow is archived');
  return wf;
}

async function requireRow(tx: Tx, workflowId: string, id: string): Promise<ScheduleRow> {
  const row = (await rowsOf(tx, workflowId)).find((r) => r.id === id);
  if (!row) throw new EngineError('not_found', 'schedule not found');
  return row;
}

function describeView(row: ScheduleRow, wf: WorkflowSource, described: ScheduleDescription | null, count = 5): ScheduleView {
  const firing = noteOf(wf, row) === '';
  const fromTemporal = described !== null && firing && described.info.nextActionTimes.length > 0;
  const remainingRuns = described?.state.remainingActions ?? (row.max_runs !== null && !described ? row.max_runs : null);
  let next: string[] = [];
  if (fromTemporal) next = described.info.nextActionTimes.slice(0, count).map((d) => d.toISOString());
  else if (remainingRuns !== 0) next = nextFireTimes(row.cron_expression, row.timezone, count).map((d) => d.toISOString());
  return {
    id: row.id,
    workflowId: row.workflow_id,
    temporalScheduleId: row.temporal_schedule_id,
    source: row.trigger_node_id !== null ? 'trigger' : 'api',
    triggerNodeId: row.trigger_node_id,
    cron: row.cron_expression,
    timezone: row.timezone,
    startImmediately: row.start_immediately,
    maxRuns: row.max_runs,
    paused: row.is_paused,
    firing,
    remainingRuns,
    nextFireTimes: next,
    nextFireTimesSource: fromTemporal ? 'temporal' : 'computed',
    recentActions: (described?.info.recentActions ?? []).slice(-10).reverse().map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
      workflowId: a.action.type === 'startWorkflow' ? a.action.workflow.workflowId : null,
    })),
    lastError: row.last_error,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

async function describeOrNull(client: Client | null, row: ScheduleRow): Promise<ScheduleDescription | null> {
  if (!client) return null;
  try {
    return await client.schedule.getHandle(row.temporal_schedule_id).describe();
  } catch {
    // Missing or unreachable: the list still answers, with computed fire times.
    return null;
  }
}

async function clientOrNull(getClient: () => Promise<Client>): Promise<Client | null> {
  try { return await getClient(); } catch { return null; }
}

/**
 * A workflow's schedules with Temporal's view of each (next fire times, recent actions, remaining
 * runs). When Temporal cannot be asked, or the schedule cannot fire, the next fire times are
 * computed from the cron expression (`nextFireTimesSource: 'computed'`).
 */
export async function listSchedules(tx: Tx, getClient: () => Promise<Client>, workflowId: string): Promise<ScheduleView[]> {
  const wf = await loadWorkflow(tx, workflowId);
  if (!wf) throw new EngineError('not_found', 'workflow not found');
  const rows = await rowsOf(tx, workflowId);
  if (rows.length === 0) return [];
  const client = await clientOrNull(getClient);
  return Promise.all(rows.map(async (row) => describeView(row, wf, await describeOrNull(client, row))));
}

/** One schedule, as {@link listSchedules} shows it. */
export async function getSchedule(tx: Tx, getClient: () => Promise<Client>, workflowId: string, id: string): Promise<ScheduleView> {
  const wf = await requireWorkflow(tx, workflowId);
  const row = await requireRow(tx, workflowId, id);
  return describeView(row, wf, await describeOrNull(await clientOrNull(getClient), row));
}

/**
 * Adds a schedule through the API: the row, then its Temporal Schedule in the same transaction
 * (a refusal rolls the row back). Needs a deployed version to start.
 */
export async function createSchedule(tx: Tx, getClient: () => Promise<Client>, workflowId: string, settings: ScheduleSettings): Promise<ScheduleView> {
  checkSettings(settings);
  const wf = await requireWorkflow(tx, workflowId);
  if (!deployed(wf)) throw new EngineError('not_deployed', 'deploy the workflow before scheduling it');
  const id = randomUUID();
  const inserted = await sql<ScheduleRow>`
    insert into public.workflow_scheduled_workflows
      (id, org_id, workflow_id, cron_expression, timezone, start_immediately, max_runs, temporal_schedule_id, is_paused, created_by)
    values (${id}, ${wf.org_id}, ${workflowId}, ${settings.cron}, ${settings.timezone}, ${settings.startImmediately}, ${settings.maxRuns},
            ${apiScheduleIdOf(workflowId, id)}, ${settings.paused}, app.current_user_id())
    returning id, workflow_id, trigger_node_id, cron_expression, timezone, start_immediately, max_runs,
              temporal_schedule_id, is_paused, last_error, created_at, updated_at`.execute(tx);
  const row = inserted.rows[0]!;
  const client = await temporalCall(getClient);
  await pushToTemporal(client, wf, workflowId, row, { resetRemaining: true, triggerImmediately: settings.startImmediately }).catch(refused);
  return describeView(row, wf, await describeOrNull(client, row));
}

/**
 * Changes a schedule. The trigger node's schedule takes its cron and time zone from the definition
 * (409 here); max runs and paused can change. A new maxRuns restarts the count of remaining runs.
 */
export async function updateSchedule(
  tx: Tx, getClient: () => Promise<Client>, workflowId: string, id: string, patch: Partial<ScheduleSettings>,
): Promise<ScheduleView> {
  checkSettings({ ...patch, ...(patch.cron !== undefined && patch.timezone === undefined ? { timezone: (await requireRow(tx, workflowId, id)).timezone } : {}) });
  const wf = await requireWorkflow(tx, workflowId);
  const row = await requireRow(tx, workflowId, id);
  if (row.trigger_node_id !== null && (patch.cron !== undefined || patch.timezone !== undefined || patch.startImmediately !== undefined)) {
    throw new EngineError('invalid_input', 'this schedule comes from the trigger.schedule node: change its cron and time zone in the editor and deploy', [
      { field: patch.cron !== undefined ? '/cron' : patch.timezone !== undefined ? '/timezone' : '/startImmediately', code: 'managed_by_trigger', message: 'set by the trigger.schedule node' },
    ]);
  }
  const next: ScheduleRow = {
    ...row,
    cron_expression: patch.cron ?? row.cron_expression,
    timezone: patch.timezone ?? row.timezone,
    start_immediately: patch.startImmediately ?? row.start_immediately,
    max_runs: patch.maxRuns !== undefined ? patch.maxRuns : row.max_runs,
    is_paused: patch.paused ?? row.is_paused,
    last_error: null,
  };
  checkSettings({ cron: next.cron_expression, timezone: next.timezone });
  const updated = await sql<ScheduleRow>`
    update public.workflow_scheduled_workflows
    set cron_expression = ${next.cron_expression}, timezone = ${next.timezone}, start_immediately = ${next.start_immediately},
        max_runs = ${next.max_runs}, is_paused = ${next.is_paused}, last_error = null
    where id = ${id}
    returning id, workflow_id, trigger_node_id, cron_expression, timezone, start_immediately, max_runs,
              temporal_schedule_id, is_paused, last_error, created_at, updated_at`.execute(tx);
  const saved = updated.rows[0]!;
  const client = await temporalCall(getClient);
  if (deployed(wf)) {
    await pushToTemporal(client, wf, workflowId, saved, { resetRemaining: patch.maxRuns !== undefined, triggerImmediately: false }).catch(refused);
  }
  return describeView(saved, wf, await describeOrNull(client, saved));
}

/** Pauses or resumes a schedule (the row's is_paused, then Temporal's state). */
export function setSchedulePaused(tx: Tx, getClient: () => Promise<Client>, workflowId: string, id: string, paused: boolean): Promise<ScheduleView> {
  return updateSchedule(tx, getClient, workflowId, id, { paused });
}

/** Deletes an API schedule: the row, then Temporal's (already gone is fine). The trigger's is removed with its node. */
export async function deleteSchedule(tx: Tx, getClient: () => Promise<Client>, workflowId: string, id: string): Promise<void> {
  await requireWorkflow(tx, workflowId);
  const row = await requireRow(tx, workflowId, id);
  if (row.trigger_node_id !== null) {
    throw new EngineError('invalid_input', 'this schedule comes from the trigger.schedule node: pause it, or remove the node and deploy', [
      { field: '/params/scheduleId', code: 'managed_by_trigger', message: 'set by the trigger.schedule node' },
    ]);
  }
  await sql`delete from public.workflow_scheduled_workflows where id = ${id}`.execute(tx);
  await deleteFromTemporal(getClient, row.temporal_schedule_id);
}

/** Starts one run now through the schedule (does not use up a remaining run). Needs an active, deployed workflow. */
export async function triggerSchedule(tx: Tx, getClient: () => Promise<Client>, workflowId: string, id: string): Promise<void> {
  const wf = await requireWorkflow(tx, workflowId);
  const row = await requireRow(tx, workflowId, id);
  if (!deployed(wf)) throw new EngineError('not_deployed', 'the workflow has no deployed version');
  if (wf.status === 'paused') throw new EngineError('workflow_paused', 'the workflow is paused');
  const client = await temporalCall(getClient);
  const handle: ScheduleHandle = client.schedule.getHandle(row.temporal_schedule_id);
  try {
    await temporalCall(() => handle.trigger());
  } catch (e) {
    if (!isNotFound(e)) refused(e);
    // Temporal lost it (drift): recreate from the row, then fire.
    await pushToTemporal(client, wf, workflowId, row, { resetRemaining: true, triggerImmediately: false }).catch(refused);
    await temporalCall(() => handle.trigger());
  }
}
