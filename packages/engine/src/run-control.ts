import { sql } from 'kysely';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { withCaller, type Caller, type Database } from '@workflow-builder/db';
import { STATE_QUERY } from '@workflow-builder/runtime/contract';
import { EngineError } from './errors.ts';
import type { ConfigSnapshot } from './run-configs.ts';
import { startRun, type StartedRun } from './runs.ts';

interface RunRef { run_id: string; workflow_id: string; status: string; temporal_workflow_id: string | null; temporal_run_id: string | null; input: unknown; client_id: string | null; config_snapshot: unknown }

/** The run as the caller sees it (RLS): not found for other organisations' runs. */
async function visibleRun(db: Database, caller: Caller, runId: string, write: boolean): Promise<RunRef> {
  return withCaller(db, caller, async (tx) => {
    const r = await sql<RunRef & { can_write: boolean }>`
      select run_id, workflow_id, status, temporal_workflow_id, temporal_run_id, input, client_id, config_snapshot,
             org_id = (select app.writable_org_id()) as can_write
      from public.user_workflow_run where run_id = ${runId}`.execute(tx);
    const run = r.rows[0];
    if (!run) throw new EngineError('not_found', 'Run not found');
    if (write && !run.can_write) throw new EngineError('forbidden', 'Only developers and admins can act on runs');
    return run;
  });
}

function handleOf(client: Client, run: RunRef): WorkflowHandle {
  if (!run.temporal_workflow_id) throw new EngineError('not_running', 'The run never started on Temporal');
  // The latest execution of the chain: a work queue's run continues as new under the same
  // workflow id (temporal_run_id is the chain's first run).
  return client.workflow.getHandle(run.temporal_workflow_id, undefined, run.temporal_run_id ? { firstExecutionRunId: run.temporal_run_id } : undefined);
}

const OPEN = new Set(['pending', 'running']);

async function temporalCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'WorkflowNotFoundError') throw new EngineError('not_running', 'The run is no longer running on Temporal');
    if (name === 'QueryNotRegisteredError') throw new EngineError('invalid_input', (e as Error).message);
    throw new EngineError('temporal_unavailable', `Temporal refused: ${(e as Error).message}`);
  }
}

/** Sends a signal (e.g. an approval) to a running run. */
export async function signalRun(db: Database, client: Client, caller: Caller, runId: string, name: string, payload: unknown): Promise<void> {
  const run = await visibleRun(db, caller, runId, true);
  if (!OPEN.has(run.status)) throw new EngineError('not_running', `The run is ${run.status}`);
  await temporalCall(() => handleOf(client, run).signal(name, payload));
}

/** Runs an update on an open run and waits for its result (a validator's rejection is rethrown as is). */
export async function updateRun<T>(db: Database, client: Client, caller: Caller, runId: string, name: string, args: [unknown, ...unknown[]]): Promise<T> {
  const run = await visibleRun(db, caller, runId, true);
  if (!OPEN.has(run.status)) throw new EngineError('not_running', `The run is ${run.status}`);
  const handle = handleOf(client, run);
  try {
    return await handle.executeUpdate<T, [unknown, ...unknown[]]>(name, { args });
  } catch (e) {
    if ((e as Error).name === 'WorkflowUpdateFailedError') throw e;
    return temporalCall(() => Promise.reject(e));
  }
}

/** Runs a query on a run (default: the built-in step-state query). */
export async function queryRun(db: Database, client: Client, caller: Caller, runId: string, name: string = STATE_QUERY, args: unknown[] = []): Promise<unknown> {
  const run = await visibleRun(db, caller, runId, false);
  return temporalCall(() => handleOf(client, run).query(name, ...args));
}

/** Requests cancellation: the workflow records itself as cancelled. */
export async function cancelRun(db: Database, client: Client, caller: Caller, runId: string): Promise<void> {
  const run = await visibleRun(db, caller, runId, true);
  if (!OPEN.has(run.status)) throw new EngineError('not_running', `The run is ${run.status}`);
  await temporalCall(() => handleOf(client, run).cancel());
}

/** Terminates at once (no workflow code runs); the record is closed from Temporal's history. */
export async function terminateRun(db: Database, client: Client, caller: Caller, runId: string, reason: string): Promise<void> {
  const run = await visibleRun(db, caller, runId, true);
  if (!OPEN.has(run.status)) throw new EngineError('not_running', `The run is ${run.status}`);
  await temporalCall(() => handleOf(client, run).terminate(reason));
  await withCaller(db, caller, async (tx) => {
    await sql`update public.user_workflow_run set status = 'terminated', ended_at = now(), error_message = ${`Terminated: ${reason}`}
              where run_id = ${runId} and status in ('pending', 'running')`.execute(tx);
    await sql`update public.workflow_executions set status = 'terminated', completed_at = now(), error = ${reason}
              where run_id = ${runId} and status in ('pending', 'running')`.execute(tx);
    await sql`update public.user_workflow_run_step set status = 'cancelled', ended_at = coalesce(ended_at, now())
              where run_id = ${runId} and status in ('pending', 'running')`.execute(tx);
  });
}

/**
 * Starts a new run of the same workflow with the same input (the active version), for the same
 * client and step, with the same named config version (the client's config as it is now).
 */
export async function retryRun(db: Database, client: Client, caller: Caller, runId: string): Promise<StartedRun> {
  const run = await visibleRun(db, caller, runId, true);
  const snapshot = (run.config_snapshot ?? {}) as Partial<ConfigSnapshot>;
  return startRun(db, client, caller, {
    workflowId: run.workflow_id, input: run.input, channel: 'retry', clientId: run.client_id, context: { retryOf: runId },
    ...(snapshot.namedConfig ? { configName: snapshot.namedConfig.name, configVersion: snapshot.namedConfig.version } : {}),
    ...(snapshot.clientConfig ? { workflowSlug: snapshot.clientConfig.workflowSlug } : {}),
  });
}
