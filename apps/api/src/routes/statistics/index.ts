import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { inOrg, iso, isoRequired } from '../../lib/context.ts';
import { decodeIdCursor, toIdPage } from '../../lib/pagination.ts';
import { OrgParams, problemResponses } from '../../schemas/common.ts';
import { ActivityStatisticPage, ListStatisticsQuery } from './schemas.ts';

/** Activity statistics per component (and per workflow), written by the worker; read-only here. */
export const statisticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/activities', {
    schema: {
      tags: ['statistics'], summary: 'Activity statistics per component and workflow',
      params: OrgParams, querystring: ListStatisticsQuery, response: { 200: ActivityStatisticPage, ...problemResponses },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeIdCursor(req.query.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx) => {
      let q = tx.selectFrom('activity_statistics as s')
        .leftJoin('components as c', 'c.id', 's.component_id')
        .selectAll('s').select('c.name as component_name')
        .where('s.org_id', '=', req.params.orgId);
      if (req.query.componentId) q = q.where('s.component_id', '=', req.query.componentId);
      if (req.query.workflowId) q = q.where('s.workflow_id', '=', req.query.workflowId);
      if (req.query.scope === 'organization') q = q.where('s.workflow_id', 'is', null);
      if (req.query.scope === 'workflow') q = q.where('s.workflow_id', 'is not', null);
      if (after) q = q.where('s.id', '>', after);
      return q.orderBy('s.id').limit(limit + 1).execute();
    });
    return toIdPage(rows, limit, (r) => ({
      id: r.id,
      componentId: r.component_id,
      componentName: r.component_name,
      workflowId: r.workflow_id,
      executionCount: Number(r.execution_count),
      successCount: Number(r.success_count),
      failureCount: Number(r.failure_count),
      avgDurationMs: r.avg_duration_ms,
      minDurationMs: r.min_duration_ms,
      maxDurationMs: r.max_duration_ms,
      lastExecutedAt: iso(r.last_executed_at),
      updatedAt: isoRequired(r.updated_at),
    }));
  });
};
