import { sql, type ColumnType, type Generated } from 'kysely';
import type { Static } from 'typebox';
import type { Tx } from '@workflow-builder/db';
import { parseDefinition, queueMessageNames, workflowQueries, workflowSignals, type WorkflowDefinition } from '@workflow-builder/definition';
import { MAX_DEFINITION_EDGES, MAX_DEFINITION_NODES, MAX_KIND_LENGTH } from '../../schemas/definition.ts';
import { iso, isoRequired } from '../../lib/context.ts';
import { cursorTs } from '../../lib/pagination.ts';
import { ApiError, notFound } from '../../lib/problem.ts';
import type { Visibility, WorkflowStatus } from '../../schemas/common.ts';
import type { Workflow, WorkflowSummary } from './schemas.ts';

/** Reading and writing workflows: the row, its denormalised graph, its status and its history. */

/**
 * `workflow_versions` (auth migration, 20260103000000). Declared here as well so the API
 * type-checks against table types generated before that migration; same shape as codegen's.
 */
interface WorkflowVersionsTable {
  id: Generated<string>;
  org_id: string;
  workflow_id: string;
  definition_version: number;
  name: string;
  display_name: string | null;
  description: string | null;
  definition: unknown;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** `tx` with `workflow_versions` in its table types. */
export const withVersions = (tx: Tx) => tx.withTables<{ workflow_versions: WorkflowVersionsTable }>();

/**
 * Workflows of the request's organisation visible to the caller (RLS adds visibility). Summary
 * columns only: node/edge counts are stored generated columns, so listing never reads (detoasts)
 * a definition; `findWorkflow` adds it for one workflow.
 */
export const workflows = (tx: Tx, orgId: string) => tx.selectFrom('workflows as w')
  .innerJoin('workflow_statuses as s', 's.id', 'w.status_id')
  .innerJoin('component_visibility as v', 'v.id', 'w.visibility_id')
  // One user_workflows row per workflow (trigger): favourite flag and usage counters.
  .leftJoin('user_workflows as uw', (j) => j.onRef('uw.workflow_id', '=', 'w.id').onRef('uw.org_id', '=', 'w.org_id'))
  .select(['uw.is_favorite', 'uw.last_used', 'uw.execution_count'])
  .select([
    'w.id', 'w.org_id', 'w.project_id', 'w.workstream_slug', 'w.name', 'w.display_name', 'w.description', 'w.kebab_name',
    'w.version', 'w.definition_version', 'w.max_concurrent_executions', 'w.execution_timeout_seconds', 'w.created_by',
    'w.created_at', 'w.updated_at', 'w.deployed_at', 's.name as status_name', 'v.name as visibility_name',
    'w.node_count', 'w.edge_count', cursorTs('w.created_at').as('cursor_ts'),
  ])
  .where('w.org_id', '=', orgId);

export type WorkflowRow = Awaited<ReturnType<ReturnType<typeof workflows>['executeTakeFirstOrThrow']>>;

export const summaryDto = (r: WorkflowRow): Static<typeof WorkflowSummary> => ({
  id: r.id,
  orgId: r.org_id,
  projectId: r.project_id,
  workstreamSlug: r.workstream_slug,
  name: r.name,
  displayName: r.display_name,
  description: r.description,
  kebabName: r.kebab_name,
  visibility: r.visibility_name as Visibility,
  status: r.status_name as WorkflowStatus,
  version: r.version,
  definitionVersion: r.definition_version,
  nodeCount: r.node_count,
  edgeCount: r.edge_count,
  maxConcurrentExecutions: r.max_concurrent_executions,
  executionTimeoutSeconds: r.execution_timeout_seconds,
  createdBy: r.created_by,
  createdAt: isoRequired(r.created_at),
  updatedAt: isoRequired(r.updated_at),
  deployedAt: iso(r.deployed_at),
  isFavorite: r.is_favorite ?? false,
  lastUsed: iso(r.last_used ?? null),
  executionCount: r.execution_count ?? 0,
});

export const workflowDto = (r: WorkflowRow & { definition: unknown }): Static<typeof Workflow> => ({
  ...summaryDto(r),
  definition: r.definition as WorkflowDefinition,
});

/** One workflow with its definition, or 404 on `/params/workflowId`. */
export async function findWorkflow(tx: Tx, orgId: string, workflowId: string): Promise<WorkflowRow & { definition: unknown }> {
  const row = await workflows(tx, orgId).select('w.definition').where('w.id', '=', workflowId).executeTakeFirst();
  if (!row) throw notFound('workflow', '/params/workflowId');
  return row;
}

/** 400 naming the first repeated node or edge id (they key the denormalised rows). */
export function assertUniqueIds(definition: WorkflowDefinition, prefix = '/definition'): void {
  for (const [collection, items] of [['nodes', definition.nodes], ['edges', definition.edges]] as const) {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) {
        const message = `${collection === 'nodes' ? 'node' : 'edge'} id "${item.id}" is used twice`;
        throw new ApiError(400, 'validation_failed', message, [{ field: `${prefix}/${collection}/${i}/id`, code: 'duplicate_id', message }]);
      }
      seen.add(item.id);
    });
  }
}

/**
 * A stored definition whose graph can be denormalised (it matches the schema and the storage
 * bounds), or null for rows saved before the schema existed: those get no node/edge rows.
 */
export function savableGraph(definition: unknown): WorkflowDefinition | null {
  const parsed = parseDefinition(definition);
  if (!parsed.ok) return null;
  const def = parsed.value;
  if (def.nodes.length > MAX_DEFINITION_NODES || def.edges.length > MAX_DEFINITION_EDGES || def.nodes.some((n) => n.kind.length > MAX_KIND_LENGTH)) return null;
  const unique = (ids: string[]) => new Set(ids).size === ids.length;
  return unique(def.nodes.map((n) => n.id)) && unique(def.edges.map((e) => e.id)) ? def : null;
}

/**
 * Replaces the denormalised `workflow_nodes` / `workflow_edges` rows of a workflow with those
 * of `definition` (delete + insert, in the caller's transaction). A node whose kind names a
 * built-in component is linked to it.
 */
export async function saveGraph(tx: Tx, orgId: string, workflowId: string, definition: WorkflowDefinition): Promise<void> {
  await tx.deleteFrom('workflow_edges').where('org_id', '=', orgId).where('workflow_id', '=', workflowId).execute();
  await tx.deleteFrom('workflow_nodes').where('org_id', '=', orgId).where('workflow_id', '=', workflowId).execute();
  if (definition.nodes.length > 0) {
    const nodes = definition.nodes.map((n) => ({ id: n.id, kind: n.kind, config: n.config, position: n.position }));
    await sql`
      insert into public.workflow_nodes (org_id, workflow_id, node_id, node_type, component_id, config, position)
      select ${orgId}::uuid, ${workflowId}::uuid, n.id, n.kind,
             (select c.id from public.components c where c.org_id is null and c.name = n.kind order by c.created_at desc, c.id limit 1),
             coalesce(n.config, '{}'::jsonb), n.position
      from jsonb_to_recordset(${JSON.stringify(nodes)}::jsonb) as n(id text, kind text, config jsonb, position jsonb)`.execute(tx);
  }
  if (definition.edges.length > 0) {
    const edges = definition.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, source_handle: e.sourceHandle ?? null }));
    await sql`
      insert into public.workflow_edges (org_id, workflow_id, edge_id, source_node_id, target_node_id, source_handle)
      select ${orgId}::uuid, ${workflowId}::uuid, e.id, e.source, e.target, e.source_handle
      from jsonb_to_recordset(${JSON.stringify(edges)}::jsonb) as e(id text, source text, target text, source_handle text)`.execute(tx);
  }
  await saveMessages(tx, orgId, workflowId, definition);
}

/**
 * Replaces the `workflow_work_queues`, `workflow_signals` and `workflow_queries` rows of a
 * workflow with those of `definition`: declared signals and queries, and per work queue its row
 * plus its generated `<queue>_add` / `<queue>_stop` signals and `<queue>_state` query
 * (`auto_generated`, linked by `work_queue_id`). In the caller's transaction.
 */
export async function saveMessages(tx: Tx, orgId: string, workflowId: string, definition: WorkflowDefinition): Promise<void> {
  await tx.deleteFrom('workflow_signals').where('org_id', '=', orgId).where('workflow_id', '=', workflowId).execute();
  await tx.deleteFrom('workflow_queries').where('org_id', '=', orgId).where('workflow_id', '=', workflowId).execute();
  await tx.deleteFrom('workflow_work_queues').where('org_id', '=', orgId).where('workflow_id', '=', workflowId).execute();
  // Drafts may be saved with problems (duplicate names): the first declaration of a name wins here.
  const firstByName = <T extends { name: string }>(items: readonly T[]): T[] => items.filter((item, i) => items.findIndex((other) => other.name === item.name) === i);
  const queueIds = new Map<string, string>();
  for (const queue of firstByName(definition.workQueues ?? [])) {
    const names = queueMessageNames(queue.name);
    const row = await tx.insertInto('workflow_work_queues').values({
      org_id: orgId, workflow_id: workflowId, queue_name: queue.name, description: queue.description ?? null,
      signal_name: names.add, query_name: names.state, max_size: queue.maxSize ?? null, priority: queue.order ?? 'fifo',
      deduplicate: queue.deduplicate === true || queue.dedupeBy !== undefined,
      work_item_schema: queue.itemSchema === undefined ? null : JSON.stringify(queue.itemSchema),
    }).returning('id').executeTakeFirstOrThrow();
    queueIds.set(queue.name, row.id);
  }
  const queueId = (name: string | undefined) => (name === undefined ? null : queueIds.get(name) ?? null);
  const signals = firstByName(workflowSignals(definition)).map((signal) => ({
    org_id: orgId, workflow_id: workflowId, signal_name: signal.name, description: signal.description ?? null,
    parameters: JSON.stringify(signal.parametersSchema ?? {}), auto_generated: signal.workQueue !== undefined, work_queue_id: queueId(signal.workQueue),
  }));
  if (signals.length > 0) await tx.insertInto('workflow_signals').values(signals).execute();
  const queries = firstByName(workflowQueries(definition)).map((query) => ({
    org_id: orgId, workflow_id: workflowId, query_name: query.name, description: query.description ?? null,
    return_type: query.returnSchema === undefined ? null : JSON.stringify(query.returnSchema),
    auto_generated: query.workQueue !== undefined, work_queue_id: queueId(query.workQueue),
  }));
  if (queries.length > 0) await tx.insertInto('workflow_queries').values(queries).execute();
}

/**
 * Allowed status changes. Archived workflows are read-only and come back only through draft;
 * paused ones stay deployed but start no new runs (enforced by the run route).
 */
export const TRANSITIONS: Record<WorkflowStatus, readonly WorkflowStatus[]> = {
  draft: ['active', 'archived'],
  active: ['paused', 'draft', 'archived'],
  paused: ['active', 'draft', 'archived'],
  archived: ['draft'],
};
