import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Selectable } from 'kysely';
import type { Projects, Tx } from '@workflow-builder/db';
import { inOrg, iso, isoRequired, savepoint } from '../../lib/context.ts';
import { afterCursor, containsPattern, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { isPgError } from '../../lib/pg-errors.ts';
import { invalid, notFound } from '../../lib/problem.ts';
import { workstreamSlugFromName } from '../../lib/slug.ts';
import { NoContent, OrgParams, problemResponses } from '../../schemas/common.ts';
import { CreateProjectBody, ListProjectsQuery, Project, ProjectPage, ProjectParams, UpdateProjectBody } from './schemas.ts';

type ProjectRow = Selectable<Projects>;

export const projectDto = (r: ProjectRow) => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  description: r.description,
  workstreamSlug: r.workstream_slug,
  taskQueueName: r.task_queue_name,
  settings: (r.settings ?? {}) as Record<string, unknown>,
  isActive: r.is_active,
  totalWorkflowExecutions: Number(r.total_workflow_executions),
  totalActivityExecutions: Number(r.total_activity_executions),
  avgExecutionDurationMs: r.avg_execution_duration_ms,
  lastExecutionAt: iso(r.last_execution_at),
  createdBy: r.created_by,
  createdAt: isoRequired(r.created_at),
  updatedAt: isoRequired(r.updated_at),
});

/**
 * A project of the request's organisation. Missing: 404 when the id came from the URL
 * (`/params/projectId`), 400 when it came from the body (`/projectId`).
 */
export async function findProject(tx: Tx, orgId: string, projectId: string, field = '/params/projectId'): Promise<ProjectRow> {
  const row = await tx.selectFrom('projects').selectAll().where('org_id', '=', orgId).where('id', '=', projectId).executeTakeFirst();
  if (!row) throw field.startsWith('/params/') ? notFound('project', field) : invalid(field, 'unknown_reference', 'no project with this id in the organisation');
  return row;
}

const slugTaken = (e: unknown) => isPgError(e) && e.code === '23505'
  && (e.constraint === 'projects_workstream_slug_key' || e.constraint === 'projects_org_id_workstream_slug_key');

/** Projects (= workstreams), each with its own task queue. */
export const projectRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: { tags: ['projects'], summary: 'List projects', params: OrgParams, querystring: ListProjectsQuery, response: { 200: ProjectPage, ...problemResponses } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = decodeCursor(req.query.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx) => {
      let q = tx.selectFrom('projects').selectAll().select(cursorTs('created_at').as('cursor_ts')).where('org_id', '=', req.params.orgId);
      if (req.query.search) q = q.where('name', 'ilike', containsPattern(req.query.search));
      if (req.query.isActive !== undefined) q = q.where('is_active', '=', req.query.isActive);
      if (cursor) q = q.where(afterCursor(cursor, 'created_at', 'id'));
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), projectDto);
  });

  app.post('', {
    schema: {
      tags: ['projects'],
      summary: 'Create a project with its task queue (<user_id>-<project_id>) and workstream slug, in one transaction',
      params: OrgParams, body: CreateProjectBody, response: { 201: Project, ...problemResponses },
    },
  }, async (req, reply) => {
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const id = randomUUID();
      const name = req.body.name.trim();
      const taskQueueName = `${ctx.userId}-${id}`;
      await tx.insertInto('task_queues').values({
        org_id: ctx.orgId, name: taskQueueName, display_name: `${name} (project queue)`.slice(0, 255), created_by: ctx.userId, is_system_queue: true,
      }).execute();
      const base = workstreamSlugFromName(name) || 'project';
      let slug = req.body.workstreamSlug ?? base;
      for (let attempt = 0; ; attempt++) {
        try {
          return await savepoint(tx, () => tx.insertInto('projects').values({
            id, org_id: ctx.orgId, name, description: req.body.description ?? null, created_by: ctx.userId,
            task_queue_name: taskQueueName, workstream_slug: slug, settings: JSON.stringify(req.body.settings ?? {}),
          }).returningAll().executeTakeFirstOrThrow());
        } catch (e) {
          // A derived slug may be taken by any organisation (slugs are global): add a suffix.
          if (req.body.workstreamSlug !== undefined || !slugTaken(e) || attempt >= 5) throw e;
          slug = `${base.slice(0, 92)}_${randomBytes(3).toString('hex')}`;
        }
      }
    });
    return reply.code(201).send(projectDto(row));
  });

  app.get('/:projectId', {
    schema: { tags: ['projects'], summary: 'Get a project', params: ProjectParams, response: { 200: Project, ...problemResponses } },
  }, async (req) => projectDto(await inOrg(app, req, req.params.orgId, 'read', (tx) => findProject(tx, req.params.orgId, req.params.projectId))));

  app.patch('/:projectId', {
    schema: {
      tags: ['projects'],
      summary: 'Update a project; renaming the workstream slug carries its workflows, runs and batches along',
      params: ProjectParams, body: UpdateProjectBody, response: { 200: Project, ...problemResponses },
    },
  }, async (req) => {
    const b = req.body;
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx) => {
      const updated = await tx.updateTable('projects').set({
        ...(b.name !== undefined ? { name: b.name.trim() } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.workstreamSlug !== undefined ? { workstream_slug: b.workstreamSlug } : {}),
        ...(b.settings !== undefined ? { settings: JSON.stringify(b.settings) } : {}),
        ...(b.isActive !== undefined ? { is_active: b.isActive } : {}),
      }).where('org_id', '=', req.params.orgId).where('id', '=', req.params.projectId).returningAll().executeTakeFirst();
      if (!updated) throw notFound('project', '/params/projectId');
      return updated;
    });
    return projectDto(row);
  });

  app.delete('/:projectId', {
    schema: {
      tags: ['projects'],
      summary: 'Delete a project with its workflows, runs, secrets and task queue',
      params: ProjectParams, response: { 204: NoContent, ...problemResponses },
    },
  }, async (req, reply) => {
    await inOrg(app, req, req.params.orgId, 'write', async (tx) => {
      const deleted = await tx.deleteFrom('projects').where('org_id', '=', req.params.orgId).where('id', '=', req.params.projectId)
        .returning('task_queue_name').executeTakeFirst();
      if (!deleted) throw notFound('project', '/params/projectId');
      await tx.deleteFrom('task_queues').where('org_id', '=', req.params.orgId).where('name', '=', deleted.task_queue_name).execute();
    });
    return reply.code(204).send(null);
  });
};
