import { sql } from 'kysely';
import type { Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Tx } from '@workflow-builder/db';
import { configOverridesSchema, parseDefinition } from '@workflow-builder/definition';
import { inOrg, isoRequired } from '../../lib/context.ts';
import { notFound } from '../../lib/problem.ts';
import { problemResponses } from '../../schemas/common.ts';
import { WorkflowParams } from '../workflows/schemas.ts';
import { findWorkflow } from '../workflows/store.ts';
import { assertValidOverrides } from './overrides.ts';
import {
  ConfigSchemaResponse, CreateConfigVersionBody, NamedConfig, NamedConfigList, UpdateConfigVersionBody, WorkflowConfigParams,
  WorkflowConfigVersionParams,
} from './schemas.ts';

/**
 * Named configs of a workflow (user_workflow_config): named, versioned sets of per-node
 * overrides. Saving creates the next version; versions are immutable except for being
 * activated or deactivated. A run started with `configName` uses the newest active version
 * (or `configVersion`), under the client's config.
 */

const configs = (tx: Tx, orgId: string, workflowId: string) => tx.selectFrom('user_workflow_config')
  .select(['id', 'workflow_id', 'name', 'version', 'config', 'is_active', 'created_by', 'created_at'])
  .where('org_id', '=', orgId).where('workflow_id', '=', workflowId);
type Row = Awaited<ReturnType<ReturnType<typeof configs>['executeTakeFirstOrThrow']>>;

const toDto = (r: Row): Static<typeof NamedConfig> => ({
  id: r.id, workflowId: r.workflow_id, name: r.name, version: r.version, config: (r.config ?? {}) as Record<string, unknown>,
  isActive: r.is_active, createdBy: r.created_by, createdAt: isoRequired(r.created_at),
});

/** The overrides schema of the workflow's saved definition. */
const schemaOfWorkflow = (definition: unknown) => {
  const parsed = parseDefinition(definition);
  return configOverridesSchema(parsed.ok ? parsed.value : { nodes: [] });
};

export const workflowConfigRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/config-schema', {
    schema: {
      tags: ['workflow configs'], summary: 'JSON Schema of the workflow\'s per-node config overrides (named and client configs), for forms',
      params: WorkflowParams, response: { 200: ConfigSchemaResponse, ...problemResponses },
    },
  }, async (req) => {
    const wf = await inOrg(app, req, req.params.orgId, 'read', (tx, ctx) => findWorkflow(tx, ctx.orgId, req.params.workflowId));
    return { schema: schemaOfWorkflow(wf.definition) };
  });

  app.get('/configs', {
    schema: {
      tags: ['workflow configs'], summary: 'Every version of every named config of the workflow (by name, newest version first)',
      params: WorkflowParams, response: { 200: NamedConfigList, ...problemResponses },
    },
  }, async (req) => {
    const rows = await inOrg(app, req, req.params.orgId, 'read', async (tx, ctx) => {
      await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      return configs(tx, ctx.orgId, req.params.workflowId).orderBy('name').orderBy('version', 'desc').limit(1_000).execute();
    });
    return { items: rows.map(toDto) };
  });

  app.post('/configs', {
    schema: {
      tags: ['workflow configs'],
      summary: 'Save a named config: creates its next version (1 for a new name); earlier versions stay as they were. 400 naming /config/<nodeId>/<field>',
      params: WorkflowParams, body: CreateConfigVersionBody, response: { 201: NamedConfig, ...problemResponses },
    },
  }, async (req, reply) => {
    const { name, config } = req.body;
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const wf = await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      assertValidOverrides(schemaOfWorkflow(wf.definition), config, '/config');
      // Serialise versioning per (workflow, name); the unique key catches anything else as a 409.
      await sql`select pg_advisory_xact_lock(hashtext(${`${wf.id}/${name}`}))`.execute(tx);
      const last = await tx.selectFrom('user_workflow_config').select((eb) => eb.fn.max('version').as('v'))
        .where('workflow_id', '=', wf.id).where('name', '=', name).executeTakeFirst();
      return tx.insertInto('user_workflow_config')
        .values({ org_id: ctx.orgId, workflow_id: wf.id, name, version: (last?.v ?? 0) + 1, config: JSON.stringify(config), created_by: ctx.userId })
        .returning(['id', 'workflow_id', 'name', 'version', 'config', 'is_active', 'created_by', 'created_at']).executeTakeFirstOrThrow();
    });
    return reply.code(201).send(toDto(row));
  });

  app.get('/configs/:name', {
    schema: {
      tags: ['workflow configs'], summary: 'The versions of one named config, newest first',
      params: WorkflowConfigParams, response: { 200: NamedConfigList, ...problemResponses },
    },
  }, async (req) => {
    const rows = await inOrg(app, req, req.params.orgId, 'read', async (tx, ctx) => {
      await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      return configs(tx, ctx.orgId, req.params.workflowId).where('name', '=', req.params.name).orderBy('version', 'desc').execute();
    });
    if (rows.length === 0) throw notFound('named config', '/params/name');
    return { items: rows.map(toDto) };
  });

  app.patch('/configs/:name/versions/:version', {
    schema: {
      tags: ['workflow configs'], summary: 'Activate or deactivate one version (the config itself never changes; save a new version instead)',
      params: WorkflowConfigVersionParams, body: UpdateConfigVersionBody, response: { 200: NamedConfig, ...problemResponses },
    },
  }, async (req) => {
    const p = req.params;
    const row = await inOrg(app, req, p.orgId, 'write', async (tx, ctx) => {
      await findWorkflow(tx, ctx.orgId, p.workflowId);
      const updated = await tx.updateTable('user_workflow_config').set({ is_active: req.body.isActive })
        .where('org_id', '=', ctx.orgId).where('workflow_id', '=', p.workflowId).where('name', '=', p.name).where('version', '=', p.version)
        .returning(['id', 'workflow_id', 'name', 'version', 'config', 'is_active', 'created_by', 'created_at']).executeTakeFirst();
      if (!updated) throw notFound('named config version', '/params/version');
      return updated;
    });
    return toDto(row);
  });
};
