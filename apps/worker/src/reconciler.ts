import { sql } from 'kysely';
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { Database } from '@workflow-builder/db';
import type { RunContextInfo, RunStatus, StepActivityMeta, StepRecord } from '@workflow-builder/runtime/contract';
import type { RunRecorder } from './recorder.ts';
import { failBatch } from './batch/fail-batch.ts';

/** Orchestrator statuses that leave a batch open for good: no workflow code runs any more. */
const ORCHESTRATOR_GONE: Partial<Record<WorkflowExecutionStatusName, string>> = {
  FAILED: 'failed', TERMINATED: 'was terminated', TIMED_OUT: 'timed out', CANCELLED: 'was cancelled',
};

const STATUS: Partial<Record<WorkflowExecutionStatusName, RunStatus>> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
};

const EventType = {
  scheduled: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  started: 'EVENT_TYPE_ACTIVITY_TASK_STARTED',
  completed: 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED',
  failed: 'EVENT_TYPE_ACTIVITY_TASK_FAILED',
  timedOut: 'EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT',
  canceled: 'EVENT_TYPE_ACTIVITY_TASK_CANCELED',
} as const;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const iso = (t: HistoryEvent['eventTime']): string | null => {
  if (!t) return null;
  const ms = Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
};

const eventTypeName = (e: HistoryEvent): string => {
  const t = e.eventType as unknown;
  return typeof t === 'string' ? t : String(t);
};

/**
 * The activity steps of a closed run, read from Temporal's own history. Activity ids are
 * `<nodeId>#<stepNumber>`, so every scheduled activity maps back to its graph node and step row.
 */
export function stepsFromHistory(events: HistoryEvent[], closedStatus: RunStatus): StepRecord[] {
  const bySchedule = new Map<string, StepRecord>();
  for (const e of events) {
    const type = eventTypeName(e);
    if (type === EventType.scheduled || e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      if (!a?.activityId) continue;
      const meta = a.input?.payloads?.[0] ? (defaultPayloadConverter.fromPayload(a.input.payloads[0]) as StepActivityMeta | undefined) : undefined;
      const [nodeId, stepNo] = a.activityId.split('#');
      const stepNumber = Number(stepNo ?? meta?.stepNumber);
      if (!nodeId || !Number.isInteger(stepNumber)) continue;
      const input = a.input?.payloads?.[1] ? defaultPayloadConverter.fromPayload(a.input.payloads[1]) : undefined;
      bySchedule.set(String(e.eventId), {
        stepNumber, nodeId, nodeKind: meta?.nodeKind ?? 'activity', status: 'running', retryCount: 0,
        startedAt: iso(e.eventTime), endedAt: null, input, events: [{ type: 'scheduled', timestamp: iso(e.eventTime) ?? '' }],
      });
      continue;
    }
    const ref =
      e.activityTaskStartedEventAttributes?.scheduledEventId ?? e.activityTaskCompletedEventAttributes?.scheduledEventId ??
      e.activityTaskFailedEventAttributes?.scheduledEventId ?? e.activityTaskTimedOutEventAttributes?.scheduledEventId ??
      e.activityTaskCanceledEventAttributes?.scheduledEventId;
    if (ref == null) continue;
    const step = bySchedule.get(String(ref));
    if (!step) continue;
    const at = iso(e.eventTime);
    if (e.activityTaskStartedEventAttributes) {
      step.retryCount = Math.max(0, (e.activityTaskStartedEventAttributes.attempt ?? 1) - 1);
      step.events.push({ type: 'started', timestamp: at ?? '' });
    } else if (e.activityTaskCompletedEventAttributes) {
      const p = e.activityTaskCompletedEventAttributes.result?.payloads?.[0];
      const result = p ? (defaultPayloadConverter.fromPayload(p) as { output?: unknown; attempt?: number }) : undefined;
      step.status = 'succeeded';
      step.output = result?.output;
      if (result?.attempt) step.retryCount = result.attempt - 1;
      step.endedAt = at;
      step.events.push({ type: 'completed', timestamp: at ?? '' });
    } else if (e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes) {
      const failure = e.activityTaskFailedEventAttributes?.failure ?? e.activityTaskTimedOutEventAttributes?.failure;
      step.status = 'failed';
      step.error = { message: failure?.message ?? 'activity failed', type: e.activityTaskTimedOutEventAttributes ? 'timeout' : 'failure' };
      step.endedAt = at;
      step.events.push({ type: e.activityTaskTimedOutEventAttributes ? 'timed_out' : 'failed', timestamp: at ?? '' });
    } else if (e.activityTaskCanceledEventAttributes) {
      step.status = 'cancelled';
      step.endedAt = at;
      step.events.push({ type: 'cancelled', timestamp: at ?? '' });
    }
  }
  // Activities still open when the run closed from outside did not finish.
  for (const s of bySchedule.values()) {
    if (s.status === 'running') {
      s.status = closedStatus === 'failed' || closedStatus === 'timed_out' ? 'failed' : 'cancelled';
      s.error ??= { message: `run ${closedStatus} while this step was in flight` };
    }
  }
  return [...bySchedule.values()];
}

interface OpenRun {
  run_id: string;
  org_id: string;
  project_id: string;
  workflow_id: string;
  workstream_slug: string;
  compiled_version: number | null;
  temporal_workflow_id: string | null;
  temporal_run_id: string | null;
  created_at: Date;
}

/**
 * Brings runs that Postgres still thinks are open in line with Temporal: a run terminated or
 * timed out (no workflow code ran to record it), or closed while no worker was running, ends
 * with Temporal's status, and its in-flight steps are closed from the history.
 */
export class RunReconciler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly client: Client,
    private readonly recorder: RunRecorder,
    private readonly log: (msg: string, extra?: unknown) => void = () => {},
  ) {}

  start(intervalMs = 5_000): void {
    const tick = () => {
      this.running ??= Promise.all([
        this.reconcileOnce().catch((e: unknown) => this.log('reconcile failed', e)),
        this.reconcileBatchesOnce().catch((e: unknown) => this.log('batch reconcile failed', e)),
      ]).then(() => {}).finally(() => { this.running = null; });
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * Which of these workflow ids Temporal's visibility lists with a closed (not continued-as-new)
   * execution, and which it lists at all: one list call per pass instead of a describe per open
   * run (runs waiting on a signal for days were described every few seconds). Null when the list
   * fails (e.g. a server without advanced visibility): then every candidate is described.
   */
  private async visibility(ids: string[]): Promise<{ closed: Set<string>; seen: Set<string> } | null> {
    if (ids.length === 0) return { closed: new Set(), seen: new Set() };
    const quoted = ids.map((id) => `'${id.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ');
    const closed = new Set<string>();
    const seen = new Set<string>();
    try {
      for await (const wf of this.client.workflow.list({ query: `WorkflowId IN (${quoted}) AND ExecutionStatus != 'ContinuedAsNew'` })) {
        seen.add(wf.workflowId);
        if (wf.status.name !== 'RUNNING') closed.add(wf.workflowId);
      }
      return { closed, seen };
    } catch (e) {
      this.log('visibility list failed; describing each open execution', e);
      return null;
    }
  }

  /** Whether a candidate needs a describe: listed as closed, or not listed at all once old enough to have been. */
  private static worthDescribing(v: { closed: Set<string>; seen: Set<string> } | null, id: string, createdAt: Date): boolean {
    return v === null || v.closed.has(id) || (!v.seen.has(id) && Date.now() - createdAt.getTime() > 60_000);
  }

  /** One pass over open runs; returns how many were closed. */
  async reconcileOnce(limit = 200): Promise<number> {
    const open = await sql<OpenRun>`
      select run_id, org_id, project_id, workflow_id, workstream_slug, compiled_version, temporal_workflow_id, temporal_run_id, created_at
      from public.user_workflow_run
      where status in ('pending', 'running') and created_at < now() - interval '2 seconds'
      order by updated_at asc limit ${limit}`.execute(this.db);
    const v = await this.visibility(open.rows.flatMap((r) => (r.temporal_workflow_id ? [r.temporal_workflow_id] : [])));
    let closed = 0;
    for (const run of open.rows) {
      if (!run.temporal_workflow_id) continue;
      if (!RunReconciler.worthDescribing(v, run.temporal_workflow_id, run.created_at)) continue;
      // The latest execution of the chain (continue-as-new keeps the workflow id; temporal_run_id is the first run's).
      const handle = this.client.workflow.getHandle(run.temporal_workflow_id, undefined, run.temporal_run_id ? { firstExecutionRunId: run.temporal_run_id } : undefined);
      let description;
      try {
        description = await handle.describe();
      } catch (e) {
        if ((e as Error).name === 'WorkflowNotFoundError' && Date.now() - run.created_at.getTime() > 60_000) {
          await this.close(run, 'failed', null, [], { message: 'The run is unknown to Temporal (it never started).' });
          closed++;
        }
        continue;
      }
      const status = STATUS[description.status.name];
      if (!status) continue;
      const history = await handle.fetchHistory();
      const steps = stepsFromHistory(history.events ?? [], status);
      const error = status === 'completed' ? null : { message: `Run ${status.replace('_', ' ')} (reported by Temporal)` };
      await this.close(run, status, description.closeTime?.toISOString() ?? new Date().toISOString(), steps, error);
      closed++;
    }
    return closed;
  }

  /**
   * Open batches whose orchestrator execution is closed (terminated or timed out in Temporal, or
   * failed without recording it) end FAILED with the reason. Returns how many were closed.
   */
  async reconcileBatchesOnce(limit = 100): Promise<number> {
    const open = await sql<{ id: string; temporal_workflow_id: string; created_at: Date }>`
      select id, temporal_workflow_id, created_at from public.batches
      where status in ('PENDING', 'RUNNING', 'PAUSED') and temporal_workflow_id is not null and updated_at < now() - interval '2 seconds'
      order by updated_at asc limit ${limit}`.execute(this.db);
    const v = await this.visibility(open.rows.map((b) => b.temporal_workflow_id));
    let closed = 0;
    for (const batch of open.rows) {
      if (!RunReconciler.worthDescribing(v, batch.temporal_workflow_id, batch.created_at)) continue;
      // The latest run of the chain (continue-as-new and retry-failed keep the workflow id).
      const gone = async () => {
        try {
          return ORCHESTRATOR_GONE[(await this.client.workflow.getHandle(batch.temporal_workflow_id).describe()).status.name];
        } catch (e) {
          if ((e as Error).name === 'WorkflowNotFoundError') return undefined;
          throw e;
        }
      };
      const how = await gone();
      if (!how) continue;
      // Under the batch's row lock (retry-failed takes it before it starts a new run): ask again.
      const failed = await this.db.transaction().execute(async (tx) => {
        await sql`select id from public.batches where id = ${batch.id} for update`.execute(tx);
        const still = await gone();
        return still ? failBatch(tx, batch.id, `the orchestrator workflow ${still} (reported by Temporal)`) : false;
      });
      if (failed) {
        closed++;
        this.log(`reconciled batch ${batch.id}: orchestrator ${how}`);
      }
    }
    return closed;
  }

  private async close(run: OpenRun, status: RunStatus, endedAt: string | null, steps: StepRecord[], error: { message: string } | null): Promise<void> {
    const info: RunContextInfo = {
      runId: run.run_id, orgId: run.org_id, projectId: run.project_id, workflowId: run.workflow_id,
      workstreamSlug: run.workstream_slug, version: run.compiled_version ?? 0, recordSteps: true,
    };
    // History fills only steps the workflow did not record itself; then the run closes.
    await this.recorder.recordHistorySteps(info, steps);
    await this.recorder.recordRun({ run: info, status, endedAt, error, steps: [] });
    await sql`update public.user_workflow_run_step set status = 'cancelled', ended_at = coalesce(ended_at, ${endedAt}::timestamptz)
              where run_id = ${run.run_id} and status in ('pending', 'running')`.execute(this.db);
    this.log(`reconciled run ${run.run_id}: ${status}`);
  }
}
