import { sql } from 'kysely';
import type { Client } from '@temporalio/client';
import { withCaller, type Caller, type Database } from '@workflow-builder/db';
import { parseDefinition } from '@workflow-builder/definition';
import type { WorkflowRunArgs } from '@workflow-builder/runtime/contract';
import { EngineError } from './errors.ts';
import { validateRunInput } from './input-validation.ts';
import { resolveRunConfig } from './run-configs.ts';

export type RunChannel = 'web' | 'api' | 'webhook' | 'schedule' | 'retry' | 'batch';

export interface StartRunRequest {
  workflowId: string;
  input: unknown;
  channel: RunChannel;
  clientId?: string | null;
  context?: Record<string, unknown>;
  /**
   * Per-node config overrides layered over the named and client configs (highest precedence),
   * e.g. from a caller that resolved them itself.
   */
  configOverrides?: Record<string, Record<string, unknown>>;
  /** A named config of the workflow (`user_workflow_config`): this version, else its newest active one. */
  configName?: string;
  configVersion?: number;
  /**
   * The registry step (slug, in the workflow's workstream) whose client config applies when
   * `clientId` is set; default: the one step of the workstream that runs this workflow.
   */
  workflowSlug?: string;
  /** Off only for benchmarks that measure what recording costs. */
  recordSteps?: boolean;
}

export interface StartedRun {
  runId: string;
  temporalWorkflowId: string;
  temporalRunId: string;
  workflowType: string;
  version: number;
}

interface RunnableWorkflow {
  id: string;
  org_id: string;
  project_id: string;
  workstream_slug: string;
  status: string;
  definition: unknown;
  task_queue_name: string;
  version: number | null;
  workflow_type: string | null;
  user_workflow_id: string | null;
  execution_timeout_seconds: number;
  compiled_definition: unknown;
}

/** Temporal workflow id of a platform run: one id links Postgres, Temporal and the Web UI. */
export const temporalWorkflowIdOf = (runId: string) => `wb-${runId}`;

/**
 * Starts a run of the workflow's active version: checks status and input, records the run
 * (user_workflow_run + workflow_executions) as the caller, then starts it on the project's task
 * queue. If Temporal refuses, the run is recorded as failed with the reason.
 */
export async function startRun(db: Database, temporal: Client, caller: Caller, req: StartRunRequest): Promise<StartedRun> {
  const prepared = await withCaller(db, caller, async (tx) => {
    const found = await sql<RunnableWorkflow>`
      select w.id, w.org_id, w.project_id, w.workstream_slug, s.name as status, w.definition, p.task_queue_name,
             c.version, c.workflow_type, uw.id as user_workflow_id, w.execution_timeout_seconds,
             c.definition as compiled_definition
      from public.workflows w
      join public.workflow_statuses s on s.id = w.status_id
      join public.projects p on p.id = w.project_id
      left join public.workflow_compiled_code c on c.workflow_id = w.id and c.is_active
      left join public.user_workflows uw on uw.workflow_id = w.id
      where w.id = ${req.workflowId}`.execute(tx);
    const wf = found.rows[0];
    if (!wf) throw new EngineError('not_found', 'Workflow not found');
    if (wf.status === 'paused') throw new EngineError('workflow_paused', 'The workflow is paused: new runs are rejected until it is resumed');
    if (wf.status === 'archived') throw new EngineError('workflow_archived', 'The workflow is archived');
    if (!wf.version || !wf.workflow_type) throw new EngineError('not_deployed', 'The workflow has no deployed version; deploy it first');
    const parsed = parseDefinition(wf.definition);
    const problems = validateRunInput(parsed.ok ? parsed.value.inputSchema : undefined, req.input);
    if (problems.length) throw new EngineError('invalid_input', 'The run input does not match the workflow input schema', problems);
    // Layers node < named < client < explicit; the snapshot is what the run's nodes are configured with.
    const { overrides, snapshot } = await resolveRunConfig(tx, wf.compiled_definition ?? wf.definition, {
      workflowId: wf.id, workstreamSlug: wf.workstream_slug, clientId: req.clientId ?? null,
      ...(req.workflowSlug !== undefined ? { workflowSlug: req.workflowSlug } : {}),
      ...(req.configName !== undefined ? { configName: req.configName } : {}),
      ...(req.configVersion !== undefined ? { configVersion: req.configVersion } : {}),
      ...(req.configOverrides !== undefined ? { configOverrides: req.configOverrides } : {}),
    });

    const inserted = await sql<{ run_id: string }>`
      insert into public.user_workflow_run
        (org_id, project_id, workflow_id, workstream_slug, client_id, status, channel, compiled_version, request_id,
         input, context, config_snapshot, created_by)
      values (${wf.org_id}, ${wf.project_id}, ${wf.id}, ${wf.workstream_slug}, ${req.clientId ?? null}, 'pending', ${req.channel},
              ${wf.version}, ${caller.requestId ?? null}, ${JSON.stringify(req.input ?? null)}::jsonb,
              ${JSON.stringify(req.context ?? {})}::jsonb, ${snapshot ? JSON.stringify(snapshot) : null}::jsonb,
              app.current_user_id())
      returning run_id`.execute(tx);
    const runId = inserted.rows[0]!.run_id;
    const temporalWorkflowId = temporalWorkflowIdOf(runId);
    await sql`update public.user_workflow_run set temporal_workflow_id = ${temporalWorkflowId} where run_id = ${runId}`.execute(tx);
    await sql`
      insert into public.workflow_executions
        (org_id, project_id, workstream_slug, workflow_id, user_workflow_id, run_id, client_id, temporal_workflow_id,
         status, compiled_version, request_id, inputs)
      values (${wf.org_id}, ${wf.project_id}, ${wf.workstream_slug}, ${wf.id}, ${wf.user_workflow_id}, ${runId}, ${req.clientId ?? null},
              ${temporalWorkflowId}, 'pending', ${wf.version}, ${caller.requestId ?? null}, ${JSON.stringify(req.input ?? {})}::jsonb)`.execute(tx);
    await sql`update public.user_workflows set last_used = now(), execution_count = execution_count + 1 where id = ${wf.user_workflow_id}`.execute(tx);
    return { wf, runId, temporalWorkflowId, overrides };
  });

  const { wf, runId, temporalWorkflowId, overrides } = prepared;
  const args: WorkflowRunArgs = {
    input: req.input ?? null,
    run: {
      runId, orgId: wf.org_id, projectId: wf.project_id, workflowId: wf.id, workstreamSlug: wf.workstream_slug,
      clientId: req.clientId ?? null, requestId: caller.requestId ?? null, version: wf.version!, recordSteps: req.recordSteps ?? true,
    },
    ...(overrides ? { configOverrides: overrides } : {}),
  };
  try {
    const handle = await temporal.workflow.start(wf.workflow_type!, {
      taskQueue: wf.task_queue_name,
      workflowId: temporalWorkflowId,
      args: [args],
      workflowExecutionTimeout: `${wf.execution_timeout_seconds}s`,
      memo: { requestId: caller.requestId ?? null, runId },
      searchAttributes: {
        WbOrgId: [wf.org_id], WbProjectId: [wf.project_id], WbWorkflowId: [wf.id], WbRunId: [runId],
        WbWorkstream: [wf.workstream_slug], ...(caller.requestId ? { WbRequestId: [caller.requestId] } : {}),
      },
    });
    await withCaller(db, caller, async (tx) => {
      await sql`update public.user_workflow_run set temporal_run_id = ${handle.firstExecutionRunId},
                  status = case when status = 'pending' then 'running' else status end,
                  started_at = coalesce(started_at, now()) where run_id = ${runId}`.execute(tx);
      await sql`update public.workflow_executions set temporal_run_id = ${handle.firstExecutionRunId},
                  status = case when status = 'pending' then 'running' else status end where run_id = ${runId}`.execute(tx);
    });
    return { runId, temporalWorkflowId, temporalRunId: handle.firstExecutionRunId, workflowType: wf.workflow_type!, version: wf.version! };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await withCaller(db, caller, async (tx) => {
      await sql`update public.user_workflow_run set status = 'failed', ended_at = now(), error_message = ${`Could not start the run on Temporal: ${message}`}
                where run_id = ${runId}`.execute(tx);
      await sql`update public.workflow_executions set status = 'failed', completed_at = now(), error = ${message} where run_id = ${runId}`.execute(tx);
    });
    throw new EngineError('temporal_unavailable', `Temporal did not accept the run: ${message}`);
  }
}
