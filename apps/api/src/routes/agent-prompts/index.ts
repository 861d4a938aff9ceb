import { sql } from 'kysely';
import type { Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Tx } from '@workflow-builder/db';
import { assertOwnCatalogRow } from '../../lib/catalog.ts';
import { inOrg, isoRequired } from '../../lib/context.ts';
import { afterCursor, containsPattern, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { ApiError, notFound } from '../../lib/problem.ts';
import { NoContent, OrgParams, problemResponses, type Visibility } from '../../schemas/common.ts';
import {
  AgentPrompt, CreatePromptBody, ListPromptsQuery, NewPromptVersionBody, PromptPage, PromptParams, PromptVariable, UpdatePromptBody,
} from './schemas.ts';

type Variable = Static<typeof PromptVariable>;
type Metadata = Static<typeof UpdatePromptBody>;

// The placeholders the worker fills (packages/runtime fillPrompt).
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;
const placeholders = (content: string): string[] => [...new Set([...content.matchAll(PLACEHOLDER)].map((m) => m[1]!))];

/** The variables of a prompt: the declared ones (every placeholder must be declared), or derived. */
function variablesFor(content: string, declared: Variable[] | undefined): Variable[] {
  const used = placeholders(content);
  if (declared === undefined) return used.slice(0, 100).map((name) => ({ name, required: true }));
  const names = new Set(declared.map((v) => v.name));
  const dup = declared.findIndex((v, i) => declared.findIndex((w) => w.name === v.name) !== i);
  if (dup >= 0) throw new ApiError(400, 'validation_failed', 'variable names must be unique', [{ field: `/variables/${dup}/name`, code: 'duplicate', message: 'is declared twice' }]);
  const missing = used.filter((u) => !names.has(u));
  if (missing.length > 0) {
    throw new ApiError(400, 'validation_failed', `the content uses undeclared variables: ${missing.slice(0, 10).join(', ')}`,
      [{ field: '/variables', code: 'undeclared_variable', message: `declare ${missing.slice(0, 10).join(', ')}` }]);
  }
  return declared;
}

const visible = (tx: Tx) => tx.selectFrom('agent_prompts as p')
  .innerJoin('component_visibility as v', 'v.id', 'p.visibility_id')
  .selectAll('p')
  .select(['v.name as visibility_name', cursorTs('p.created_at').as('cursor_ts')]);
type Row = Awaited<ReturnType<ReturnType<typeof visible>['executeTakeFirstOrThrow']>>;

const toDto = (r: Row): Static<typeof AgentPrompt> => ({
  id: r.id,
  orgId: r.org_id,
  builtIn: r.org_id === null,
  name: r.name,
  displayName: r.display_name,
  description: r.description,
  version: r.version,
  content: r.prompt_content,
  variables: Array.isArray(r.prompt_variables) ? r.prompt_variables : [],
  visibility: r.visibility_name as Visibility,
  capabilities: r.capabilities,
  tags: r.tags,
  recommendedModels: Array.isArray(r.recommended_models) ? r.recommended_models : [],
  deprecated: r.deprecated,
  createdBy: r.created_by,
  createdAt: isoRequired(r.created_at),
  updatedAt: isoRequired(r.updated_at),
});

const metadataColumns = (b: Metadata) => ({
  ...(b.displayName !== undefined ? { display_name: b.displayName } : {}),
  ...(b.description !== undefined ? { description: b.description } : {}),
  ...(b.visibility !== undefined ? { visibility_id: sql<string>`app.visibility_id(${b.visibility})` } : {}),
  ...(b.capabilities !== undefined ? { capabilities: b.capabilities } : {}),
  ...(b.tags !== undefined ? { tags: b.tags } : {}),
  ...(b.recommendedModels !== undefined ? { recommended_models: JSON.stringify(b.recommendedModels) } : {}),
  ...(b.deprecated !== undefined ? { deprecated: b.deprecated } : {}),
});

const findVisible = async (tx: Tx, id: string): Promise<Row> => {
  const row = await visible(tx).where('p.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('agent prompt', '/params/promptId');
  return row;
};

/** Agent prompts: versioned (a new version is a new row; old versions stay), with variables. */
export const agentPromptRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: { tags: ['agent prompts'], summary: 'List visible agent prompts', params: OrgParams, querystring: ListPromptsQuery, response: { 200: PromptPage, ...problemResponses } },
  }, async (req) => {
    const qs = req.query;
    const limit = qs.limit ?? 50;
    const cursor = decodeCursor(qs.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx) => {
      let q = visible(tx);
      if (qs.name) q = q.where('p.name', '=', qs.name);
      if (qs.tag) q = q.where(sql<boolean>`p.tags @> array[${qs.tag}]::text[]`);
      if (qs.capability) q = q.where(sql<boolean>`p.capabilities @> array[${qs.capability}]::text[]`);
      if (qs.search) {
        const p = containsPattern(qs.search);
        q = q.where((eb) => eb.or([eb('p.name', 'ilike', p), eb('p.display_name', 'ilike', p)]));
      }
      if (qs.visibility) q = q.where('v.name', '=', qs.visibility);
      if (qs.deprecated !== undefined) q = q.where('p.deprecated', '=', qs.deprecated);
      if (cursor) q = q.where(afterCursor(cursor, 'p.created_at', 'p.id'));
      return q.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), toDto);
  });

  app.post('', {
    schema: { tags: ['agent prompts'], summary: 'Create an agent prompt', params: OrgParams, body: CreatePromptBody, response: { 201: AgentPrompt, ...problemResponses } },
  }, async (req, reply) => {
    const b = req.body;
    const variables = variablesFor(b.content, b.variables);
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const { id } = await tx.insertInto('agent_prompts').values({
        org_id: ctx.orgId, name: b.name, version: b.version ?? '1.0.0', prompt_content: b.content,
        prompt_variables: JSON.stringify(variables), created_by: ctx.userId, ...metadataColumns(b),
      }).returning('id').executeTakeFirstOrThrow();
      return findVisible(tx, id);
    });
    return reply.code(201).send(toDto(row));
  });

  app.get('/:promptId', {
    schema: { tags: ['agent prompts'], summary: 'Get an agent prompt', params: PromptParams, response: { 200: AgentPrompt, ...problemResponses } },
  }, async (req) => toDto(await inOrg(app, req, req.params.orgId, 'read', (tx) => findVisible(tx, req.params.promptId))));

  app.patch('/:promptId', {
    schema: {
      tags: ['agent prompts'], summary: 'Update a prompt\'s metadata (content changes need a new version)',
      params: PromptParams, body: UpdatePromptBody, response: { 200: AgentPrompt, ...problemResponses },
    },
  }, async (req) => {
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      assertOwnCatalogRow(await visible(tx).where('p.id', '=', req.params.promptId).executeTakeFirst(), ctx.orgId, 'agent prompt', '/params/promptId');
      const updated = await tx.updateTable('agent_prompts').set(metadataColumns(req.body)).where('id', '=', req.params.promptId).returning('id').executeTakeFirst();
      if (!updated) throw notFound('agent prompt', '/params/promptId');
      return findVisible(tx, req.params.promptId);
    });
    return toDto(row);
  });

  app.post('/:promptId/versions', {
    schema: {
      tags: ['agent prompts'], summary: 'Create a new version of a prompt; the old version is kept unchanged',
      params: PromptParams, body: NewPromptVersionBody, response: { 201: AgentPrompt, ...problemResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const src = await findVisible(tx, req.params.promptId);
      const content = b.content ?? src.prompt_content;
      const previous = Array.isArray(src.prompt_variables) ? (src.prompt_variables as Variable[]) : undefined;
      const variables = variablesFor(content, b.variables ?? (b.content === undefined ? previous : undefined));
      const { id } = await tx.insertInto('agent_prompts').values({
        org_id: ctx.orgId, name: src.name, version: b.version, prompt_content: content, prompt_variables: JSON.stringify(variables),
        created_by: ctx.userId, display_name: src.display_name, description: src.description,
        visibility_id: src.org_id === ctx.orgId ? src.visibility_id : sql<string>`app.visibility_id('organization')`,
        capabilities: src.capabilities, tags: src.tags, recommended_models: JSON.stringify(src.recommended_models ?? []), deprecated: false,
        ...metadataColumns(b),
      }).returning('id').executeTakeFirstOrThrow();
      return findVisible(tx, id);
    });
    return reply.code(201).send(toDto(row));
  });

  app.delete('/:promptId', {
    schema: { tags: ['agent prompts'], summary: 'Delete one version of a prompt', params: PromptParams, response: { 204: NoContent, ...problemResponses } },
  }, async (req, reply) => {
    await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      assertOwnCatalogRow(await visible(tx).where('p.id', '=', req.params.promptId).executeTakeFirst(), ctx.orgId, 'agent prompt', '/params/promptId');
      const deleted = await tx.deleteFrom('agent_prompts').where('id', '=', req.params.promptId).returning('id').executeTakeFirst();
      if (!deleted) throw notFound('agent prompt', '/params/promptId');
    });
    return reply.code(204).send(null);
  });
};
