import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { inOrg, isoRequired } from '../../lib/context.ts';
import { afterCursor, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { notFound } from '../../lib/problem.ts';
import { NoContent, problemResponses } from '../../schemas/common.ts';
import { findProject } from '../projects/index.ts';
import { ProjectParams } from '../projects/schemas.ts';
import { ListSecretsQuery, PutSecretBody, SecretMetadata, SecretPage, SecretParams } from './schemas.ts';

// `ciphertext` is not selectable by `authenticated` (column privileges): list columns, never `*`.
const COLUMNS = ['id', 'name', 'created_by', 'created_at', 'updated_at'] as const;
type SecretRow = { id: string; name: string; created_by: string | null; created_at: Date; updated_at: Date };
const toDto = (r: SecretRow) => ({ name: r.name, createdBy: r.created_by, createdAt: isoRequired(r.created_at), updatedAt: isoRequired(r.updated_at) });

/**
 * Project secrets: write-only. Values are sealed with SecretBox (AES-256-GCM, WB_SECRET_KEY) before
 * they reach the database, and only names and timestamps come back. Admins and developers
 * only: viewers do not even see the names.
 */
export const secretRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: { tags: ['secrets'], summary: 'List secret names (never values)', params: ProjectParams, querystring: ListSecretsQuery, response: { 200: SecretPage, ...problemResponses } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = decodeCursor(req.query.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'write', async (tx) => {
      await findProject(tx, req.params.orgId, req.params.projectId);
      let q = tx.selectFrom('project_secrets').select([...COLUMNS, cursorTs('created_at').as('cursor_ts')])
        .where('org_id', '=', req.params.orgId).where('project_id', '=', req.params.projectId);
      if (cursor) q = q.where(afterCursor(cursor, 'created_at', 'id'));
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), toDto);
  });

  app.put('/:name', {
    schema: {
      tags: ['secrets'],
      summary: 'Create or replace a secret (201 when created, 200 when replaced)',
      params: SecretParams, body: PutSecretBody, response: { 200: SecretMetadata, 201: SecretMetadata, ...problemResponses },
    },
  }, async (req, reply) => {
    const { orgId, projectId, name } = req.params;
    // Sealed with the project id as additional data: the worker opens it with SecretBox.open(c, projectId).
    const ciphertext = app.env.secretBox.seal(req.body.value, projectId);
    const { row, created } = await inOrg(app, req, orgId, 'write', async (tx, ctx) => {
      await findProject(tx, orgId, projectId);
      const updated = await tx.updateTable('project_secrets').set({ ciphertext })
        .where('org_id', '=', orgId).where('project_id', '=', projectId).where('name', '=', name)
        .returning(COLUMNS).executeTakeFirst();
      if (updated) return { row: updated, created: false };
      const inserted = await tx.insertInto('project_secrets')
        .values({ org_id: orgId, project_id: projectId, name, ciphertext, created_by: ctx.userId })
        .returning(COLUMNS).executeTakeFirstOrThrow();
      return { row: inserted, created: true };
    });
    return reply.code(created ? 201 : 200).send(toDto(row));
  });

  app.delete('/:name', {
    schema: { tags: ['secrets'], summary: 'Delete a secret', params: SecretParams, response: { 204: NoContent, ...problemResponses } },
  }, async (req, reply) => {
    await inOrg(app, req, req.params.orgId, 'write', async (tx) => {
      await findProject(tx, req.params.orgId, req.params.projectId);
      const deleted = await tx.deleteFrom('project_secrets')
        .where('org_id', '=', req.params.orgId).where('project_id', '=', req.params.projectId).where('name', '=', req.params.name)
        .returning('id').executeTakeFirst();
      if (!deleted) throw notFound('secret', '/params/name');
    });
    return reply.code(204).send(null);
  });
};
