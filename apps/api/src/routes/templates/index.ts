import { sql } from 'kysely';
import type { Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseDefinition } from '@workflow-builder/definition';
import type { Tx } from '@workflow-builder/db';
import { inOrg, isoRequired } from '../../lib/context.ts';
import { conflict, notFound } from '../../lib/problem.ts';
import { OrgParams, problemResponses, type Visibility } from '../../schemas/common.ts';
import { insertWorkflow } from '../workflows/index.ts';
import { Workflow } from '../workflows/schemas.ts';
import { workflowDto } from '../workflows/store.ts';
import { InstantiateTemplateBody, ListTemplatesQuery, Template, TemplateList, TemplateParams, TemplateSummary } from './schemas.ts';

const MAX_TEMPLATES = 200;

const nodeCount = sql<number>`case when jsonb_typeof(t.definition -> 'nodes') = 'array' then jsonb_array_length(t.definition -> 'nodes') else 0 end`;

/** Active templates visible to the caller (RLS: public ones and the organisation's own). */
const visible = (tx: Tx) => tx.selectFrom('workflow_templates as t')
  .innerJoin('component_visibility as v', 'v.id', 't.visibility_id')
  .select([
    't.id', 't.org_id', 't.name', 't.goal', 't.category', 't.steps', 't.conditions', 't.outputs', 't.usage_count',
    't.created_at', 't.updated_at', 'v.name as visibility_name', nodeCount.as('node_count'),
  ])
  .where('t.is_active', '=', true);

type Row = Awaited<ReturnType<ReturnType<typeof visible>['executeTakeFirstOrThrow']>>;

/** jsonb lists as arrays: null is empty, a lone value is a list of one. */
const list = (v: unknown): unknown[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const templateSummaryDto = (r: Row): Static<typeof TemplateSummary> => ({
  id: r.id,
  orgId: r.org_id,
  builtIn: r.org_id === null,
  name: r.name,
  goal: r.goal,
  category: r.category,
  steps: list(r.steps),
  conditions: list(r.conditions),
  outputs: list(r.outputs),
  visibility: r.visibility_name as Visibility,
  usageCount: r.usage_count,
  nodeCount: Number(r.node_count),
  createdAt: isoRequired(r.created_at),
  updatedAt: isoRequired(r.updated_at),
});

async function findTemplate(tx: Tx, id: string): Promise<Row & { definition: unknown }> {
  const row = await visible(tx).select('t.definition').where('t.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('template', '/params/templateId');
  return row;
}

/** Workflow templates: the built-ins and the organisation's own, and creating workflows from them. */
export const templateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: {
      tags: ['templates'], summary: 'List the active templates visible to the caller (built-in, public and the organisation\'s own), by category then name',
      params: OrgParams, querystring: ListTemplatesQuery, response: { 200: TemplateList, ...problemResponses },
    },
  }, async (req) => {
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx) => {
      let q = visible(tx);
      if (req.query.category) q = q.where('t.category', '=', req.query.category);
      return q.orderBy(sql`t.category asc nulls last`).orderBy('t.name').orderBy('t.id').limit(MAX_TEMPLATES).execute();
    });
    return { items: rows.map(templateSummaryDto) };
  });

  app.get('/:templateId', {
    schema: { tags: ['templates'], summary: 'Get a template with its workflow definition', params: TemplateParams, response: { 200: Template, ...problemResponses } },
  }, async (req) => {
    const row = await inOrg(app, req, req.params.orgId, 'read', (tx) => findTemplate(tx, req.params.templateId));
    return { ...templateSummaryDto(row), definition: (row.definition ?? null) as never };
  });

  app.post('/:templateId/instantiate', {
    schema: {
      tags: ['templates'],
      summary: 'Create a workflow from a template (same result as POST /workflows with the template\'s definition); counts the template\'s use',
      params: TemplateParams, body: InstantiateTemplateBody, response: { 201: Workflow, ...problemResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    const templateId = req.params.templateId;
    const row = await inOrg(app, req, req.params.orgId, 'write', async (tx, ctx) => {
      const template = await findTemplate(tx, templateId);
      const parsed = parseDefinition(template.definition);
      if (!parsed.ok) throw conflict('this template has no usable workflow definition', '/params/templateId', 'invalid_template');
      const created = await insertWorkflow(tx, ctx, {
        projectId: b.projectId,
        name: b.name,
        ...(b.kebabName !== undefined ? { kebabName: b.kebabName } : {}),
        description: template.goal === null ? null : template.goal.slice(0, 10_000),
        definition: parsed.value,
      });
      await tx.updateTable('user_workflows').set({ template_id: template.id, category: template.category })
        .where('org_id', '=', ctx.orgId).where('workflow_id', '=', created.id).execute();
      await sql`select app.count_template_use(${template.id})`.execute(tx);
      return created;
    });
    return reply.code(201).send(workflowDto(row));
  });
};
