import { sql } from 'kysely';
import type { Static } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Tx } from '@workflow-builder/db';
import { cancelBatch, createBatch, pauseBatch, resumeBatch, retryFailedBatch, type BatchEngineOptions } from '@workflow-builder/engine';
import { inOrg, iso, isoRequired, optionalBody } from '../../lib/context.ts';
import { engineCall } from '../../lib/engine-errors.ts';
import { engineCaller, temporalClient } from '../../lib/engine-context.ts';
import { afterCursor, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { invalid, notFound } from '../../lib/problem.ts';
import { EmptyBody, OrgParams, problemResponses } from '../../schemas/common.ts';
import {
  Batch, BatchControlResult, BatchDetail, BatchItem, BatchPage, BatchParams, CreateBatchBody, CreatedBatch, ITEM_STATUSES, ItemPage,
  ListBatchesQuery, ListItemsQuery, MAX_CSV_LENGTH, STATE_STATUSES,
} from './schemas.ts';

type BatchStatus = Static<typeof Batch>['status'];

const select = (tx: Tx) => tx.selectFrom('batches as b')
  .leftJoin('clients as c', (j) => j.onRef('c.id', '=', 'b.client_id').onRef('c.org_id', '=', 'b.org_id'))
  .selectAll('b').select(['c.name as client_name', cursorTs('b.created_at').as('cursor_ts')]);
type Row = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>;

const toDto = (r: Row): Static<typeof Batch> => ({
  id: r.id, orgId: r.org_id, clientId: r.client_id, clientName: r.client_name, workstreamSlug: r.workstream_slug, blueprint: r.blueprint,
  status: r.status as BatchStatus, totalItems: r.total_items, completedItems: r.completed_items, failedItems: r.failed_items,
  error: r.error, concurrency: r.concurrency, temporalWorkflowId: r.temporal_workflow_id, createdBy: r.created_by,
  createdAt: isoRequired(r.created_at), updatedAt: isoRequired(r.updated_at),
});

const findBatch = async (tx: Tx, orgId: string, batchId: string): Promise<Row> => {
  const row = await select(tx).where('b.org_id', '=', orgId).where('b.id', '=', batchId).executeTakeFirst();
  if (!row) throw notFound('batch', '/params/batchId');
  return row;
};

/** Items are paged by position: the cursor is base64url of `[position]`. */
function decodePositionCursor(cursor: string | undefined): number | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 1 && Number.isInteger(v[0]) && (v[0] as number) >= 0) return v[0] as number;
  } catch {
    // fall through
  }
  throw invalid('/query/cursor', 'invalid_cursor', 'is not a cursor returned by this list');
}

const zeroCounts = (statuses: readonly string[]): Record<string, number> => Object.fromEntries(statuses.map((s) => [s, 0]));

const FIELDS = { notFound: '/params/batchId', state: '/params/batchId' } as const;

/** 404 for non-members and other organisations' batches, 403 for viewers, before Temporal is asked anything. */
async function writableBatch(app: FastifyInstance, req: FastifyRequest, orgId: string, batchId: string): Promise<void> {
  await inOrg(app, req, orgId, 'write', (tx, ctx) => findBatch(tx, ctx.orgId, batchId));
}

/**
 * `/orgs/:orgId/batches`: batch pipelines. A batch runs every item through the blueprint's steps
 * (registry entries of its workstream) on the platform orchestrator. Members read; developers
 * and admins create and control.
 */
export const batchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const engineOpts = (): BatchEngineOptions => ({ taskQueue: app.env.platformTaskQueue });

  app.post('', {
    // 10,000 items of a few hundred bytes each, or the same as CSV.
    bodyLimit: MAX_CSV_LENGTH + 1024 * 1024,
    schema: {
      tags: ['batches'],
      summary: 'Create a batch and start it: items (JSON objects) or csv (header row + rows), a blueprint of step slugs of the workstream; 400 names the field (/blueprint/2, /items, /csv with the row number), nothing is written',
      params: OrgParams, body: CreateBatchBody, response: { 201: CreatedBatch, ...problemResponses },
    },
  }, async (req, reply) => {
    const { orgId } = req.params;
    await inOrg(app, req, orgId, 'write', async () => undefined);
    const b = req.body;
    const client = await temporalClient(app);
    const created = await engineCall(() => createBatch(app.db, client, engineCaller(req, orgId), {
      clientId: b.clientId, workstreamSlug: b.workstreamSlug, blueprint: b.blueprint,
      ...(b.items !== undefined ? { items: b.items } : {}), ...(b.csv !== undefined ? { csv: b.csv } : {}),
      ...(b.concurrency !== undefined ? { concurrency: b.concurrency } : {}),
    }, engineOpts()), { input: '/items' });
    return reply.code(201).send(created);
  });

  app.get('', {
    schema: {
      tags: ['batches'], summary: 'List batches, newest first: filters status, clientId, workstreamSlug; keyset pages',
      params: OrgParams, querystring: ListBatchesQuery, response: { 200: BatchPage, ...problemResponses },
    },
  }, async (req) => {
    const qs = req.query;
    const limit = qs.limit ?? 50;
    const cursor = decodeCursor(qs.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx, ctx) => {
      let q = select(tx).where('b.org_id', '=', ctx.orgId);
      if (qs.status) q = q.where('b.status', '=', qs.status);
      if (qs.clientId) q = q.where('b.client_id', '=', qs.clientId);
      if (qs.workstreamSlug) q = q.where('b.workstream_slug', '=', qs.workstreamSlug);
      if (cursor) q = q.where(afterCursor(cursor, 'b.created_at', 'b.id'));
      return q.orderBy('b.created_at', 'desc').orderBy('b.id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), toDto);
  });

  app.get('/:batchId', {
    schema: {
      tags: ['batches'], summary: 'A batch with its progress: items per status and, per blueprint step, items per state; poll it while RUNNING',
      params: BatchParams, response: { 200: BatchDetail, ...problemResponses },
    },
  }, async (req) => {
    const { orgId, batchId } = req.params;
    return inOrg(app, req, orgId, 'read', async (tx, ctx) => {
      const row = await findBatch(tx, ctx.orgId, batchId);
      const items = await tx.selectFrom('batch_items').select(['status', sql<number>`count(*)::int`.as('n')])
        .where('org_id', '=', ctx.orgId).where('batch_id', '=', batchId).groupBy('status').execute();
      const states = await tx.selectFrom('workflow_states').select(['step_name', 'status', sql<number>`count(*)::int`.as('n')])
        .where('org_id', '=', ctx.orgId).where('batch_id', '=', batchId).groupBy(['step_name', 'status']).execute();
      const itemCounts = zeroCounts(ITEM_STATUSES);
      for (const r of items) itemCounts[r.status] = r.n;
      const perStep = new Map(row.blueprint.map((s) => [s, zeroCounts(STATE_STATUSES)]));
      for (const r of states) { const c = perStep.get(r.step_name); if (c) c[r.status] = r.n; }
      const finished = (itemCounts['COMPLETED'] ?? 0) + (itemCounts['FAILED'] ?? 0) + (itemCounts['CANCELLED'] ?? 0);
      return {
        ...toDto(row),
        progress: { finishedItems: finished, percent: row.total_items ? Math.round((finished / row.total_items) * 1000) / 10 : 100, items: itemCounts },
        steps: [...perStep].map(([step, counts]) => ({ step, states: counts })),
      } as Static<typeof BatchDetail>;
    });
  });

  app.get('/:batchId/items', {
    schema: {
      tags: ['batches'], summary: 'The batch\'s items in upload order, each with its per-step states (status, error, attempts, runId and all runIds of sync steps, result); filter status; pages by position',
      params: BatchParams, querystring: ListItemsQuery, response: { 200: ItemPage, ...problemResponses },
    },
  }, async (req) => {
    const { orgId, batchId } = req.params;
    const qs = req.query;
    const limit = qs.limit ?? 50;
    const after = decodePositionCursor(qs.cursor);
    return inOrg(app, req, orgId, 'read', async (tx, ctx) => {
      const batch = await findBatch(tx, ctx.orgId, batchId);
      let q = tx.selectFrom('batch_items').select(['id', 'position', 'status', 'data'])
        .where('org_id', '=', ctx.orgId).where('batch_id', '=', batchId);
      if (qs.status) q = q.where('status', '=', qs.status);
      if (after !== null) q = q.where('position', '>', after);
      const rows = await q.orderBy('position').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      const ids = page.map((r) => r.id);
      const states = ids.length ? await tx.selectFrom('workflow_states')
        .select(['item_id', 'step_name', 'status', 'error', 'attempts', 'run_id', 'started_at', 'ended_at'])
        .where('org_id', '=', ctx.orgId).where('item_id', 'in', ids).execute() : [];
      const results = ids.length ? await sql<{ item_id: string; workflow_slug: string; result: unknown }>`
        select distinct on (item_id, workflow_slug) item_id, workflow_slug, result from public.enrichment_results
        where org_id = ${ctx.orgId} and item_id = any(${ids}::uuid[]) order by item_id, workflow_slug, created_at desc`.execute(tx) : { rows: [] };
      const resultOf = new Map(results.rows.map((r) => [`${r.item_id}/${r.workflow_slug}`, r.result]));
      // Every run of an (item, step), not only the latest the state points at: the orchestrator tags them with their context.
      const runs = ids.length ? await sql<{ item_id: string; step: string; run_id: string }>`
        select context->>'itemId' as item_id, context->>'step' as step, run_id from public.user_workflow_run
        where org_id = ${ctx.orgId} and channel = 'batch' and context->>'itemId' = any(${ids}::text[]) and context @> ${JSON.stringify({ batchId })}::jsonb
        order by created_at, run_id`.execute(tx) : { rows: [] };
      const runsOf = new Map<string, string[]>();
      for (const r of runs.rows) {
        const key = `${r.item_id}/${r.step}`;
        runsOf.set(key, [...(runsOf.get(key) ?? []), r.run_id]);
      }
      const order = new Map(batch.blueprint.map((s, i) => [s, i]));
      const items: Static<typeof BatchItem>[] = page.map((r) => ({
        id: r.id, position: r.position, status: r.status as Static<typeof BatchItem>['status'], data: r.data,
        steps: states.filter((s) => s.item_id === r.id).sort((a, b) => (order.get(a.step_name) ?? 0) - (order.get(b.step_name) ?? 0)).map((s) => ({
          step: s.step_name, status: s.status as Static<typeof BatchItem>['steps'][number]['status'], error: s.error, attempts: s.attempts,
          runId: s.run_id, runIds: runsOf.get(`${r.id}/${s.step_name}`) ?? [], startedAt: iso(s.started_at), endedAt: iso(s.ended_at), result: resultOf.get(`${r.id}/${s.step_name}`) ?? null,
        })),
      }));
      const last = page[page.length - 1];
      return { items, nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.position])).toString('base64url') : null };
    });
  });

  const control = (path: string, summary: string, act: (orgId: string, batchId: string, req: FastifyRequest) => Promise<{ status: BatchStatus; retriedItems?: number }>) => {
    app.post(path, {
      preValidation: optionalBody,
      schema: { tags: ['batches'], summary, params: BatchParams, body: EmptyBody, response: { 202: BatchControlResult, ...problemResponses } },
    }, async (req, reply) => {
      const { orgId, batchId } = req.params as { orgId: string; batchId: string };
      await writableBatch(app, req, orgId, batchId);
      const result = await engineCall(() => act(orgId, batchId, req), FIELDS);
      return reply.code(202).send({ batchId, ...result });
    });
  };
  control('/:batchId/pause', 'Pause: no new items are dispatched, items in flight finish (409 unless PENDING or RUNNING)',
    async (orgId, batchId, req) => ({ status: await pauseBatch(app.db, await temporalClient(app), engineCaller(req, orgId), batchId) }));
  control('/:batchId/resume', 'Resume a PAUSED batch (409 otherwise)',
    async (orgId, batchId, req) => ({ status: await resumeBatch(app.db, await temporalClient(app), engineCaller(req, orgId), batchId) }));
  control('/:batchId/cancel', 'Cancel: steps in flight are cancelled (child runs too), unfinished items become CANCELLED; the status turns CANCELLED shortly after (409 once finished)',
    async (orgId, batchId, req) => ({ status: await cancelBatch(app.db, await temporalClient(app), engineCaller(req, orgId), batchId) }));
  control('/:batchId/retry-failed', 'Retry the failed items only: their failed steps run again, succeeded steps are kept (409 without failed items)',
    async (orgId, batchId, req) => retryFailedBatch(app.db, await temporalClient(app), engineCaller(req, orgId), batchId, engineOpts()));
};
