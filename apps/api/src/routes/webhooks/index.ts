import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { inOrg, iso, isoRequired, optionalBody } from '../../lib/context.ts';
import { newWebhookToken, sha256Hex } from '../../lib/crypto.ts';
import { afterCursor, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { conflict, notFound } from '../../lib/problem.ts';
import { EmptyBody, NoContent, problemResponses } from '../../schemas/common.ts';
import { WorkflowParams } from '../workflows/schemas.ts';
import { findWorkflow } from '../workflows/store.ts';
import { CreatedWebhook, ListWebhooksQuery, WebhookPage, WebhookParams } from './schemas.ts';

/** Active (unrevoked) webhooks one workflow may have. */
export const MAX_ACTIVE_WEBHOOKS = 20;

/** The public URL of a token, from how this request reached the API (X-Forwarded-* with TRUST_PROXY). */
export const hookUrl = (req: FastifyRequest, token: string): string => `${req.protocol}://${req.host}/v1/hooks/${token}`;

const dto = (r: { id: string; workflow_id: string; created_by: string; created_at: Date | string; revoked_at: Date | string | null }) => ({
  id: r.id, workflowId: r.workflow_id, createdBy: r.created_by, createdAt: isoRequired(r.created_at), revokedAt: iso(r.revoked_at),
});

/**
 * `/orgs/:orgId/workflows/:workflowId/webhooks`: tokens that start runs of the workflow through
 * `POST /v1/hooks/:token`. The token is shown once; the database keeps its sha256. Runs started
 * by a webhook act as the token's creator, as long as they are a developer or admin.
 */
export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('', {
    preValidation: optionalBody,
    schema: {
      tags: ['webhooks'],
      summary: `Create a webhook token for the workflow (shown once; at most ${MAX_ACTIVE_WEBHOOKS} active per workflow). Runs start only while the deployed trigger is trigger.webhook`,
      params: WorkflowParams, body: EmptyBody, response: { 201: CreatedWebhook, ...problemResponses },
    },
  }, async (req, reply) => {
    const token = newWebhookToken();
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const wf = await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      const { n } = await tx.selectFrom('workflow_webhooks').select((eb) => eb.fn.countAll<string>().as('n'))
        .where('org_id', '=', ctx.orgId).where('workflow_id', '=', wf.id).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
      if (Number(n) >= MAX_ACTIVE_WEBHOOKS) {
        throw conflict(`a workflow may have at most ${MAX_ACTIVE_WEBHOOKS} active webhooks; revoke one first`, '/params/workflowId', 'limit_reached');
      }
      return tx.insertInto('workflow_webhooks')
        .values({ org_id: ctx.orgId, workflow_id: wf.id, token_hash: sha256Hex(token), created_by: ctx.userId })
        .returning(['id', 'workflow_id', 'created_by', 'created_at', 'revoked_at']).executeTakeFirstOrThrow();
    });
    return reply.code(201).header('cache-control', 'no-store').send({ ...dto(row), token, url: hookUrl(req, token) });
  });

  app.get('', {
    schema: {
      tags: ['webhooks'], summary: 'List the workflow\'s webhooks, newest first (never their tokens)',
      params: WorkflowParams, querystring: ListWebhooksQuery, response: { 200: WebhookPage, ...problemResponses },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = decodeCursor(req.query.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', async (tx, ctx) => {
      const wf = await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      let q = tx.selectFrom('workflow_webhooks')
        .select(['id', 'workflow_id', 'created_by', 'created_at', 'revoked_at', cursorTs('created_at').as('cursor_ts')])
        .where('org_id', '=', ctx.orgId).where('workflow_id', '=', wf.id);
      if (!req.query.includeRevoked) q = q.where('revoked_at', 'is', null);
      if (cursor) q = q.where(afterCursor(cursor, 'created_at', 'id'));
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), dto);
  });

  app.delete('/:webhookId', {
    schema: {
      tags: ['webhooks'], summary: 'Revoke a webhook: its token answers 404 from now on',
      params: WebhookParams, response: { 204: NoContent, ...problemResponses },
    },
  }, async (req, reply) => {
    await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const wf = await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      const revoked = await tx.updateTable('workflow_webhooks')
        .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.fn<Date>('now')) }))
        .where('org_id', '=', ctx.orgId).where('workflow_id', '=', wf.id).where('id', '=', req.params.webhookId)
        .returning('id').executeTakeFirst();
      if (!revoked) throw notFound('webhook', '/params/webhookId');
    });
    return reply.code(204).send(null);
  });
};
