import type { Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Tx } from '@workflow-builder/db';
import { inOrg, isoRequired } from '../../lib/context.ts';
import { afterCursor, containsPattern, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { conflict, notFound } from '../../lib/problem.ts';
import { NoContent, OrgParams, problemResponses } from '../../schemas/common.ts';
import { Client, ClientPage, ClientParams, CreateClientBody, ListClientsQuery, UpdateClientBody } from './schemas.ts';

/** The customers a workstream's runs and batches are for. Members read; developers and admins write. */

const clients = (tx: Tx, orgId: string) => tx.selectFrom('clients')
  .select(['id', 'org_id', 'name', 'external_ref', 'created_at', 'updated_at', cursorTs('created_at').as('cursor_ts')])
  .where('org_id', '=', orgId);
type Row = Awaited<ReturnType<ReturnType<typeof clients>['executeTakeFirstOrThrow']>>;

const toDto = (r: Omit<Row, 'cursor_ts'>): Static<typeof Client> => ({
  id: r.id, orgId: r.org_id, name: r.name, externalRef: r.external_ref, createdAt: isoRequired(r.created_at), updatedAt: isoRequired(r.updated_at),
});

/** One client of the organisation, or 404 on `/params/clientId`. */
export async function findClient(tx: Tx, orgId: string, clientId: string): Promise<Row> {
  const row = await clients(tx, orgId).where('id', '=', clientId).executeTakeFirst();
  if (!row) throw notFound('client', '/params/clientId');
  return row;
}

export const clientRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: { tags: ['clients'], summary: 'List clients, newest first (search: substring of the name)', params: OrgParams, querystring: ListClientsQuery, response: { 200: ClientPage, ...problemResponses } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = decodeCursor(req.query.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx, ctx) => {
      let q = clients(tx, ctx.orgId);
      if (req.query.search) q = q.where('name', 'ilike', containsPattern(req.query.search));
      if (cursor) q = q.where(afterCursor(cursor, 'created_at', 'id'));
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), toDto);
  });

  app.post('', {
    schema: { tags: ['clients'], summary: 'Create a client (names are unique in the organisation: 409 on /name)', params: OrgParams, body: CreateClientBody, response: { 201: Client, ...problemResponses } },
  }, async (req, reply) => {
    const row = await inOrg(app, req, req.params.orgId, 'write', (tx, ctx) => tx.insertInto('clients')
      .values({ org_id: ctx.orgId, name: req.body.name.trim(), external_ref: req.body.externalRef ?? null })
      .returning(['id', 'org_id', 'name', 'external_ref', 'created_at', 'updated_at']).executeTakeFirstOrThrow());
    return reply.code(201).send(toDto(row));
  });

  app.get('/:clientId', {
    schema: { tags: ['clients'], summary: 'Get a client', params: ClientParams, response: { 200: Client, ...problemResponses } },
  }, async (req) => toDto(await inOrg(app, req, req.params.orgId, 'read', (tx, ctx) => findClient(tx, ctx.orgId, req.params.clientId))));

  app.patch('/:clientId', {
    schema: { tags: ['clients'], summary: 'Rename a client or change its external reference', params: ClientParams, body: UpdateClientBody, response: { 200: Client, ...problemResponses } },
  }, async (req) => {
    const b = req.body;
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const updated = await tx.updateTable('clients')
        .set({ ...(b.name !== undefined ? { name: b.name.trim() } : {}), ...(b.externalRef !== undefined ? { external_ref: b.externalRef } : {}) })
        .where('org_id', '=', ctx.orgId).where('id', '=', req.params.clientId)
        .returning(['id', 'org_id', 'name', 'external_ref', 'created_at', 'updated_at']).executeTakeFirst();
      if (!updated) throw notFound('client', '/params/clientId');
      return updated;
    });
    return toDto(row);
  });

  app.delete('/:clientId', {
    schema: {
      tags: ['clients'],
      summary: 'Delete a client with its step configs; its past runs are kept without the client. 409 while batches of the client exist',
      params: ClientParams, response: { 204: NoContent, ...problemResponses },
    },
  }, async (req, reply) => {
    await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      // Batches would go with the client (on delete cascade): refuse rather than lose their results.
      const batches = await tx.selectFrom('batches').select((eb) => eb.fn.countAll<string>().as('n'))
        .where('org_id', '=', ctx.orgId).where('client_id', '=', req.params.clientId).executeTakeFirstOrThrow();
      if (Number(batches.n) > 0) {
        throw conflict(`the client has ${batches.n} batch(es); delete them before deleting the client`, '/params/clientId', 'still_referenced');
      }
      const deleted = await tx.deleteFrom('clients').where('org_id', '=', ctx.orgId).where('id', '=', req.params.clientId).returning('id').executeTakeFirst();
      if (!deleted) throw notFound('client', '/params/clientId');
    });
    return reply.code(204).send(null);
  });
};
