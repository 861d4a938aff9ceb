import { sql } from 'kysely';
import type { Database } from '@workflow-builder/db';
import type { RunContextInfo, RunRecordBatch, RunStatus, StepActivityMeta, StepEvent, StepRecord } from '@workflow-builder/runtime/contract';

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'terminated', 'timed_out'];
const TERMINAL = sql.raw(`(${TERMINAL_RUN_STATUSES.map((s) => `'${s}'`).join(', ')})`);

/** Steps as one jsonb array, expanded server-side with jsonb_to_recordset: one statement per batch. */
function stepsJson(steps: StepRecord[]): string {
  return JSON.stringify(steps.map((s) => ({
    step_number: s.stepNumber,
    node_id: s.nodeId,
    node_kind: s.nodeKind,
    iteration_key: s.iterationKey ?? null,
    status: s.status,
    retry_count: s.retryCount,
    started_at: s.startedAt,
    ended_at: s.endedAt,
    input: s.input === undefined ? null : s.input,
    output: s.output === undefined ? null : s.output,
    events: s.events ?? [],
    error: s.error ?? null,
  })));
}

const STEP_COLUMNS = sql`
  step_number int, node_id text, node_kind text, iteration_key text, status text, retry_count int,
  started_at timestamptz, ended_at timestamptz, input jsonb, output jsonb, events jsonb, error jsonb`;

/**
 * Writes run records to Postgres for the worker (as service_role).
 *
 * - `recordRun` is the authoritative write, called by the workflow's `wbRecordRun` local activity:
 *   one transaction upserting the run, its execution row and the changed steps (keyed by
 *   (run_id, step_number), so retries and replays never duplicate rows).
 * - `progress` is the best-effort live view fed by the workflow sink; it is buffered and folded
 *   into one statement per flush, and never overwrites a step that already reached a final state.
 * - `attemptFailed` records activity attempts that failed before a retry (the workflow only ever
 *   sees the last attempt), appended to the step's events.
 */
export class RunRecorder {
  private pending = new Map<string, { batch: RunRecordBatch; steps: Map<number, StepRecord> }>();
  private pendingEvents: Array<{ meta: StepActivityMeta; events: StepEvent[] }> = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Database, private readonly flushIntervalMs = 250) {}

  async recordRun(batch: RunRecordBatch): Promise<void> {
    const run = batch.run;
    await this.db.transaction().execute(async (tx) => {
      let before = await sql<{ status: RunStatus }>`
        select status from public.user_workflow_run where run_id = ${run.runId} for update`.execute(tx);
      if (!before.rows[0] && (run.parentRunId || run.createdBy)) {
        await this.ensureRunRow(tx, run, batch.startedAt ?? null);
        before = await sql<{ status: RunStatus }>`select status from public.user_workflow_run where run_id = ${run.runId} for update`.execute(tx);
      }
      if (!before.rows[0]) throw new Error(`Run ${run.runId} has no user_workflow_run row`);
      const becameTerminal = TERMINAL_RUN_STATUSES.includes(batch.status) && !TERMINAL_RUN_STATUSES.includes(before.rows[0].status);
      // A terminal status is written once; a late non-terminal report never reopens a run.
      const updated = await sql<{ duration_ms: number | null }>`
        update public.user_workflow_run r set
          status = case when r.status in ${TERMINAL} and ${batch.status} not in ${TERMINAL} then r.status else ${batch.status} end,
          -- The workflow's own start time wins: the API stamps started_at only after Temporal accepted the run.
          started_at = coalesce(${batch.startedAt ?? null}::timestamptz, r.started_at),
          ended_at = coalesce(${batch.endedAt ?? null}::timestamptz, r.ended_at),
          duration_ms = case when ${batch.endedAt ?? null}::timestamptz is not null
            then greatest(0, (extract(epoch from (${batch.endedAt ?? null}::timestamptz - coalesce(${batch.startedAt ?? null}::timestamptz, r.started_at))) * 1000)::int)
            else r.duration_ms end,
          output = coalesce(${batch.output === undefined ? null : JSON.stringify(batch.output)}::jsonb, r.output),
          error_message = coalesce(${batch.error?.message ?? null}, r.error_message),
          error_details = coalesce(${batch.error ? JSON.stringify(batch.error) : null}::jsonb, r.error_details),
          -- The engine's snapshot (every node's merged config) wins over the overrides the workflow reports.
          config_snapshot = coalesce(r.config_snapshot, ${batch.configSnapshot === undefined ? null : JSON.stringify(batch.configSnapshot)}::jsonb)
        where r.run_id = ${run.runId}
        returning r.duration_ms`.execute(tx);
      if (batch.steps.length) await this.upsertSteps(tx, run.orgId, run.runId, batch.steps, true);
      await sql`
        update public.workflow_executions set
          status = case when status in ${TERMINAL} and ${batch.status} not in ${TERMINAL} then status else ${batch.status} end,
          outputs = coalesce(${batch.output === undefined ? null : JSON.stringify(batch.output)}::jsonb, outputs),
          error = coalesce(${batch.error?.message ?? null}, error),
          completed_at = coalesce(${batch.endedAt ?? null}::timestamptz, completed_at),
          duration_ms = coalesce(${updated.rows[0]?.duration_ms ?? null}::int, duration_ms)
        where run_id = ${run.runId}`.execute(tx);
      if (becameTerminal) await this.updateStatistics(tx, batch);
    });
  }

  /**
   * Runs the API did not start have no row yet; their first record creates it. A schedule's run is
   * attributed to `run.createdBy` (who deployed the schedule).
   */
  private async ensureRunRow(db: Database, run: RunContextInfo, startedAt: string | null): Promise<void> {
    if (run.parentRunId) return this.insertChildRun(db, run, startedAt);
    if (!run.createdBy) return;
    await sql`
      insert into public.user_workflow_run
        (run_id, org_id, project_id, workflow_id, workstream_slug, client_id, status, channel, compiled_version,
         temporal_workflow_id, temporal_run_id, input, created_by, started_at)
      values (${run.runId}, ${run.orgId}, ${run.projectId}, ${run.workflowId}, ${run.workstreamSlug}, ${run.clientId ?? null}, 'running',
              ${run.channel ?? 'schedule'}, ${run.version}, ${run.temporalWorkflowId ?? null}, ${run.temporalRunId ?? null}, '{}'::jsonb,
              ${run.createdBy}, ${startedAt}::timestamptz)
      on conflict (run_id) do nothing`.execute(db);
    await this.insertExecutionRow(db, run.runId);
  }

  private async insertExecutionRow(db: Database, runId: string): Promise<void> {
    await sql`
      insert into public.workflow_executions
        (org_id, project_id, workstream_slug, workflow_id, user_workflow_id, run_id, client_id, temporal_workflow_id, temporal_run_id,
         status, compiled_version, request_id, inputs)
      select r.org_id, r.project_id, r.workstream_slug, r.workflow_id, uw.id, r.run_id, r.client_id, r.temporal_workflow_id, r.temporal_run_id,
             'running', r.compiled_version, r.request_id, coalesce(r.input, '{}'::jsonb)
      from public.user_workflow_run r join public.user_workflows uw on uw.workflow_id = r.workflow_id
      where r.run_id = ${runId} and not exists (select 1 from public.workflow_executions e where e.run_id = r.run_id)`.execute(db);
  }

  /**
   * A child workflow's run is created by its parent workflow, not by the API: its first record
   * creates the rows, inheriting organisation and author from the parent run and linking back
   * to it (context.parentRunId / parentStepNumber), so the run pages link both ways.
   */
  private async insertChildRun(db: Database, run: RunContextInfo, startedAt: string | null): Promise<void> {
    const context = JSON.stringify({ parentRunId: run.parentRunId, parentStepNumber: run.parentStepNumber ?? null });
    await sql`
      insert into public.user_workflow_run
        (run_id, org_id, project_id, workflow_id, workstream_slug, client_id, status, channel, compiled_version, request_id,
         temporal_workflow_id, context, created_by, started_at)
      select ${run.runId}::uuid, p.org_id, ${run.projectId}::uuid, ${run.workflowId}::uuid, ${run.workstreamSlug}, p.client_id, 'running', 'child',
             ${run.version}, p.request_id, ${run.temporalWorkflowId ?? `wb-${run.runId}`}, ${context}::jsonb, p.created_by, ${startedAt}::timestamptz
      from public.user_workflow_run p where p.run_id = ${run.parentRunId!}
      on conflict (run_id) do nothing`.execute(db);
    await this.insertExecutionRow(db, run.runId);
  }

  private async upsertSteps(db: Database, orgId: string, runId: string, steps: StepRecord[], authoritative: boolean): Promise<void> {
    await sql`
      insert into public.user_workflow_run_step as t
        (org_id, run_id, node_id, node_kind, step_number, status, attempt_count, retry_count, iteration_key,
         started_at, ended_at, duration_ms, input_data, output_data, events, error_message, error_details)
      select ${orgId}::uuid, ${runId}::uuid, s.node_id, s.node_kind, s.step_number, s.status,
             case when s.status in ('pending', 'skipped') then 0 else s.retry_count + 1 end, s.retry_count, s.iteration_key,
             s.started_at, s.ended_at, (extract(epoch from (s.ended_at - s.started_at)) * 1000)::int,
             s.input, s.output, coalesce(s.events, '[]'::jsonb), s.error ->> 'message', s.error
      from jsonb_to_recordset(${stepsJson(steps)}::jsonb) as s(${STEP_COLUMNS})
      on conflict (run_id, step_number) do update set
        status = excluded.status, attempt_count = excluded.attempt_count, retry_count = excluded.retry_count,
        started_at = coalesce(t.started_at, excluded.started_at), ended_at = excluded.ended_at, duration_ms = excluded.duration_ms,
        input_data = excluded.input_data, output_data = excluded.output_data,
        -- Activity-side events (failed attempts) are kept; the workflow's own events are replaced.
        events = (select coalesce(jsonb_agg(e), '[]'::jsonb) from jsonb_array_elements(t.events) e where e ->> 'source' = 'activity') || excluded.events,
        error_message = excluded.error_message, error_details = excluded.error_details
      ${authoritative ? sql`` : sql`where t.status in ('pending', 'running')`}`.execute(db);
  }

  /** Per-component and per-project counters, once per run when it reaches a final status. */
  private async updateStatistics(db: Database, batch: RunRecordBatch): Promise<void> {
    const { runId, orgId, workflowId, projectId, version } = batch.run;
    await sql`
      with steps as (
        select s.node_kind, s.status, s.duration_ms from public.user_workflow_run_step s
        where s.run_id = ${runId} and s.status in ('succeeded', 'failed')
      ), per_component as (
        select c.id as component_id, count(*) as n, count(*) filter (where st.status = 'succeeded') as ok,
               count(*) filter (where st.status = 'failed') as ko, avg(coalesce(st.duration_ms, 0)) as avg_ms,
               min(st.duration_ms) as min_ms, max(st.duration_ms) as max_ms
        from steps st join public.components c on c.org_id is null and c.name = st.node_kind
        group by c.id
      ), targets as (
        select component_id, ${workflowId}::uuid as workflow_id, n, ok, ko, avg_ms, min_ms, max_ms from per_component
        union all
        select component_id, null::uuid, n, ok, ko, avg_ms, min_ms, max_ms from per_component
      )
      insert into public.activity_statistics as a
        (org_id, component_id, workflow_id, execution_count, success_count, failure_count, avg_duration_ms, min_duration_ms, max_duration_ms, last_executed_at)
      select ${orgId}::uuid, component_id, workflow_id, n, ok, ko, round(avg_ms)::int, min_ms, max_ms, now() from targets
      on conflict (org_id, component_id, workflow_id) do update set
        avg_duration_ms = ((a.avg_duration_ms::numeric * a.execution_count + excluded.avg_duration_ms::numeric * excluded.execution_count)
                           / nullif(a.execution_count + excluded.execution_count, 0))::int,
        execution_count = a.execution_count + excluded.execution_count,
        success_count = a.success_count + excluded.success_count,
        failure_count = a.failure_count + excluded.failure_count,
        min_duration_ms = least(a.min_duration_ms, excluded.min_duration_ms),
        max_duration_ms = greatest(a.max_duration_ms, excluded.max_duration_ms),
        last_executed_at = excluded.last_executed_at,
        updated_at = now()`.execute(db);
    await sql`
      with r as (select duration_ms from public.user_workflow_run where run_id = ${runId}),
           acts as (select count(*)::bigint as n from public.user_workflow_run_step
                    where run_id = ${runId} and node_kind in ('http.request', 'ai.agent'))
      update public.projects p set
        avg_execution_duration_ms = ((p.avg_execution_duration_ms::numeric * p.total_workflow_executions + coalesce((select duration_ms from r), 0))
                                     / (p.total_workflow_executions + 1))::int,
        total_workflow_executions = p.total_workflow_executions + 1,
        total_activity_executions = p.total_activity_executions + (select n from acts),
        last_execution_at = now()
      where p.id = ${projectId}`.execute(db);
    await sql`
      update public.workflow_compiled_code c set
        avg_execution_duration_ms = ((c.avg_execution_duration_ms::numeric * c.execution_count
                                      + coalesce((select duration_ms from public.user_workflow_run where run_id = ${runId}), 0))
                                     / (c.execution_count + 1))::int,
        execution_count = c.execution_count + 1,
        last_executed_at = now()
      where c.workflow_id = ${workflowId} and c.version = ${version}`.execute(db);
  }

  /** Steps reconstructed from Temporal's history: fill gaps, never overwrite what the workflow recorded. */
  async recordHistorySteps(run: RunContextInfo, steps: StepRecord[]): Promise<void> {
    if (steps.length) await this.upsertSteps(this.db, run.orgId, run.runId, steps, false);
  }

  /** Best-effort live progress from the workflow sink. */
  progress(batch: RunRecordBatch): void {
    const entry = this.pending.get(batch.run.runId) ?? { batch, steps: new Map<number, StepRecord>() };
    entry.batch = batch;
    for (const s of batch.steps) entry.steps.set(s.stepNumber, s);
    this.pending.set(batch.run.runId, entry);
    this.schedule();
  }

  /** A failed attempt that Temporal will retry: appended to the step's events. */
  attemptFailed(meta: StepActivityMeta, attempt: number, error: Error): void {
    this.pendingEvents.push({
      meta,
      events: [{ type: 'attempt_failed', timestamp: new Date().toISOString(), data: { attempt, message: error.message }, source: 'activity' } as StepEvent],
    });
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = null; void this.flush(); }, this.flushIntervalMs);
  }

  /** Writes what is buffered (runs the writes one flush at a time). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow()).catch(() => {});
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    const runs = [...this.pending.values()];
    const events = this.pendingEvents;
    this.pending = new Map();
    this.pendingEvents = [];
    for (const { batch, steps } of runs) {
      await this.ensureRunRow(this.db, batch.run, batch.startedAt ?? null);
      // A terminal status is left to the authoritative record, which writes it with the output:
      // a reader must never see a completed run without its output.
      await sql`update public.user_workflow_run set
                  status = case when ${batch.status} in ${TERMINAL} then status else ${batch.status} end,
                  started_at = coalesce(started_at, ${batch.startedAt ?? null}::timestamptz)
                where run_id = ${batch.run.runId} and status not in ${TERMINAL}`.execute(this.db);
      if (steps.size) await this.upsertSteps(this.db, batch.run.orgId, batch.run.runId, [...steps.values()], false);
    }
    for (const { meta, events: evs } of events) {
      await sql`
        insert into public.user_workflow_run_step as t (org_id, run_id, node_id, node_kind, step_number, status, events)
        values (${meta.orgId}, ${meta.runId}, ${meta.nodeId}, ${meta.nodeKind}, ${meta.stepNumber}, 'running', ${JSON.stringify(evs)}::jsonb)
        on conflict (run_id, step_number) do update set events = t.events || excluded.events`.execute(this.db);
    }
  }

  async close(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    await this.flush();
  }
}
