import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { inOrg, iso, isoRequired } from '../../lib/context.ts';
import { afterCursor, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { problemResponses } from '../../schemas/common.ts';
import { findProject } from '../projects/index.ts';
import { ProjectParams } from '../projects/schemas.ts';
import { ListWorkersQuery, WorkerPage } from './schemas.ts';

/** The Temporal workers the worker manager runs for a project (read-only). */
export const workerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: { tags: ['projects'], summary: 'List a project\'s workers and their health', params: ProjectParams, querystring: ListWorkersQuery, response: { 200: WorkerPage, ...problemResponses } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = decodeCursor(req.query.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', async (tx) => {
      await findProject(tx, req.params.orgId, req.params.projectId);
      let q = tx.selectFrom('workflow_workers').selectAll().select(cursorTs('created_at').as('cursor_ts'))
        .where('org_id', '=', req.params.orgId).where('project_id', '=', req.params.projectId);
      if (req.query.status) q = q.where('status', '=', req.query.status);
      if (cursor) q = q.where(afterCursor(cursor, 'created_at', 'id'));
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), (r) => ({
      id: r.id,
      projectId: r.project_id,
      workerId: r.worker_id,
      taskQueueName: r.task_queue_name,
      status: r.status as 'starting' | 'running' | 'stopped' | 'error',
      lastHeartbeatAt: iso(r.last_heartbeat_at),
      startedAt: isoRequired(r.started_at),
      stoppedAt: iso(r.stopped_at),
      errorMessage: r.error_message,
      createdAt: isoRequired(r.created_at),
      updatedAt: isoRequired(r.updated_at),
    }));
  });
};
