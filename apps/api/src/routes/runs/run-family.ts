import { sql } from 'kysely';
import type { Tx } from '@workflow-builder/db';
import { iso } from '../../lib/context.ts';

/** A child run of a run, as its detail lists it. */
export interface ChildRunDto {
  runId: string;
  workflowId: string;
  workflowName: string | null;
  status: string;
  /** The parent's step that started it (its workflow.child node). */
  parentStepNumber: number | null;
  nodeId: string | null;
  startedAt: string | null;
  endedAt: string | null;
}

const MAX_CHILDREN = 500;

/**
 * The runs a `workflow.child` step of this run started (the worker records each child run with
 * context.parentRunId / parentStepNumber; the GIN index on context answers `@>`), in step order.
 */
export async function childRunsOf(tx: Tx, orgId: string, runId: string): Promise<ChildRunDto[]> {
  const rows = await sql<{
    run_id: string; workflow_id: string; workflow_name: string | null; status: string; parent_step: string | null;
    node_id: string | null; started_at: Date | null; ended_at: Date | null;
  }>`
    select r.run_id, r.workflow_id, w.name as workflow_name, r.status, r.context->>'parentStepNumber' as parent_step,
           s.node_id, r.started_at, r.ended_at
    from public.user_workflow_run r
    left join public.workflows w on w.id = r.workflow_id and w.org_id = r.org_id
    left join public.user_workflow_run_step s
      on s.org_id = r.org_id and s.run_id = ${runId}::uuid and s.step_number = (r.context->>'parentStepNumber')::int
    where r.org_id = ${orgId} and r.context @> ${JSON.stringify({ parentRunId: runId })}::jsonb
    order by (r.context->>'parentStepNumber')::int nulls last, r.created_at
    limit ${MAX_CHILDREN}`.execute(tx);
  return rows.rows.map((r) => ({
    runId: r.run_id, workflowId: r.workflow_id, workflowName: r.workflow_name, status: r.status,
    parentStepNumber: r.parent_step === null ? null : Number(r.parent_step), nodeId: r.node_id,
    startedAt: iso(r.started_at), endedAt: iso(r.ended_at),
  }));
}

/** The parent link a child run carries in its context (null for runs no parent started). */
export function parentOf(context: unknown): { parentRunId: string | null; parentStepNumber: number | null } {
  const c = (context ?? {}) as { parentRunId?: unknown; parentStepNumber?: unknown };
  return {
    parentRunId: typeof c.parentRunId === 'string' ? c.parentRunId : null,
    parentStepNumber: typeof c.parentStepNumber === 'number' ? c.parentStepNumber : null,
  };
}
