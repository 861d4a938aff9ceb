import { sql } from 'kysely';
import type { Tx } from '@workflow-builder/db';
import type { WorkflowDefinition } from '@workflow-builder/definition';

/** Signal names a definition sends its parent (its `signal.parent` nodes). */
export function signalsToParent(definition: unknown): string[] {
  const nodes = (definition as Partial<WorkflowDefinition> | null)?.nodes ?? [];
  return [...new Set(nodes.filter((n) => n.kind === 'signal.parent').map((n) => String((n.config as { signalName?: unknown }).signalName)))];
}

/** Query names a definition asks its parent (its `query.parent` nodes). */
export function queriesToParent(definition: unknown): string[] {
  const nodes = (definition as Partial<WorkflowDefinition> | null)?.nodes ?? [];
  return [...new Set(nodes.filter((n) => n.kind === 'query.parent').map((n) => String((n.config as { queryName?: unknown }).queryName ?? 'wbState')))];
}

/**
 * Rewrites the workflow's rows of workflow_child_workflows from the version just activated: one
 * per `workflow.child` node, naming the child (its row when it is ours, and the workflow type
 * started), the parent close policy, whether the child may signal or query the parent, and the
 * node's blockUntil. The rows describe the deployed version only.
 */
export async function recordChildWorkflows(tx: Tx, workflowId: string): Promise<number> {
  const active = await sql<{ org_id: string; workstream_slug: string; definition: WorkflowDefinition | null }>`
    select c.org_id, w.workstream_slug, c.definition
    from public.workflow_compiled_code c join public.workflows w on w.id = c.workflow_id
    where c.workflow_id = ${workflowId} and c.is_active`.execute(tx);
  await sql`delete from public.workflow_child_workflows where parent_workflow_id = ${workflowId}`.execute(tx);
  const row = active.rows[0];
  const nodes = (row?.definition?.nodes ?? []).filter((n) => n.kind === 'workflow.child');
  for (const node of nodes) {
    const c = node.config as { workflowSlug: string; parentClosePolicy?: string; canSignalParent?: boolean; canQueryParent?: boolean; blockUntil?: unknown };
    await sql`
      insert into public.workflow_child_workflows
        (org_id, parent_workflow_id, parent_node_id, child_workflow_id, child_workflow_name, parent_close_policy,
         can_signal_parent, can_query_parent, block_until, created_by)
      select ${row!.org_id}, ${workflowId}, ${node.id},
             (select w.id from public.workflows w where w.workstream_slug = ${row!.workstream_slug} and w.kebab_name = ${c.workflowSlug}),
             coalesce((select w.temporal_workflow_type from public.workflows w
                       where w.workstream_slug = ${row!.workstream_slug} and w.kebab_name = ${c.workflowSlug}), ${c.workflowSlug}),
             ${c.parentClosePolicy ?? 'terminate'}, ${c.canSignalParent === true}, ${c.canQueryParent === true},
             ${c.blockUntil === undefined ? null : JSON.stringify(c.blockUntil)}::jsonb, app.current_user_id()`.execute(tx);
  }
  return nodes.length;
}
