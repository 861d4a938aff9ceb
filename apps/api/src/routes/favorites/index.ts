import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { inOrg } from '../../lib/context.ts';
import { notFound } from '../../lib/problem.ts';
import { NoContent, problemResponses } from '../../schemas/common.ts';
import { WorkflowParams } from '../workflows/schemas.ts';
import { findWorkflow } from '../workflows/store.ts';

/**
 * Starring a workflow (user_workflows.is_favorite: one flag per workflow, shared by the
 * organisation as in the seed). Idempotent: PUT stars, DELETE unstars.
 */
export const favoriteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const [method, value] of [['PUT', true], ['DELETE', false]] as const) {
    app.route({
      method, url: '',
      schema: {
        tags: ['workflows'], summary: value ? 'Star a workflow' : 'Unstar a workflow',
        params: WorkflowParams, response: { 204: NoContent, ...problemResponses },
      },
      handler: async (req, reply) => {
        await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
          await findWorkflow(tx, ctx.orgId, req.params.workflowId);
          const updated = await tx.updateTable('user_workflows').set({ is_favorite: value })
            .where('org_id', '=', ctx.orgId).where('workflow_id', '=', req.params.workflowId).returning('id').executeTakeFirst();
          if (!updated) throw notFound('workflow', '/params/workflowId');
        });
        return reply.code(204).send(null);
      },
    });
  }
};
