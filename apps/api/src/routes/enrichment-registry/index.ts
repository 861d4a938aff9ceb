import type { Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Tx } from '@workflow-builder/db';
import { assertJsonSchema } from '../../lib/catalog.ts';
import { inOrg, isoRequired } from '../../lib/context.ts';
import { isPgError } from '../../lib/pg-errors.ts';
import { afterCursor, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { conflict, invalid, notFound } from '../../lib/problem.ts';
import { NoContent, OrgParams, problemResponses } from '../../schemas/common.ts';
import { CreateRegistryBody, ListRegistryQuery, RegistryEntry, RegistryPage, RegistryParams, UpdateRegistryBody } from './schemas.ts';

const select = (tx: Tx) => tx.selectFrom('enrichment_registry as r').selectAll('r').select(cursorTs('r.created_at').as('cursor_ts'));
type Row = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>;

const toDto = (r: Row): Static<typeof RegistryEntry> => ({
  id: r.id, orgId: r.org_id, slug: r.slug, workstreamSlug: r.workstream_slug, name: r.name, description: r.description,
  type: r.type as 'sync' | 'async', workflowId: r.workflow_id, asyncEndpointUrl: r.async_endpoint_url,
  callbackTimeoutSeconds: r.callback_timeout_seconds, configSchema: r.config_schema,
  createdAt: isoRequired(r.created_at), updatedAt: isoRequired(r.updated_at),
});

interface StepShape {
  workstreamSlug: string;
  type: 'sync' | 'async';
  workflowId: string | null;
  asyncEndpointUrl: string | null;
}

/**
 * A step must be runnable: a sync step names a workflow of ITS workstream's project (the child
 * run is recorded in that workstream), an async step an endpoint.
 */
async function checkStep(tx: Tx, orgId: string, s: StepShape): Promise<void> {
  const ws = await tx.selectFrom('projects').select('id').where('org_id', '=', orgId).where('workstream_slug', '=', s.workstreamSlug).executeTakeFirst();
  if (!ws) throw invalid('/workstreamSlug', 'unknown_reference', 'no project of the organisation has this workstream');
  if (s.type === 'sync') {
    if (!s.workflowId) throw invalid('/workflowId', 'required', 'a sync step needs the workflow it runs');
    const wf = await tx.selectFrom('workflows').select(['workstream_slug']).where('org_id', '=', orgId).where('id', '=', s.workflowId).executeTakeFirst();
    if (!wf) throw invalid('/workflowId', 'unknown_reference', 'no workflow with this id in the organisation');
    if (wf.workstream_slug !== s.workstreamSlug) throw invalid('/workflowId', 'wrong_workstream', `the workflow belongs to workstream ${wf.workstream_slug}, not ${s.workstreamSlug}`);
  } else if (!s.asyncEndpointUrl) {
    throw invalid('/asyncEndpointUrl', 'required', 'an async step needs the endpoint it calls');
  }
}

const find = async (tx: Tx, orgId: string, id: string): Promise<Row> => {
  const row = await select(tx).where('r.org_id', '=', orgId).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('registry entry', '/params/entryId');
  return row;
};

const duplicate = (e: unknown): boolean => isPgError(e) && e.code === '23505' && e.constraint === 'enrichment_registry_slug_workstream_unique';

/**
 * `/orgs/:orgId/enrichment-registry`: the workstream steps batches run, keyed by
 * (slug, workstreamSlug). Members read; developers and admins write.
 */
export const enrichmentRegistryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: {
      tags: ['batches'], summary: 'List registry entries (workstream steps), newest first; filters workstreamSlug, type; keyset pages',
      params: OrgParams, querystring: ListRegistryQuery, response: { 200: RegistryPage, ...problemResponses },
    },
  }, async (req) => {
    const qs = req.query;
    const limit = qs.limit ?? 50;
    const cursor = decodeCursor(qs.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx, ctx) => {
      let q = select(tx).where('r.org_id', '=', ctx.orgId);
      if (qs.workstreamSlug) q = q.where('r.workstream_slug', '=', qs.workstreamSlug);
      if (qs.type) q = q.where('r.type', '=', qs.type);
      if (cursor) q = q.where(afterCursor(cursor, 'r.created_at', 'r.id'));
      return q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), toDto);
  });

  app.post('', {
    schema: {
      tags: ['batches'], summary: 'Register a workstream step: sync (workflowId of the workstream\'s project) or async (asyncEndpointUrl, callbackTimeoutSeconds); 409 when the slug exists in the workstream',
      params: OrgParams, body: CreateRegistryBody, response: { 201: RegistryEntry, ...problemResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    // A schema, as components' config schemas are: forms are generated from it.
    assertJsonSchema(b.configSchema, '/configSchema');
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      await checkStep(tx, ctx.orgId, { workstreamSlug: b.workstreamSlug, type: b.type, workflowId: b.workflowId ?? null, asyncEndpointUrl: b.asyncEndpointUrl ?? null });
      const taken = await tx.selectFrom('enrichment_registry').select('id').where('slug', '=', b.slug).where('workstream_slug', '=', b.workstreamSlug).executeTakeFirst();
      if (taken) throw conflict(`step ${b.slug} already exists in workstream ${b.workstreamSlug}`, '/slug', 'duplicate');
      try {
        const { id } = await tx.insertInto('enrichment_registry').values({
          org_id: ctx.orgId, slug: b.slug, workstream_slug: b.workstreamSlug, name: b.name, description: b.description ?? null, type: b.type,
          workflow_id: b.type === 'sync' ? b.workflowId ?? null : null,
          async_endpoint_url: b.type === 'async' ? b.asyncEndpointUrl ?? null : null,
          callback_timeout_seconds: b.type === 'async' ? b.callbackTimeoutSeconds ?? 3600 : null,
          config_schema: JSON.stringify(b.configSchema ?? {}),
        }).returning('id').executeTakeFirstOrThrow();
        return find(tx, ctx.orgId, id);
      } catch (e) {
        if (duplicate(e)) throw conflict(`step ${b.slug} already exists in workstream ${b.workstreamSlug}`, '/slug', 'duplicate');
        throw e;
      }
    });
    return reply.code(201).send(toDto(row));
  });

  app.get('/:entryId', {
    schema: { tags: ['batches'], summary: 'Get a registry entry', params: RegistryParams, response: { 200: RegistryEntry, ...problemResponses } },
  }, async (req) => toDto(await inOrg(app, req, req.params.orgId, 'read', (tx, ctx) => find(tx, ctx.orgId, req.params.entryId))));

  app.patch('/:entryId', {
    schema: {
      tags: ['batches'], summary: 'Update a registry entry (slug and workstream are its key and do not change); batches in flight use the new settings for steps they have not started',
      params: RegistryParams, body: UpdateRegistryBody, response: { 200: RegistryEntry, ...problemResponses },
    },
  }, async (req) => {
    const b = req.body;
    assertJsonSchema(b.configSchema, '/configSchema');
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const cur = await find(tx, ctx.orgId, req.params.entryId);
      const type = b.type ?? (cur.type as 'sync' | 'async');
      const next: StepShape = {
        workstreamSlug: cur.workstream_slug, type,
        workflowId: b.workflowId !== undefined ? b.workflowId : cur.workflow_id,
        asyncEndpointUrl: b.asyncEndpointUrl !== undefined ? b.asyncEndpointUrl : cur.async_endpoint_url,
      };
      await checkStep(tx, ctx.orgId, next);
      const timeout = b.callbackTimeoutSeconds !== undefined ? b.callbackTimeoutSeconds : cur.callback_timeout_seconds;
      await tx.updateTable('enrichment_registry').set({
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.configSchema !== undefined ? { config_schema: JSON.stringify(b.configSchema) } : {}),
        type,
        workflow_id: type === 'sync' ? next.workflowId : null,
        async_endpoint_url: type === 'async' ? next.asyncEndpointUrl : null,
        callback_timeout_seconds: type === 'async' ? timeout ?? 3600 : null,
      }).where('org_id', '=', ctx.orgId).where('id', '=', cur.id).execute();
      return find(tx, ctx.orgId, cur.id);
    });
    return toDto(row);
  });

  app.delete('/:entryId', {
    schema: {
      tags: ['batches'], summary: 'Delete a registry entry; 409 while batches have results of this step (delete those batches first). Client configs of the step go with it',
      params: RegistryParams, response: { 204: NoContent, ...problemResponses },
    },
  }, async (req, reply) => {
    await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const cur = await find(tx, ctx.orgId, req.params.entryId);
      const used = await tx.selectFrom('enrichment_results').select('id')
        .where('workflow_slug', '=', cur.slug).where('workstream_slug', '=', cur.workstream_slug).limit(1).executeTakeFirst();
      if (used) throw conflict('batches hold results of this step; delete those batches first', '/params/entryId', 'in_use');
      await tx.deleteFrom('enrichment_registry').where('org_id', '=', ctx.orgId).where('id', '=', cur.id).execute();
    });
    return reply.code(204).send(null);
  });
};
