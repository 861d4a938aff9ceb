import { sql } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { validateWorkflow } from '@workflow-builder/definition';
import type { Tx } from '@workflow-builder/db';
import type { Static } from 'typebox';
import { inOrg, isoRequired, savepoint, type OrgContext } from '../../lib/context.ts';
import { syncSchedule } from '../deployments/index.ts';
import { afterCursor, containsPattern, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { isPgError } from '../../lib/pg-errors.ts';
import { conflict, invalid, notFound } from '../../lib/problem.ts';
import { kebabFromName } from '../../lib/slug.ts';
import { NoContent, OrgParams, problemResponses } from '../../schemas/common.ts';
import { emptyDefinition } from '../../schemas/definition.ts';
import { findProject } from '../projects/index.ts';
import {
  CreateWorkflowBody, DuplicateBody, ListVersionsQuery, ListWorkflowsQuery, StatusBody, UpdateWorkflowBody, ValidateBody, ValidationResult,
  VersionParams, Workflow, WorkflowPage, WorkflowParams, WorkflowVersion, WorkflowVersionPage,
} from './schemas.ts';
import { TRANSITIONS, assertUniqueIds, findWorkflow, savableGraph, saveGraph, summaryDto, withVersions, workflowDto, workflows, type WorkflowRow } from './store.ts';

const taskQueueId = (orgId: string, name: string) =>
  sql<string>`(select q.id from public.task_queues q where q.org_id = ${orgId} and q.name = ${name})`;

const isUnique = (e: unknown, constraint: string) => isPgError(e) && e.code === '23505' && e.constraint === constraint;

/** The body of these POSTs is optional: no body means `{}`. */
const optionalBody = async (req: FastifyRequest): Promise<void> => {
  if (req.body === undefined || req.body === null) req.body = {};
};

/** Archived workflows are read-only. */
function assertEditable(row: WorkflowRow): void {
  if (row.status_name === 'archived') {
    throw conflict('archived workflows are read-only; change the status to draft first', '/params/workflowId', 'archived');
  }
}

async function versionOf(tx: Tx, orgId: string, id: string): Promise<number> {
  const row = await tx.selectFrom('workflows').select('definition_version').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('workflow', '/params/workflowId');
  return row.definition_version;
}

/**
 * Creates a workflow from a POST /workflows body in the caller's transaction (kebabName derived
 * from the name unless given; nodes and edges saved) and returns it. Also used to instantiate templates.
 */
export async function insertWorkflow(tx: Tx, ctx: OrgContext, b: Static<typeof CreateWorkflowBody>): Promise<WorkflowRow & { definition: unknown }> {
  const kebabName = b.kebabName ?? kebabFromName(b.name);
  if (kebabName === '') throw invalid('/kebabName', 'required', 'cannot derive a kebab name from this name; give kebabName');
  const definition = b.definition ?? emptyDefinition();
  assertUniqueIds(definition);
  const project = await findProject(tx, ctx.orgId, b.projectId, '/projectId');
  const { id } = await tx.insertInto('workflows').values({
    org_id: ctx.orgId,
    project_id: project.id,
    workstream_slug: project.workstream_slug,
    name: b.name.trim(),
    display_name: b.displayName ?? null,
    description: b.description ?? null,
    kebab_name: kebabName,
    created_by: ctx.userId,
    visibility_id: sql<string>`app.visibility_id(${b.visibility ?? 'organization'})`,
    task_queue_id: taskQueueId(ctx.orgId, project.task_queue_name),
    definition: JSON.stringify(definition),
    ...(b.maxConcurrentExecutions !== undefined ? { max_concurrent_executions: b.maxConcurrentExecutions } : {}),
    ...(b.executionTimeoutSeconds !== undefined ? { execution_timeout_seconds: b.executionTimeoutSeconds } : {}),
  }).returning('id').executeTakeFirstOrThrow();
  await saveGraph(tx, ctx.orgId, id, definition);
  return findWorkflow(tx, ctx.orgId, id);
}

/** Workflows: definition, denormalised graph, status, history, duplicate and validation. */
export const workflowRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: { tags: ['workflows'], summary: 'List workflows', params: OrgParams, querystring: ListWorkflowsQuery, response: { 200: WorkflowPage, ...problemResponses } },
  }, async (req) => {
    const qs = req.query;
    const limit = qs.limit ?? 50;
    const cursor = decodeCursor(qs.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx) => {
      let q = workflows(tx, req.params.orgId);
      if (qs.projectId) q = q.where('w.project_id', '=', qs.projectId);
      if (qs.status) q = q.where('s.name', '=', qs.status);
      if (qs.visibility) q = q.where('v.name', '=', qs.visibility);
      if (qs.favorite !== undefined) q = q.where(sql<boolean>`coalesce(uw.is_favorite, false) = ${qs.favorite}`);
      if (qs.search) {
        const p = containsPattern(qs.search);
        q = q.where((eb) => eb.or([eb('w.name', 'ilike', p), eb('w.display_name', 'ilike', p), eb('w.kebab_name', 'ilike', p)]));
      }
      if (cursor) q = q.where(afterCursor(cursor, 'w.created_at', 'w.id'));
      return q.orderBy('w.created_at', 'desc').orderBy('w.id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), summaryDto);
  });

  app.post('', {
    schema: {
      tags: ['workflows'], summary: 'Create a workflow (kebabName derived from the name unless given); saves its nodes and edges',
      params: OrgParams, body: CreateWorkflowBody, response: { 201: Workflow, ...problemResponses },
    },
  }, async (req, reply) => {
    const row = await inOrg(app, req, req.params.orgId, 'write', (tx, ctx) => insertWorkflow(tx, ctx, req.body));
    return reply.code(201).send(workflowDto(row));
  });

  app.get('/:workflowId', {
    schema: { tags: ['workflows'], summary: 'Get a workflow with its definition', params: WorkflowParams, response: { 200: Workflow, ...problemResponses } },
  }, async (req) => workflowDto(await inOrg(app, req, req.params.orgId, 'read', (tx) => findWorkflow(tx, req.params.orgId, req.params.workflowId))));

  app.patch('/:workflowId', {
    schema: {
      tags: ['workflows'],
      summary: 'Save a workflow: optimistic concurrency on definitionVersion (stale: 409 with currentDefinitionVersion); the definition, nodes and edges are saved together',
      params: WorkflowParams, body: UpdateWorkflowBody, response: { 200: Workflow, ...problemResponses },
    },
  }, async (req) => {
    const b = req.body;
    if (b.definition) assertUniqueIds(b.definition);
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const current = await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      if (b.kebabName !== undefined && b.kebabName !== current.kebab_name) {
        throw invalid('/kebabName', 'immutable', `kebab_name is immutable (it names the deployed Temporal workflow): it stays "${current.kebab_name}"; duplicate the workflow to get a new one`);
      }
      assertEditable(current);
      const stale = (version: number) => conflict(
        `the workflow was saved by someone else (definitionVersion ${version}); reload it and apply your changes again`,
        '/definitionVersion', 'stale_version', { currentDefinitionVersion: version },
      );
      if (b.definitionVersion !== current.definition_version) throw stale(current.definition_version);
      const updated = await tx.updateTable('workflows').set({
        ...(b.name !== undefined ? { name: b.name.trim() } : {}),
        ...(b.displayName !== undefined ? { display_name: b.displayName } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.visibility !== undefined ? { visibility_id: sql<string>`app.visibility_id(${b.visibility})` } : {}),
        ...(b.definition !== undefined ? { definition: JSON.stringify(b.definition) } : {}),
        ...(b.maxConcurrentExecutions !== undefined ? { max_concurrent_executions: b.maxConcurrentExecutions } : {}),
        ...(b.executionTimeoutSeconds !== undefined ? { execution_timeout_seconds: b.executionTimeoutSeconds } : {}),
        definition_version: sql<number>`definition_version + 1`,
      })
        .where('org_id', '=', ctx.orgId).where('id', '=', current.id).where('definition_version', '=', b.definitionVersion)
        .returning('id').executeTakeFirst();
      if (!updated) throw stale(await versionOf(tx, ctx.orgId, current.id));
      if (b.definition !== undefined) await saveGraph(tx, ctx.orgId, current.id, b.definition);
      return findWorkflow(tx, ctx.orgId, current.id);
    });
    return workflowDto(row);
  });

  app.delete('/:workflowId', {
    schema: { tags: ['workflows'], summary: 'Delete a workflow with its graph, history, compiled code and runs', params: WorkflowParams, response: { 204: NoContent, ...problemResponses } },
  }, async (req, reply) => {
    await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const deleted = await tx.deleteFrom('workflows').where('org_id', '=', ctx.orgId).where('id', '=', req.params.workflowId).returning('id').executeTakeFirst();
      if (!deleted) throw notFound('workflow', '/params/workflowId');
    });
    return reply.code(204).send(null);
  });

  app.post('/:workflowId/status', {
    schema: {
      tags: ['workflows'],
      summary: 'Change the status: draft → active/archived; active ↔ paused; active/paused → draft/archived; archived → draft only. Active needs a deployed version',
      params: WorkflowParams, body: StatusBody, response: { 200: Workflow, ...problemResponses },
    },
  }, async (req) => {
    const to = req.body.status;
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const current = await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      const from = current.status_name as keyof typeof TRANSITIONS;
      if (from === to) return current;
      if (!TRANSITIONS[from].includes(to)) {
        const allowed = TRANSITIONS[from].join(', ');
        throw conflict(`a ${from} workflow cannot become ${to}${from === 'archived' ? '; archived workflows can only go back to draft' : ''} (allowed: ${allowed})`, '/status', 'invalid_transition');
      }
      if (to === 'active') {
        const deployed = await tx.selectFrom('workflow_compiled_code').select('id')
          .where('org_id', '=', ctx.orgId).where('workflow_id', '=', current.id).where('is_active', '=', true).executeTakeFirst();
        if (!deployed) throw conflict('deploy the workflow before activating it', '/status', 'not_deployed');
      }
      await tx.updateTable('workflows').set({ status_id: sql<string>`app.workflow_status_id(${to})` }).where('org_id', '=', ctx.orgId).where('id', '=', current.id).execute();
      return findWorkflow(tx, ctx.orgId, current.id);
    });
    // Paused or archived workflows stop their schedule; reactivated ones resume it.
    await syncSchedule(app, req, req.params.orgId, row.id).catch((e: unknown) =>
      req.log.warn({ err: e, workflowId: row.id }, 'could not update the workflow schedule on Temporal'));
    return workflowDto(row);
  });

  app.post('/:workflowId/duplicate', {
    preValidation: optionalBody,
    schema: {
      tags: ['workflows'],
      summary: 'Copy a workflow as a new draft named <kebab_name>-copy[-n] (optionally into another project)',
      params: WorkflowParams, body: DuplicateBody, response: { 201: Workflow, ...problemResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const src = await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      const project = await findProject(tx, ctx.orgId, b.projectId ?? src.project_id, b.projectId ? '/projectId' : '/params/workflowId');
      const base = src.kebab_name.slice(0, 52).replace(/-+$/, '');
      const graph = savableGraph(src.definition);
      const taken = new Set((await tx.selectFrom('workflows').select('kebab_name')
        .where('workstream_slug', '=', project.workstream_slug).where('kebab_name', 'like', `${base}-copy%`).execute()).map((r) => r.kebab_name));
      for (let n = 1; n <= 100; n++) {
        const kebabName = n === 1 ? `${base}-copy` : `${base}-copy-${n}`;
        if (taken.has(kebabName)) continue;
        const name = b.name?.trim() ?? (n === 1 ? `${src.name} (copy)` : `${src.name} (copy ${n})`).slice(0, 255);
        try {
          const { id } = await savepoint(tx, () => tx.insertInto('workflows').values({
            org_id: ctx.orgId, project_id: project.id, workstream_slug: project.workstream_slug, name, display_name: src.display_name,
            description: src.description, kebab_name: kebabName, created_by: ctx.userId,
            visibility_id: sql<string>`app.visibility_id(${src.visibility_name})`, task_queue_id: taskQueueId(ctx.orgId, project.task_queue_name),
            definition: JSON.stringify(src.definition ?? emptyDefinition()), max_concurrent_executions: src.max_concurrent_executions,
            execution_timeout_seconds: src.execution_timeout_seconds,
          }).returning('id').executeTakeFirstOrThrow());
          if (graph) await saveGraph(tx, ctx.orgId, id, graph);
          return findWorkflow(tx, ctx.orgId, id);
        } catch (e) {
          // Taken by a workflow the caller cannot see (private), or the derived name is taken.
          if (isUnique(e, 'workflows_workstream_kebab_name_key')) continue;
          if (b.name === undefined && isUnique(e, 'workflows_project_name_version_key')) continue;
          throw e;
        }
      }
      throw conflict('no free <kebab_name>-copy-<n> name left; rename copies first', '/params/workflowId', 'no_free_name');
    });
    return reply.code(201).send(workflowDto(row));
  });

  app.get('/:workflowId/versions', {
    schema: { tags: ['workflows'], summary: 'List saved versions, newest first', params: WorkflowParams, querystring: ListVersionsQuery, response: { 200: WorkflowVersionPage, ...problemResponses } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = decodeCursor(req.query.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', async (tx, ctx) => {
      await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      let q = withVersions(tx).selectFrom('workflow_versions')
        .select(['id', 'definition_version', 'name', 'display_name', 'description', 'created_by', 'created_at', cursorTs('created_at').as('cursor_ts')])
        .where('org_id', '=', ctx.orgId).where('workflow_id', '=', req.params.workflowId);
      if (cursor) q = q.where(afterCursor(cursor, 'created_at', 'id'));
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), (r) => ({
      definitionVersion: r.definition_version, name: r.name, displayName: r.display_name, description: r.description,
      createdBy: r.created_by, createdAt: isoRequired(r.created_at),
    }));
  });

  app.get('/:workflowId/versions/:version', {
    schema: { tags: ['workflows'], summary: 'Get one saved version with its definition', params: VersionParams, response: { 200: WorkflowVersion, ...problemResponses } },
  }, async (req) => {
    const row = await inOrg(app, req, req.params.orgId, 'read', async (tx, ctx) => {
      await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      return withVersions(tx).selectFrom('workflow_versions').selectAll()
        .where('org_id', '=', ctx.orgId).where('workflow_id', '=', req.params.workflowId).where('definition_version', '=', req.params.version)
        .executeTakeFirst();
    });
    if (!row) throw notFound('version', '/params/version');
    return {
      definitionVersion: row.definition_version, name: row.name, displayName: row.display_name, description: row.description,
      createdBy: row.created_by, createdAt: isoRequired(row.created_at), definition: row.definition as never,
    };
  });

  app.post('/:workflowId/validate', {
    preValidation: optionalBody,
    schema: {
      tags: ['workflows'],
      summary: 'Validate the saved definition, or an unsaved one sent as { definition }: every problem at once',
      params: WorkflowParams, body: ValidateBody, response: { 200: ValidationResult, ...problemResponses },
    },
  }, async (req) => {
    const { definition, known } = await inOrg(app, req, req.params.orgId, 'read', async (tx, ctx) => {
      const wf = await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      const siblings = await tx.selectFrom('workflows').select('kebab_name')
        .where('org_id', '=', ctx.orgId).where('workstream_slug', '=', wf.workstream_slug).execute();
      return { definition: req.body.definition !== undefined ? req.body.definition : wf.definition, known: siblings.map((s) => s.kebab_name) };
    });
    const problems = validateWorkflow(definition, { knownWorkflowSlugs: known }).map((p) => ({
      nodeId: p.nodeId ?? null, edgeId: p.edgeId ?? null, field: p.field, code: p.code, message: p.message,
    }));
    return { valid: problems.length === 0, problems };
  });
};


