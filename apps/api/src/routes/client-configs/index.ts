import type { Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Tx } from '@workflow-builder/db';
import { configOverridesSchema, parseDefinition, type JsonSchemaObject } from '@workflow-builder/definition';
import { inOrg, iso } from '../../lib/context.ts';
import { notFound } from '../../lib/problem.ts';
import { NoContent, problemResponses } from '../../schemas/common.ts';
import { ClientParams } from '../clients/schemas.ts';
import { findClient } from '../clients/index.ts';
import { assertValidOverrides } from '../workflow-configs/overrides.ts';
import {
  ClientConfigParams, ClientConfigsQuery, ClientStepConfig, ClientStepConfigDetail, ClientStepConfigList, PutClientConfigBody,
} from './schemas.ts';

/**
 * A client's configuration of each workstream step (client_workflow_configs): per-node
 * overrides of the step's workflow, applied when a run or batch item is started for the client.
 * A step is (slug, workstream): every lookup here uses both.
 */

interface StepRow {
  slug: string;
  workstream_slug: string;
  name: string;
  workflow_id: string | null;
  definition: unknown;
  config: unknown;
  updated_at: Date | null;
}

/** Registry steps of the organisation with this client's config for each (left join). */
const steps = (tx: Tx, orgId: string, clientId: string) => tx.selectFrom('enrichment_registry as e')
  .leftJoin('workflows as w', (j) => j.onRef('w.id', '=', 'e.workflow_id').onRef('w.org_id', '=', 'e.org_id'))
  .leftJoin('client_workflow_configs as c', (j) => j
    .onRef('c.workflow_slug', '=', 'e.slug').onRef('c.workstream_slug', '=', 'e.workstream_slug').on('c.client_id', '=', clientId))
  .select(['e.slug', 'e.workstream_slug', 'e.name', 'e.workflow_id', 'w.definition', 'c.config', 'c.updated_at'])
  .where('e.org_id', '=', orgId);

const toDto = (clientId: string, r: StepRow): Static<typeof ClientStepConfig> => ({
  clientId, workflowSlug: r.slug, workstreamSlug: r.workstream_slug, stepName: r.name, workflowId: r.workflow_id,
  config: r.config === null || r.config === undefined ? null : (r.config as Record<string, unknown>), updatedAt: iso(r.updated_at),
});

/** The overrides schema of the step's workflow; a step that runs no workflow (async) takes any object. */
function schemaOf(row: StepRow): JsonSchemaObject {
  const parsed = parseDefinition(row.definition);
  return parsed.ok ? configOverridesSchema(parsed.value) : { type: 'object', additionalProperties: true };
}

async function findStep(tx: Tx, orgId: string, clientId: string, workstreamSlug: string, workflowSlug: string): Promise<StepRow> {
  await findClient(tx, orgId, clientId);
  const row = await steps(tx, orgId, clientId)
    .where('e.workstream_slug', '=', workstreamSlug).where('e.slug', '=', workflowSlug).executeTakeFirst();
  if (!row) throw notFound('workstream step', '/params/workflowSlug');
  return row;
}

export const clientConfigRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: {
      tags: ['clients'], summary: 'Every workstream step with this client\'s config for it (null: none); filter by workstreamSlug',
      params: ClientParams, querystring: ClientConfigsQuery, response: { 200: ClientStepConfigList, ...problemResponses },
    },
  }, async (req) => {
    const { clientId } = req.params;
    const rows = await inOrg(app, req, req.params.orgId, 'read', async (tx, ctx) => {
      await findClient(tx, ctx.orgId, clientId);
      let q = steps(tx, ctx.orgId, clientId);
      if (req.query.workstreamSlug) q = q.where('e.workstream_slug', '=', req.query.workstreamSlug);
      return q.orderBy('e.workstream_slug').orderBy('e.slug').limit(1_000).execute();
    });
    return { items: rows.map((r) => toDto(clientId, r)) };
  });

  app.get('/:workstreamSlug/:workflowSlug', {
    schema: {
      tags: ['clients'], summary: 'The client\'s config of one step, with the JSON Schema of the step workflow\'s overrides (for forms)',
      params: ClientConfigParams, response: { 200: ClientStepConfigDetail, ...problemResponses },
    },
  }, async (req) => {
    const p = req.params;
    const row = await inOrg(app, req, p.orgId, 'read', (tx, ctx) => findStep(tx, ctx.orgId, p.clientId, p.workstreamSlug, p.workflowSlug));
    return { ...toDto(p.clientId, row), schema: schemaOf(row) };
  });

  app.put('/:workstreamSlug/:workflowSlug', {
    schema: {
      tags: ['clients'],
      summary: 'Save the client\'s config of one step (replaces it). Checked against the step workflow\'s overrides schema: 400 naming /config/<nodeId>/<field>',
      params: ClientConfigParams, body: PutClientConfigBody, response: { 200: ClientStepConfigDetail, ...problemResponses },
    },
  }, async (req) => {
    const p = req.params;
    const saved = await inOrg(app, req, p.orgId, 'write', async (tx, ctx) => {
      const row = await findStep(tx, ctx.orgId, p.clientId, p.workstreamSlug, p.workflowSlug);
      const schema = schemaOf(row);
      assertValidOverrides(schema, req.body.config, '/config');
      const written = await tx.insertInto('client_workflow_configs')
        .values({ org_id: ctx.orgId, client_id: p.clientId, workflow_slug: p.workflowSlug, workstream_slug: p.workstreamSlug, config: JSON.stringify(req.body.config) })
        .onConflict((oc) => oc.constraint('client_workflow_configs_client_workflow_workstream_unique').doUpdateSet((eb) => ({ config: eb.ref('excluded.config') })))
        .returning(['config', 'updated_at']).executeTakeFirstOrThrow();
      return { row: { ...row, config: written.config, updated_at: written.updated_at }, schema };
    });
    return { ...toDto(p.clientId, saved.row), schema: saved.schema };
  });

  app.delete('/:workstreamSlug/:workflowSlug', {
    schema: { tags: ['clients'], summary: 'Remove the client\'s config of one step (runs use the workflow\'s own configs)', params: ClientConfigParams, response: { 204: NoContent, ...problemResponses } },
  }, async (req, reply) => {
    const p = req.params;
    await inOrg(app, req, p.orgId, 'write', async (tx, ctx) => {
      await findClient(tx, ctx.orgId, p.clientId);
      const deleted = await tx.deleteFrom('client_workflow_configs')
        .where('org_id', '=', ctx.orgId).where('client_id', '=', p.clientId)
        .where('workstream_slug', '=', p.workstreamSlug).where('workflow_slug', '=', p.workflowSlug)
        .returning('id').executeTakeFirst();
      if (!deleted) throw notFound('client config', '/params/workflowSlug');
    });
    return reply.code(204).send(null);
  });
};
