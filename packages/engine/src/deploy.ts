import { sql } from 'kysely';
import type { Tx } from '@workflow-builder/db';
import { compileWorkflow, CompileError, workflowTypeName, type ChildWorkflowRef, type CompiledWorkflow } from '@workflow-builder/compiler';
import { runtimeHash, runtimeSourceFiles } from '@workflow-builder/compiler/export-project';
import { parseDefinition, validateWorkflow, type WorkflowDefinition } from '@workflow-builder/definition';
import { EngineError } from './errors.ts';
import { queriesToParent, recordChildWorkflows, signalsToParent } from './child-workflows.ts';

interface WorkflowForCompile {
  id: string;
  org_id: string;
  project_id: string;
  workstream_slug: string;
  kebab_name: string;
  display_name: string | null;
  name: string;
  definition: unknown;
  status: string;
  task_queue_name: string;
}

export interface CompiledVersion {
  version: number;
  contentHash: string;
  workflowType: string;
  /** True when the definition compiled to the same code as the latest stored version. */
  reused: boolean;
  compiled: CompiledWorkflow;
}

async function loadWorkflow(tx: Tx, workflowId: string): Promise<WorkflowForCompile> {
  const row = await sql<WorkflowForCompile>`
    select w.id, w.org_id, w.project_id, w.workstream_slug, w.kebab_name, w.display_name, w.name, w.definition,
           s.name as status, p.task_queue_name
    from public.workflows w
    join public.workflow_statuses s on s.id = w.status_id
    join public.projects p on p.id = w.project_id
    where w.id = ${workflowId}`.execute(tx);
  if (!row.rows[0]) throw new EngineError('not_found', 'Workflow not found');
  return row.rows[0];
}

/**
 * The active versions of the workflows this definition starts as children, looked up in the
 * same workstream by (kebab_name, workstream_slug) — never by the slug alone.
 */
async function childRefs(tx: Tx, wf: WorkflowForCompile, def: WorkflowDefinition): Promise<Record<string, ChildWorkflowRef>> {
  const slugs = [...new Set(def.nodes.filter((n) => n.kind === 'workflow.child').map((n) => String((n.config as { workflowSlug?: unknown }).workflowSlug ?? '')))];
  if (!slugs.length) return {};
  const rows = await sql<{ kebab_name: string; id: string; version: number; workflow_type: string | null; task_queue_name: string; definition: unknown }>`
    select w.kebab_name, w.id, c.version, c.workflow_type, p.task_queue_name, c.definition
    from public.workflows w
    join public.projects p on p.id = w.project_id
    join public.workflow_compiled_code c on c.workflow_id = w.id and c.is_active
    where w.workstream_slug = ${wf.workstream_slug} and w.kebab_name = any(${slugs}::text[])`.execute(tx);
  return Object.fromEntries(rows.rows.map((r) => [r.kebab_name, {
    workflowType: r.workflow_type ?? workflowTypeName(r.kebab_name, r.version),
    taskQueue: r.task_queue_name,
    workflowId: r.id,
    version: r.version,
    signalsToParent: signalsToParent(r.definition),
    queriesToParent: queriesToParent(r.definition),
  } satisfies ChildWorkflowRef]));
}

/** Every problem of a workflow as the engine sees it (schema, graph, and deployed children). */
export async function validateForDeploy(tx: Tx, workflowId: string): Promise<{ workflow: WorkflowForCompile; definition: WorkflowDefinition | null; problems: ReturnType<typeof validateWorkflow> }> {
  const workflow = await loadWorkflow(tx, workflowId);
  const parsed = parseDefinition(workflow.definition);
  if (!parsed.ok) return { workflow, definition: null, problems: parsed.problems };
  const children = await childRefs(tx, workflow, parsed.value);
  return { workflow, definition: parsed.value, problems: validateWorkflow(parsed.value, { knownWorkflowSlugs: Object.keys(children), childWorkflows: children }) };
}

/**
 * Stores the current runtime's source under its hash (once per hash; the database checks the
 * hash), so the worker can bundle this version with it after the platform's runtime has changed.
 */
async function storeRuntimeSnapshot(tx: Tx, hash: string): Promise<void> {
  const known = await sql<{ known: boolean }>`select app.runtime_snapshot_known(${hash}) as known`.execute(tx);
  if (known.rows[0]?.known) return;
  await sql`select app.store_runtime_snapshot(${hash}, ${JSON.stringify(runtimeSourceFiles())}::jsonb)`.execute(tx);
}

/**
 * Compiles the saved definition and stores it as the next version in workflow_compiled_code
 * (or reuses the latest version when the generated code is byte-identical). Runs in the caller's
 * transaction, so RLS decides whether the caller may compile this workflow.
 */
export async function compileAndStore(tx: Tx, workflowId: string): Promise<CompiledVersion> {
  const { workflow, definition, problems } = await validateForDeploy(tx, workflowId);
  if (!definition || problems.length) throw new EngineError('invalid_workflow', `The workflow has problems; fix them before compiling: ${problems.slice(0, 3).map((p) => `${p.nodeId ?? ''} ${p.field} ${p.message}`.trim()).join('; ')}`, problems);
  const children = await childRefs(tx, workflow, definition);
  const latest = await sql<{ version: number; content_hash: string; runtime_hash: string | null }>`
    select version, content_hash, runtime_hash from public.workflow_compiled_code where workflow_id = ${workflowId}
    order by version desc limit 1`.execute(tx);
  const compileAs = (version: number) => {
    try {
      return compileWorkflow(definition, {
        workflowId, kebabName: workflow.kebab_name, version, displayName: workflow.display_name ?? workflow.name,
        taskQueue: workflow.task_queue_name, childWorkflows: children,
      });
    } catch (e) {
      if (e instanceof CompileError) throw new EngineError('invalid_workflow', e.message, e.problems ?? []);
      throw e;
    }
  };
  const last = latest.rows[0];
  const runtime = runtimeHash();
  if (last) {
    // The version number is part of the generated code, so compare at the latest version. Code
    // compiled against another runtime is a new version: the stored one keeps its own runtime.
    const same = compileAs(last.version);
    if (same.contentHash === last.content_hash && last.runtime_hash === runtime) {
      return { version: last.version, contentHash: same.contentHash, workflowType: same.workflowType, reused: true, compiled: same };
    }
  }
  const version = (last?.version ?? 0) + 1;
  const compiled = compileAs(version);
  const childVersions = Object.values(children).map((c) => ({ workflowId: c.workflowId, version: c.version }));
  await storeRuntimeSnapshot(tx, runtime);
  await sql`
    insert into public.workflow_compiled_code
      (org_id, workflow_id, version, content_hash, workflow_type, workflow_code, activities_code, worker_code,
       package_json, tsconfig_json, compiled_by, is_active, child_versions, definition, runtime_hash)
    values (${workflow.org_id}, ${workflowId}, ${version}, ${compiled.contentHash}, ${compiled.workflowType},
            ${compiled.files.workflowCode}, ${compiled.files.activitiesCode}, ${compiled.files.workerCode},
            ${compiled.files.packageJson}, ${compiled.files.tsconfigJson}, app.current_user_id(), false,
            ${JSON.stringify(childVersions)}::jsonb, ${JSON.stringify(definition)}::jsonb, ${runtime})`.execute(tx);
  return { version, contentHash: compiled.contentHash, workflowType: compiled.workflowType, reused: false, compiled };
}

/**
 * Makes `version` the one active version of the workflow (the worker manager is notified by the
 * trigger on workflow_compiled_code) and marks the workflow deployed. Archived workflows are refused.
 */
export async function activateVersion(tx: Tx, workflowId: string, version: number): Promise<void> {
  const wf = await loadWorkflow(tx, workflowId);
  if (wf.status === 'archived') throw new EngineError('workflow_archived', 'An archived workflow cannot be deployed; move it back to draft first');
  await sql`update public.workflow_compiled_code set is_active = false where workflow_id = ${workflowId} and is_active and version <> ${version}`.execute(tx);
  const updated = await sql`update public.workflow_compiled_code set is_active = true, picked_up_at = case when is_active then picked_up_at else null end
                            where workflow_id = ${workflowId} and version = ${version} returning workflow_type`.execute(tx);
  if (!updated.rows.length) throw new EngineError('not_found', `Version ${version} of this workflow does not exist`);
  await recordChildWorkflows(tx, workflowId);
  await sql`
    update public.workflows set deployed_at = now(),
      temporal_workflow_type = ${workflowTypeName(wf.kebab_name, version)},
      status_id = case when status_id = app.workflow_status_id('draft') then app.workflow_status_id('active') else status_id end
    where id = ${workflowId}`.execute(tx);
}

/** Compile + activate in one transaction: the deploy the API and the CLI call. */
export async function deployWorkflow(tx: Tx, workflowId: string): Promise<CompiledVersion> {
  const compiled = await compileAndStore(tx, workflowId);
  await activateVersion(tx, workflowId, compiled.version);
  return compiled;
}

/** Deactivates the workflow's active version (in-flight runs keep their version served). */
export async function undeployWorkflow(tx: Tx, workflowId: string): Promise<void> {
  await loadWorkflow(tx, workflowId);
  await sql`update public.workflow_compiled_code set is_active = false where workflow_id = ${workflowId} and is_active`.execute(tx);
  await recordChildWorkflows(tx, workflowId);
}
