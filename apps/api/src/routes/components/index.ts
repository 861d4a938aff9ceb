import { sql } from 'kysely';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Tx } from '@workflow-builder/db';
import { assertJsonSchema, assertOwnCatalogRow } from '../../lib/catalog.ts';
import { inOrg, isoRequired } from '../../lib/context.ts';
import { afterCursor, containsPattern, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { ApiError, invalid, notFound } from '../../lib/problem.ts';
import { NoContent, OrgParams, problemResponses, type Visibility } from '../../schemas/common.ts';
import {
  Component, ComponentPage, ComponentParams, CreateComponentBody, ListComponentsQuery, NewComponentVersionBody, UpdateComponentBody,
} from './schemas.ts';
import type { Static } from 'typebox';

const visible = (tx: Tx) => tx.selectFrom('components as c')
  .innerJoin('component_types as t', 't.id', 'c.component_type_id')
  .innerJoin('component_visibility as v', 'v.id', 'c.visibility_id')
  .selectAll('c')
  .select(['t.name as type_name', 'v.name as visibility_name', cursorTs('c.created_at').as('cursor_ts')]);

type Row = Awaited<ReturnType<ReturnType<typeof visible>['executeTakeFirstOrThrow']>>;
type Editable = Static<typeof UpdateComponentBody>;

const obj = (v: unknown) => (v === null || v === undefined ? null : (v as Record<string, unknown>));
export const componentDto = (r: Row): Static<typeof Component> => ({
  id: r.id,
  orgId: r.org_id,
  builtIn: r.org_id === null,
  name: r.name,
  displayName: r.display_name,
  description: r.description,
  type: r.type_name,
  version: r.version,
  visibility: r.visibility_name as Visibility,
  configSchema: (r.config_schema ?? {}) as Record<string, unknown>,
  inputSchema: obj(r.input_schema),
  outputSchema: obj(r.output_schema),
  tags: r.tags,
  capabilities: r.capabilities,
  agentPromptId: r.agent_prompt_id,
  modelProvider: r.model_provider,
  modelName: r.model_name,
  implementationPath: r.implementation_path,
  npmPackage: r.npm_package,
  deprecated: r.deprecated,
  createdBy: r.created_by,
  createdAt: isoRequired(r.created_at),
  updatedAt: isoRequired(r.updated_at),
});

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

/** Checks the parts of a body a schema cannot: JSON Schemas and a visible agent prompt. */
async function checkEditable(tx: Tx, b: Editable): Promise<void> {
  assertJsonSchema(b.configSchema, '/configSchema');
  assertJsonSchema(b.inputSchema, '/inputSchema');
  assertJsonSchema(b.outputSchema, '/outputSchema');
  if (b.agentPromptId) {
    // Foreign keys bypass row-level security: only a prompt the caller can see may be linked.
    const prompt = await tx.selectFrom('agent_prompts').select('id').where('id', '=', b.agentPromptId).executeTakeFirst();
    if (!prompt) throw invalid('/agentPromptId', 'unknown_reference', 'no agent prompt with this id is visible to you');
  }
}

/** Column values of the editable fields present in `b`. */
function editableColumns(b: Editable) {
  return {
    ...(b.displayName !== undefined ? { display_name: b.displayName } : {}),
    ...(b.description !== undefined ? { description: b.description } : {}),
    ...(b.visibility !== undefined ? { visibility_id: sql<string>`app.visibility_id(${b.visibility})` } : {}),
    ...(b.configSchema !== undefined ? { config_schema: JSON.stringify(b.configSchema) } : {}),
    ...(b.inputSchema !== undefined ? { input_schema: json(b.inputSchema) } : {}),
    ...(b.outputSchema !== undefined ? { output_schema: json(b.outputSchema) } : {}),
    ...(b.tags !== undefined ? { tags: b.tags } : {}),
    ...(b.capabilities !== undefined ? { capabilities: b.capabilities } : {}),
    ...(b.agentPromptId !== undefined ? { agent_prompt_id: b.agentPromptId } : {}),
    ...(b.modelProvider !== undefined ? { model_provider: b.modelProvider } : {}),
    ...(b.modelName !== undefined ? { model_name: b.modelName } : {}),
    ...(b.implementationPath !== undefined ? { implementation_path: b.implementationPath } : {}),
    ...(b.npmPackage !== undefined ? { npm_package: b.npmPackage } : {}),
    ...(b.deprecated !== undefined ? { deprecated: b.deprecated } : {}),
  };
}

async function componentTypeId(tx: Tx, name: string): Promise<string> {
  const row = await tx.selectFrom('component_types').select('id').where('name', '=', name).executeTakeFirst();
  if (row) return row.id;
  const names = (await tx.selectFrom('component_types').select('name').orderBy('name').execute()).map((t) => t.name);
  throw new ApiError(400, 'validation_failed', `unknown component type "${name}"`, [{ field: '/type', code: 'invalid_value', message: `must be one of: ${names.join(', ')}` }]);
}

const findVisible = async (tx: Tx, id: string): Promise<Row> => {
  const row = await visible(tx).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('component', '/params/componentId');
  return row;
};

/** The component catalog: built-in node kinds (read-only) plus the organisation's own components. */
export const componentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: {
      tags: ['components'], summary: 'List visible components: built-ins, public ones and the organisation\'s own',
      params: OrgParams, querystring: ListComponentsQuery, response: { 200: ComponentPage, ...problemResponses },
    },
  }, async (req) => {
    const qs = req.query;
    const limit = qs.limit ?? 50;
    const cursor = decodeCursor(qs.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx) => {
      let q = visible(tx);
      if (qs.type) q = q.where('t.name', '=', qs.type);
      if (qs.tag) q = q.where(sql<boolean>`c.tags @> array[${qs.tag}]::text[]`);
      if (qs.capability) q = q.where(sql<boolean>`c.capabilities @> array[${qs.capability}]::text[]`);
      if (qs.name) q = q.where('c.name', '=', qs.name);
      if (qs.search) {
        const p = containsPattern(qs.search);
        q = q.where((eb) => eb.or([eb('c.name', 'ilike', p), eb('c.display_name', 'ilike', p)]));
      }
      if (qs.builtIn !== undefined) q = q.where('c.org_id', qs.builtIn ? 'is' : 'is not', null);
      if (qs.visibility) q = q.where('v.name', '=', qs.visibility);
      if (qs.deprecated !== undefined) q = q.where('c.deprecated', '=', qs.deprecated);
      if (cursor) q = q.where(afterCursor(cursor, 'c.created_at', 'c.id'));
      return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), componentDto);
  });

  app.post('', {
    schema: { tags: ['components'], summary: 'Create a component', params: OrgParams, body: CreateComponentBody, response: { 201: Component, ...problemResponses } },
  }, async (req, reply) => {
    const b = req.body;
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      await checkEditable(tx, b);
      const typeId = await componentTypeId(tx, b.type);
      const { id } = await tx.insertInto('components').values({
        org_id: ctx.orgId, name: b.name, version: b.version ?? '1.0.0', component_type_id: typeId, created_by: ctx.userId,
        ...editableColumns(b),
      }).returning('id').executeTakeFirstOrThrow();
      return findVisible(tx, id);
    });
    return reply.code(201).send(componentDto(row));
  });

  app.get('/:componentId', {
    schema: { tags: ['components'], summary: 'Get a component', params: ComponentParams, response: { 200: Component, ...problemResponses } },
  }, async (req) => componentDto(await inOrg(app, req, req.params.orgId, 'read', (tx) => findVisible(tx, req.params.componentId))));

  app.patch('/:componentId', {
    schema: {
      tags: ['components'], summary: 'Update a component of the organisation (name and version are fixed; add a version instead)',
      params: ComponentParams, body: UpdateComponentBody, response: { 200: Component, ...problemResponses },
    },
  }, async (req) => {
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      assertOwnCatalogRow(await visible(tx).where('c.id', '=', req.params.componentId).executeTakeFirst(), ctx.orgId, 'component', '/params/componentId');
      await checkEditable(tx, req.body);
      const updated = await tx.updateTable('components').set(editableColumns(req.body)).where('id', '=', req.params.componentId).returning('id').executeTakeFirst();
      if (!updated) throw notFound('component', '/params/componentId');
      return findVisible(tx, req.params.componentId);
    });
    return componentDto(row);
  });

  app.post('/:componentId/versions', {
    schema: {
      tags: ['components'], summary: 'Create a new version of a component (the old one is kept); a built-in or public source is copied into the organisation',
      params: ComponentParams, body: NewComponentVersionBody, response: { 201: Component, ...problemResponses },
    },
  }, async (req, reply) => {
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const src = await findVisible(tx, req.params.componentId);
      await checkEditable(tx, req.body);
      const { id } = await tx.insertInto('components').values({
        org_id: ctx.orgId, name: src.name, version: req.body.version, component_type_id: src.component_type_id, created_by: ctx.userId,
        display_name: src.display_name, description: src.description,
        visibility_id: src.org_id === ctx.orgId ? src.visibility_id : sql<string>`app.visibility_id('organization')`,
        config_schema: JSON.stringify(src.config_schema), input_schema: json(src.input_schema ?? null), output_schema: json(src.output_schema ?? null),
        tags: src.tags, capabilities: src.capabilities, agent_prompt_id: src.agent_prompt_id, model_provider: src.model_provider,
        model_name: src.model_name, implementation_path: src.implementation_path, npm_package: src.npm_package, deprecated: false,
        ...editableColumns(req.body),
      }).returning('id').executeTakeFirstOrThrow();
      return findVisible(tx, id);
    });
    return reply.code(201).send(componentDto(row));
  });

  app.delete('/:componentId', {
    schema: { tags: ['components'], summary: 'Delete a component of the organisation', params: ComponentParams, response: { 204: NoContent, ...problemResponses } },
  }, async (req, reply) => {
    await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      assertOwnCatalogRow(await visible(tx).where('c.id', '=', req.params.componentId).executeTakeFirst(), ctx.orgId, 'component', '/params/componentId');
      const deleted = await tx.deleteFrom('components').where('id', '=', req.params.componentId).returning('id').executeTakeFirst();
      if (!deleted) throw notFound('component', '/params/componentId');
    });
    return reply.code(204).send(null);
  });
};
