import { sql } from 'kysely';
import type { Static } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cancelRun, enqueueItem, queryRun, retryRun, sendSignal, startRun, terminateRun, workQueueState } from '@workflow-builder/engine';
import { inOrg, iso, isoRequired, optionalBody, type Access } from '../../lib/context.ts';
import { engineCall } from '../../lib/engine-errors.ts';
import { channelOf, engineCaller, temporalClient } from '../../lib/engine-context.ts';
import { afterCursor, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { ApiError, invalid, notFound } from '../../lib/problem.ts';
import { findBadText, jsonDepthExceeds } from '../../plugins/input-guards.ts';
import { EmptyBody, OrgParams, problemResponses } from '../../schemas/common.ts';
import { WorkflowParams } from '../workflows/schemas.ts';
import { findWorkflow } from '../workflows/store.ts';
import { childRunsOf, parentOf } from './run-family.ts';
import {
  EnqueueBody, EnqueuedItem, ListRunsQuery, QueryQuery, QueryResult, QueueParams, QueueStateResult, RunAccepted, RunDetail, RunPage, RunParams,
  SignalBody, StartRunBody, StartedRun, TerminateBody,
  type RunStatus,
} from './schemas.ts';

/** Steps listed by the detail route; loops can record many more. */
const MAX_STEPS = 5000;
/** Nesting of the `q` filter. */
const MAX_Q_DEPTH = 16;

/**
 * `?q=`: a JSON object the run context must contain. Sent to Postgres as `context @> $1::jsonb`,
 * which the GIN (jsonb_path_ops) index on user_workflow_run.context answers.
 */
export function parseContextFilter(q: string | undefined): string | null {
  if (q === undefined) return null;
  if (jsonDepthExceeds(q, MAX_Q_DEPTH)) throw invalid('/query/q', 'too_deep', `must not be nested deeper than ${MAX_Q_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(q);
  } catch {
    throw invalid('/query/q', 'invalid_json', 'is not valid JSON; send a JSON object such as {"customer":"acme"}');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('/query/q', 'invalid_type', 'must be a JSON object, e.g. {"customer":"acme"}');
  const bad = findBadText(value);
  if (bad !== null) throw invalid(`/query/q${bad}`, 'invalid_text', 'contains a NUL character or an unpaired UTF-16 surrogate');
  return JSON.stringify(value);
}

/** The Temporal Web UI page of a run's history, when TEMPORAL_UI_URL is configured. */
export function temporalUiUrl(ui: string | null, namespace: string, workflowId: string | null, runId: string | null): string | null {
  if (!ui || !workflowId || !runId) return null;
  return `${ui.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}

const toInt = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** 404 for non-members, 403 for a role below `access`, before the engine is asked anything. */
const checkAccess = (app: FastifyInstance, req: FastifyRequest, orgId: string, access: Access) => inOrg(app, req, orgId, access, async () => undefined);

async function runStatus(app: FastifyInstance, req: FastifyRequest, orgId: string, runId: string): Promise<string> {
  const row = await inOrg(app, req, orgId, 'read', (tx) =>
    tx.selectFrom('user_workflow_run').select('status').where('org_id', '=', orgId).where('run_id', '=', runId).executeTakeFirst());
  if (!row) throw notFound('run', '/params/runId');
  return row.status;
}

const RUN_FIELDS = { notFound: '/params/runId', state: '/params/runId' } as const;

/** `POST /orgs/:orgId/workflows/:workflowId/runs`: start a run of the active version. */
export const workflowRunRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('', {
    schema: {
      tags: ['runs'],
      summary: 'Start a run of the deployed version. input (default {}) is checked against the inputSchema (400 naming /input/<field>, nothing recorded); x-request-id links the request, the run and Temporal',
      params: WorkflowParams, body: StartRunBody, response: { 201: StartedRun, ...problemResponses },
    },
  }, async (req, reply) => {
    const { orgId, workflowId } = req.params;
    const b = req.body;
    await inOrg(app, req, orgId, 'write', async (tx, ctx) => {
      await findWorkflow(tx, ctx.orgId, workflowId);
      if (b.clientId !== undefined) {
        const known = await tx.selectFrom('clients').select('id').where('org_id', '=', ctx.orgId).where('id', '=', b.clientId).executeTakeFirst();
        if (!known) throw invalid('/clientId', 'unknown_reference', 'no client with this id in the organisation');
      }
    });
    const client = await temporalClient(app);
    const started = await engineCall(() => startRun(app.db, client, engineCaller(req, orgId), {
      workflowId, input: b.input === undefined ? {} : b.input, channel: channelOf(req), clientId: b.clientId ?? null,
      ...(b.context ? { context: b.context } : {}),
      ...(b.configName !== undefined ? { configName: b.configName } : {}),
      ...(b.configVersion !== undefined ? { configVersion: b.configVersion } : {}),
      ...(b.workflowSlug !== undefined ? { workflowSlug: b.workflowSlug } : {}),
    }), { notFound: '/params/workflowId', state: '/params/workflowId' });
    return reply.code(201).send({ ...started, requestId: req.id });
  });
};

/** `/orgs/:orgId/runs`: list, detail and control of runs. */
export const runRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: {
      tags: ['runs'],
      summary: 'List runs, newest first: filters status, workflowId, projectId, clientId, from/to (created, ISO), q (JSON object contained in the run context); keyset pages (limit ≤ 200)',
      params: OrgParams, querystring: ListRunsQuery, response: { 200: RunPage, ...problemResponses },
    },
  }, async (req) => {
    const qs = req.query;
    const limit = qs.limit ?? 50;
    const cursor = decodeCursor(qs.cursor);
    const context = parseContextFilter(qs.q);
    if (qs.from !== undefined && qs.to !== undefined && Date.parse(qs.from) > Date.parse(qs.to)) {
      throw invalid('/query/to', 'out_of_range', 'must not be before from');
    }
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx, ctx) => {
      let q = tx.selectFrom('user_workflow_run as r')
        .leftJoin('workflows as w', (j) => j.onRef('w.id', '=', 'r.workflow_id').onRef('w.org_id', '=', 'r.org_id'))
        .select([
          'r.run_id', 'r.workflow_id', 'w.name as workflow_name', 'r.project_id', 'r.status', 'r.channel', 'r.started_at', 'r.ended_at',
          'r.duration_ms', 'r.created_at', 'r.compiled_version', 'r.client_id', cursorTs('r.created_at').as('cursor_ts'),
        ])
        .where('r.org_id', '=', ctx.orgId);
      if (qs.status) q = q.where('r.status', '=', qs.status);
      if (qs.workflowId) q = q.where('r.workflow_id', '=', qs.workflowId);
      if (qs.projectId) q = q.where('r.project_id', '=', qs.projectId);
      if (qs.clientId) q = q.where('r.client_id', '=', qs.clientId);
      if (qs.from) q = q.where(sql<boolean>`r.created_at >= ${qs.from}::timestamptz`);
      if (qs.to) q = q.where(sql<boolean>`r.created_at < ${qs.to}::timestamptz`);
      if (context !== null) q = q.where(sql<boolean>`r.context @> ${context}::jsonb`);
      if (cursor) q = q.where(afterCursor(cursor, 'r.created_at', 'r.run_id'));
      return q.orderBy('r.created_at', 'desc').orderBy('r.run_id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.run_id }), (r) => ({
      runId: r.run_id, workflowId: r.workflow_id, workflowName: r.workflow_name, projectId: r.project_id,
      status: r.status as Static<typeof RunStatus>, channel: r.channel, startedAt: iso(r.started_at), endedAt: iso(r.ended_at),
      durationMs: r.duration_ms, createdAt: isoRequired(r.created_at), compiledVersion: r.compiled_version, clientId: r.client_id,
    }));
  });

  app.get('/:runId', {
    schema: {
      tags: ['runs'],
      summary: 'A run with its steps (in order), the definition of the version it ran and a link to Temporal; poll it while the run is open',
      params: RunParams, response: { 200: RunDetail, ...problemResponses },
    },
  }, async (req) => {
    const { orgId, runId } = req.params;
    const { run, steps, children } = await inOrg(app, req, orgId, 'read', async (tx, ctx) => {
      const run = await tx.selectFrom('user_workflow_run as r')
        .leftJoin('workflows as w', (j) => j.onRef('w.id', '=', 'r.workflow_id').onRef('w.org_id', '=', 'r.org_id'))
        .leftJoin('workflow_compiled_code as c', (j) => j.onRef('c.workflow_id', '=', 'r.workflow_id').onRef('c.version', '=', 'r.compiled_version'))
        .selectAll('r').select(['w.name as workflow_name', 'c.definition as definition'])
        .where('r.org_id', '=', ctx.orgId).where('r.run_id', '=', runId).executeTakeFirst();
      if (!run) throw notFound('run', '/params/runId');
      const steps = await tx.selectFrom('user_workflow_run_step')
        .select(['step_number', 'node_id', 'node_kind', 'status', 'retry_count', 'attempt_count', 'iteration_key', 'started_at', 'ended_at',
          'duration_ms', 'input_data', 'output_data', 'events', 'error_message'])
        .where('org_id', '=', ctx.orgId).where('run_id', '=', runId).orderBy('step_number').limit(MAX_STEPS + 1).execute();
      return { run, steps, children: await childRunsOf(tx, ctx.orgId, runId) };
    });
    return {
      run: {
        runId: run.run_id, orgId: run.org_id, workflowId: run.workflow_id, workflowName: run.workflow_name, projectId: run.project_id,
        workstreamSlug: run.workstream_slug, clientId: run.client_id, status: run.status as Static<typeof RunStatus>, channel: run.channel,
        externalId: run.external_id, requestId: run.request_id, compiledVersion: run.compiled_version,
        input: run.input, output: run.output, context: run.context, configSnapshot: run.config_snapshot,
        errorMessage: run.error_message, errorDetails: run.error_details,
        temporalWorkflowId: run.temporal_workflow_id, temporalRunId: run.temporal_run_id,
        temporalUiUrl: temporalUiUrl(app.env.temporalUiUrl, app.env.temporalNamespace, run.temporal_workflow_id, run.temporal_run_id),
        startedAt: iso(run.started_at), endedAt: iso(run.ended_at), durationMs: toInt(run.duration_ms),
        createdAt: isoRequired(run.created_at), updatedAt: isoRequired(run.updated_at), createdBy: run.created_by,
        definition: (run.definition ?? null) as never,
        ...parentOf(run.context),
      },
      steps: steps.slice(0, MAX_STEPS).map((s) => ({
        stepNumber: s.step_number, nodeId: s.node_id, nodeKind: s.node_kind, status: s.status, retryCount: s.retry_count,
        attemptCount: s.attempt_count, iterationKey: s.iteration_key, startedAt: iso(s.started_at), endedAt: iso(s.ended_at),
        durationMs: toInt(s.duration_ms), input: s.input_data, output: s.output_data, events: s.events, errorMessage: s.error_message,
      })),
      stepsTruncated: steps.length > MAX_STEPS,
      children,
    };
  });

  app.post('/:runId/cancel', {
    preValidation: optionalBody,
    schema: {
      tags: ['runs'], summary: 'Request cancellation: the workflow records itself as cancelled (409 when the run is no longer open)',
      params: RunParams, body: EmptyBody, response: { 202: RunAccepted, ...problemResponses },
    },
  }, async (req, reply) => {
    const { orgId, runId } = req.params;
    await checkAccess(app, req, orgId, 'write');
    const client = await temporalClient(app);
    await engineCall(() => cancelRun(app.db, client, engineCaller(req, orgId), runId), RUN_FIELDS);
    return reply.code(202).send({ runId, status: await runStatus(app, req, orgId, runId) });
  });

  app.post('/:runId/terminate', {
    preValidation: optionalBody,
    schema: {
      tags: ['runs'], summary: 'Terminate at once (no workflow code runs); the run is recorded as terminated with the reason',
      params: RunParams, body: TerminateBody, response: { 202: RunAccepted, ...problemResponses },
    },
  }, async (req, reply) => {
    const { orgId, runId } = req.params;
    await checkAccess(app, req, orgId, 'write');
    const client = await temporalClient(app);
    const reason = req.body.reason ?? 'Terminated through the API';
    await engineCall(() => terminateRun(app.db, client, engineCaller(req, orgId), runId, reason), RUN_FIELDS);
    return reply.code(202).send({ runId, status: await runStatus(app, req, orgId, runId) });
  });

  app.post('/:runId/retry', {
    preValidation: optionalBody,
    schema: {
      tags: ['runs'], summary: 'Start a new run of the workflow\'s active version with the same input (channel retry, context.retryOf)',
      params: RunParams, body: EmptyBody, response: { 201: StartedRun, ...problemResponses },
    },
  }, async (req, reply) => {
    const { orgId, runId } = req.params;
    await checkAccess(app, req, orgId, 'write');
    const client = await temporalClient(app);
    const started = await engineCall(() => retryRun(app.db, client, engineCaller(req, orgId), runId), RUN_FIELDS);
    return reply.code(201).send({ ...started, requestId: req.id });
  });

  app.post('/:runId/signal', {
    schema: {
      tags: ['runs'], summary: 'Send a signal (e.g. an approval) to an open run',
      params: RunParams, body: SignalBody, response: { 202: RunAccepted, ...problemResponses },
    },
  }, async (req, reply) => {
    const { orgId, runId } = req.params;
    await checkAccess(app, req, orgId, 'write');
    const client = await temporalClient(app);
    // Checked against the run's version: a declared signal, its payload matching the parameter schema (400 naming /body/payload/<field>).
    await engineCall(() => sendSignal(app.db, client, engineCaller(req, orgId), runId, req.body.name, req.body.payload ?? null), RUN_FIELDS);
    return reply.code(202).send({ runId, status: await runStatus(app, req, orgId, runId) });
  });

  app.post('/:runId/queues/:queue/items', {
    schema: {
      tags: ['runs'],
      summary: 'Add an item to a work queue of an open run (through its enqueue update): 201 with its position, 409 when the queue is full or the item a duplicate (nothing enqueued)',
      params: QueueParams, body: EnqueueBody, response: { 201: EnqueuedItem, ...problemResponses },
    },
  }, async (req, reply) => {
    const { orgId, runId, queue } = req.params;
    await checkAccess(app, req, orgId, 'write');
    const client = await temporalClient(app);
    const enqueued = await engineCall(() => enqueueItem(app.db, client, engineCaller(req, orgId), runId, queue, req.body.item ?? null), {
      notFound: '/params/queue', state: '/params/runId', input: '/body/item',
    });
    return reply.code(201).send(enqueued);
  });

  app.get('/:runId/queues/:queue', {
    schema: {
      tags: ['runs'], summary: 'A work queue\'s contents and counters (its state query); needs a worker serving the run\'s version',
      params: QueueParams, response: { 200: QueueStateResult, ...problemResponses },
    },
  }, async (req) => {
    const { orgId, runId, queue } = req.params;
    await checkAccess(app, req, orgId, 'read');
    const client = await temporalClient(app);
    const deadline = Date.now() + app.env.queryTimeoutMs;
    const state = await client.connection.withDeadline(deadline, () =>
      engineCall(() => workQueueState(app.db, client, engineCaller(req, orgId), runId, queue), { notFound: '/params/queue', state: '/params/runId' }));
    return { queue, state: state ?? null };
  });

  app.get('/:runId/query', {
    schema: {
      tags: ['runs'], summary: 'Run a query on the run (default wbState: the state of its steps); needs a worker serving its version',
      params: RunParams, querystring: QueryQuery, response: { 200: QueryResult, ...problemResponses },
    },
  }, async (req) => {
    const { orgId, runId } = req.params;
    await checkAccess(app, req, orgId, 'read');
    const client = await temporalClient(app);
    const name = req.query.name;
    // A query is answered by a worker serving the run's version; without one Temporal would hold it for long.
    const deadline = Date.now() + app.env.queryTimeoutMs;
    try {
      const result = await client.connection.withDeadline(deadline, () =>
        engineCall(() => queryRun(app.db, client, engineCaller(req, orgId), runId, name), { ...RUN_FIELDS, input: '/query/name' }));
      return { name: name ?? 'wbState', result: result ?? null };
    } catch (e) {
      if (e instanceof ApiError && e.status === 503 && Date.now() >= deadline - 100) {
        throw new ApiError(503, 'service_unavailable', `no worker answered the query within ${app.env.queryTimeoutMs / 1000} s; is a worker serving this version?`, [
          { field: '/', code: 'query_timeout', message: 'no worker answered in time' },
        ]);
      }
      throw e;
    }
  });
};
