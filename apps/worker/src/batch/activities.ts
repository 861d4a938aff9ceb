import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ApplicationFailure, CompleteAsyncError, Context } from '@temporalio/activity';
import type { Database } from '@workflow-builder/db';
import {
  BATCH_FAILURE_TYPES, type BatchActivities, type BatchAsyncRequest, type BatchStepOutcome, type BatchStepPlan,
} from '@workflow-builder/runtime/batch-contract';
import type { WorkflowRunArgs } from '@workflow-builder/runtime/contract';
import type { FetchFn } from '@workflow-builder/runtime/activities';
import { configSnapshotOf, type ConfigSnapshot } from '@workflow-builder/engine';
import { failBatch } from './fail-batch.ts';

export interface BatchActivityOptions {
  /** The API's public base URL: async steps' callback URLs are `<base>/v1/hooks/batch-callbacks/<token>`. */
  publicApiUrl: string;
  /** Timeout of the POST to an async step's endpoint (the callback itself may come much later). */
  endpointTimeoutMs?: number;
  /** Callback timeout of async steps registered without one. */
  defaultCallbackTimeoutSeconds?: number;
  /** The fetch for async steps' endpoints (the worker passes its egress-guarded fetch). */
  fetch?: FetchFn;
}

interface BatchRow {
  org_id: string;
  client_id: string;
  workstream_slug: string;
  blueprint: string[];
  status: string;
  created_by: string | null;
  concurrency: number;
}

interface RegistryRow {
  slug: string;
  type: 'sync' | 'async';
  workflow_id: string | null;
  async_endpoint_url: string | null;
  callback_timeout_seconds: number | null;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A step's input: the item's data with the results of the blueprint's earlier steps merged in, in
 * order. An object result is merged key by key (later steps win); any other result is stored
 * under the step's slug. So step 2 sees `{ ...item, ...result1 }`.
 */
export function stepInput(data: unknown, blueprint: string[], upTo: string, results: Map<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = isPlainObject(data) ? { ...data } : { value: data };
  for (const step of blueprint) {
    if (step === upTo) break;
    if (!results.has(step)) continue;
    const r = results.get(step);
    if (isPlainObject(r)) Object.assign(input, r);
    else input[step] = r;
  }
  return input;
}

const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * The orchestrator's activities, writing as the worker (service_role). Each is idempotent: the
 * local activities may be retried after a crash, so transitions are guarded by the state they
 * expect (`where status = 'RUNNING'`) and counters move only when a row really changed.
 */
export function createBatchActivities(db: Database, opts: BatchActivityOptions): BatchActivities {
  const base = opts.publicApiUrl.replace(/\/+$/, '');

  // A batch's organisation, client, workstream, blueprint and author never change: read them once
  // per batch and process (bounded), not once per item and step.
  const batches = new Map<string, BatchRow>();
  const loadBatch = async (batchId: string): Promise<BatchRow> => {
    const known = batches.get(batchId);
    if (known) return known;
    const r = await sql<BatchRow>`select org_id, client_id, workstream_slug, blueprint, status, created_by, concurrency
                                  from public.batches where id = ${batchId}`.execute(db);
    if (!r.rows[0]) throw ApplicationFailure.nonRetryable(`batch ${batchId} does not exist`, 'WbBatchMissing');
    if (batches.size >= 1000) batches.delete(batches.keys().next().value!);
    batches.set(batchId, r.rows[0]);
    return r.rows[0];
  };

  // The definition a compiled version was built from never changes: read it once per version and process (bounded).
  const definitions = new Map<string, unknown>();
  const compiledDefinition = async (workflowId: string, version: number): Promise<unknown> => {
    const key = `${workflowId}:${version}`;
    if (definitions.has(key)) return definitions.get(key);
    const r = await sql<{ definition: unknown }>`select coalesce(c.definition, w.definition) as definition
      from public.workflow_compiled_code c join public.workflows w on w.id = c.workflow_id
      where c.workflow_id = ${workflowId} and c.version = ${version}`.execute(db);
    if (definitions.size >= 200) definitions.delete(definitions.keys().next().value!);
    definitions.set(key, r.rows[0]?.definition ?? null);
    return r.rows[0]?.definition ?? null;
  };

  /** As startRun records it: the merged config of every node of the version that runs, and where the layers came from. */
  const snapshotOf = async (
    batch: BatchRow, step: string, target: { id: string; version: number }, overrides: Record<string, Record<string, unknown>> | undefined,
  ): Promise<ConfigSnapshot | null> => {
    if (!overrides) return null;
    return configSnapshotOf(await compiledDefinition(target.id, target.version), overrides, {
      namedConfig: null, clientConfig: { clientId: batch.client_id, workflowSlug: step, workstreamSlug: batch.workstream_slug },
    });
  };

  const registryEntry = async (batch: BatchRow, step: string): Promise<RegistryRow | undefined> => {
    // The composite key: the same slug may exist in other workstreams with another meaning.
    const r = await sql<RegistryRow>`select slug, type, workflow_id, async_endpoint_url, callback_timeout_seconds
                                     from public.enrichment_registry
                                     where slug = ${step} and workstream_slug = ${batch.workstream_slug} and org_id = ${batch.org_id}`.execute(db);
    return r.rows[0];
  };

  const inputOf = async (batch: BatchRow, itemId: string, step: string): Promise<Record<string, unknown>> => {
    const item = await sql<{ data: unknown }>`select data from public.batch_items where id = ${itemId}`.execute(db);
    const results = await sql<{ workflow_slug: string; result: unknown }>`
      select distinct on (workflow_slug) workflow_slug, result from public.enrichment_results
      where item_id = ${itemId} order by workflow_slug, created_at desc`.execute(db);
    return stepInput(item.rows[0]?.data ?? {}, batch.blueprint, step, new Map(results.rows.map((r) => [r.workflow_slug, r.result])));
  };

  /** Fails the item's RUNNING/PENDING state right away (no step ran): missing registry entry, no deployed version. */
  const failWithoutRunning = async (batchId: string, itemId: string, step: string, error: string): Promise<BatchStepPlan> => {
    await sql`update public.workflow_states set status = 'RUNNING', attempts = attempts + 1, started_at = now()
              where item_id = ${itemId} and step_name = ${step} and status = 'PENDING'`.execute(db);
    await recordOutcome({ batchId, itemId, step, ok: false, error });
    return { kind: 'done', status: 'FAILED' };
  };

  const recordOutcome = async (o: BatchStepOutcome): Promise<void> => {
    if (o.ok) {
      // One statement (atomic): the state succeeds and its result is stored, only if it was RUNNING.
      await sql`with done as (
                  update public.workflow_states set status = 'SUCCEEDED', error = null, ended_at = now()
                  where item_id = ${o.itemId} and step_name = ${o.step} and status = 'RUNNING' returning org_id, workstream_slug)
                insert into public.enrichment_results (org_id, batch_id, item_id, workflow_slug, workstream_slug, result)
                select org_id, ${o.batchId}, ${o.itemId}, ${o.step}, workstream_slug, ${JSON.stringify(o.result === undefined ? null : o.result)}::jsonb
                from done`.execute(db);
      return;
    }
    await db.transaction().execute(async (tx) => {
      const status = o.cancelled ? 'CANCELLED' : 'FAILED';
      const error = o.cancelled ? 'cancelled' : (o.error ?? 'failed');
      const failed = await sql<{ run_id: string | null }>`
        update public.workflow_states set status = ${status}, error = ${error}, ended_at = now()
        where item_id = ${o.itemId} and step_name = ${o.step} and status = 'RUNNING' returning run_id`.execute(tx);
      if (!failed.rows[0]) return;
      const runId = failed.rows[0].run_id;
      // A child that never started leaves its run row pending: close it with the reason.
      if (runId) {
        await sql`update public.user_workflow_run set status = ${o.cancelled ? 'cancelled' : 'failed'}, ended_at = now(),
                    error_message = coalesce(error_message, ${error})
                  where run_id = ${runId} and status = 'pending'`.execute(tx);
      }
      const item = await sql`update public.batch_items set status = ${o.cancelled ? 'CANCELLED' : 'FAILED'}
                             where id = ${o.itemId} and status = 'RUNNING' returning id`.execute(tx);
      if (item.rows.length && !o.cancelled) {
        await sql`update public.batches set failed_items = failed_items + 1 where id = ${o.batchId}`.execute(tx);
      }
    });
  };

  const nextStep = async (batchId: string, itemId: string, prepare: boolean): Promise<BatchStepPlan> => {
    const batch = await loadBatch(batchId);
    // One round trip: the item's states, its data and the latest result of each step (for the input).
    const view = await sql<{ states: Array<{ step_name: string; status: string; run_id: string | null }>; data: unknown; results: Record<string, unknown> }>`
      select (select coalesce(json_agg(json_build_object('step_name', step_name, 'status', status, 'run_id', run_id)), '[]'::json)
                from public.workflow_states where item_id = ${itemId}) as states,
             (select data from public.batch_items where id = ${itemId}) as data,
             (select coalesce(jsonb_object_agg(workflow_slug, result), '{}'::jsonb) from (
                select distinct on (workflow_slug) workflow_slug, result from public.enrichment_results
                where item_id = ${itemId} order by workflow_slug, created_at desc) r) as results`.execute(db);
    const { states, data, results } = view.rows[0]!;
    const byStep = new Map(states.map((s) => [s.step_name, s]));
    const next = batch.blueprint.map((step) => byStep.get(step)).find((s) => s !== undefined && s.status !== 'SUCCEEDED');
    if (!next) {
      // One statement: the item and the counter move together, and only once.
      await sql`with done as (update public.batch_items set status = 'COMPLETED' where id = ${itemId} and status = 'RUNNING' returning id)
                update public.batches set completed_items = completed_items + 1 where id = ${batchId} and exists (select 1 from done)`.execute(db);
      return { kind: 'done', status: 'COMPLETED' };
    }
    if (next.status === 'FAILED' || next.status === 'CANCELLED') return { kind: 'done', status: next.status };
    if (!prepare) return { kind: 'done', status: 'CANCELLED' };
    const step = next.step_name;
    // One round trip: the registry entry (by the composite key), its workflow's active version and the client's config.
    const found = await sql<RegistryRow & {
      wf_id: string | null; project_id: string; execution_timeout_seconds: number; task_queue_name: string;
      version: number | null; workflow_type: string | null; user_workflow_id: string | null; client_config: unknown;
    }>`
      select e.slug, e.type, e.workflow_id, e.async_endpoint_url, e.callback_timeout_seconds,
             w.id as wf_id, w.project_id, w.execution_timeout_seconds, p.task_queue_name, c.version, c.workflow_type, uw.id as user_workflow_id,
             (select config from public.client_workflow_configs
              where client_id = ${batch.client_id} and workflow_slug = ${step} and workstream_slug = ${batch.workstream_slug}) as client_config
      from public.enrichment_registry e
      left join public.workflows w on w.id = e.workflow_id and w.org_id = ${batch.org_id}
      left join public.projects p on p.id = w.project_id
      left join public.workflow_compiled_code c on c.workflow_id = w.id and c.is_active
      left join public.user_workflows uw on uw.workflow_id = w.id
      where e.slug = ${step} and e.workstream_slug = ${batch.workstream_slug} and e.org_id = ${batch.org_id}`.execute(db);
    const entry = found.rows[0];
    if (!entry) return failWithoutRunning(batchId, itemId, step, `step ${step} is not registered in workstream ${batch.workstream_slug}`);

    if (entry.type === 'async') {
      if (!entry.async_endpoint_url) return failWithoutRunning(batchId, itemId, step, `async step ${step} has no endpoint URL`);
      await sql`update public.workflow_states set status = 'RUNNING', attempts = attempts + 1, started_at = now(), ended_at = null, error = null
                where item_id = ${itemId} and step_name = ${step} and status = 'PENDING'`.execute(db);
      return { kind: 'async', step, callbackTimeoutSeconds: entry.callback_timeout_seconds ?? opts.defaultCallbackTimeoutSeconds ?? 3600 };
    }

    if (!entry.wf_id) return failWithoutRunning(batchId, itemId, step, `the workflow of step ${step} no longer exists`);
    const target = { id: entry.wf_id, project_id: entry.project_id, version: entry.version, workflow_type: entry.workflow_type };
    if (!target.version || !target.workflow_type) return failWithoutRunning(batchId, itemId, step, `the workflow of step ${step} has no deployed version`);

    const input = stepInput(data ?? {}, batch.blueprint, step, new Map(Object.entries(results)));
    // Per-client overrides of this step in this workstream: { <nodeId>: { ...config } }.
    const overrides = isPlainObject(entry.client_config) ? entry.client_config as Record<string, Record<string, unknown>> : undefined;

    // A retried local activity finds its run already created: reuse it (the child has not started yet).
    let runId = next.status === 'RUNNING' ? next.run_id : null;
    if (!runId) {
      const snapshot = await snapshotOf(batch, step, { id: target.id, version: target.version }, overrides);
      const id = randomUUID();
      // One statement (atomic): the state moves to RUNNING and points at the run, which is created with its execution row.
      const created = await sql<{ moved: number }>`
        with moved as (
          update public.workflow_states set status = 'RUNNING', attempts = attempts + 1, started_at = now(), ended_at = null, error = null, run_id = ${id}
          where item_id = ${itemId} and step_name = ${step} and status = 'PENDING' returning id),
        run as (
          insert into public.user_workflow_run
            (run_id, temporal_workflow_id, org_id, project_id, workflow_id, workstream_slug, client_id, status, channel, compiled_version, input, context,
             config_snapshot, created_by)
          select ${id}, ${`wb-${id}`}, ${batch.org_id}, ${target.project_id}, ${target.id}, ${batch.workstream_slug}, ${batch.client_id}, 'pending', 'batch',
                 ${target.version}, ${JSON.stringify(input)}::jsonb, ${JSON.stringify({ batchId, itemId, step })}::jsonb,
                 ${snapshot ? JSON.stringify(snapshot) : null}::jsonb,
                 coalesce(${batch.created_by}::uuid, (select m.user_id from public.organization_members m
                   join public.user_roles r on r.id = m.role_id where m.org_id = ${batch.org_id} order by r.name = 'admin' desc, m.created_at limit 1))
          where exists (select 1 from moved)
          returning run_id),
        exec as (
          insert into public.workflow_executions
            (org_id, project_id, workstream_slug, workflow_id, user_workflow_id, run_id, client_id, temporal_workflow_id, status, compiled_version, inputs)
          select ${batch.org_id}, ${target.project_id}, ${batch.workstream_slug}, ${target.id}, ${entry.user_workflow_id}::uuid, run.run_id, ${batch.client_id},
                 ${`wb-${id}`}, 'pending', ${target.version}, ${JSON.stringify(input)}::jsonb
          from run returning id)
        select (select count(*) from moved)::int as moved, (select count(*) from exec)::int as execs`.execute(db);
      if (!created.rows[0]?.moved) throw new Error(`state of ${itemId}/${step} is not PENDING`);
      runId = id;
    }
    const args: WorkflowRunArgs = {
      input,
      run: {
        runId, orgId: batch.org_id, projectId: target.project_id, workflowId: target.id, workstreamSlug: batch.workstream_slug,
        clientId: batch.client_id, version: target.version, recordSteps: true, channel: 'batch', temporalWorkflowId: `wb-${runId}`,
      },
      ...(overrides ? { configOverrides: overrides } : {}),
    };
    return {
      kind: 'sync', step, workflowType: target.workflow_type, taskQueue: entry.task_queue_name, childWorkflowId: `wb-${runId}`,
      executionTimeoutSeconds: entry.execution_timeout_seconds, args,
    };
  };

  const activities: BatchActivities = {
    async wbBatchBegin(batchId) {
      const r = await sql<{ status: string; concurrency: number }>`
        update public.batches set status = case when status = 'PENDING' then 'RUNNING' else status end
        where id = ${batchId} returning status, concurrency`.execute(db);
      const row = r.rows[0];
      if (!row) throw ApplicationFailure.nonRetryable(`batch ${batchId} does not exist`, 'WbBatchMissing');
      return { status: row.status, paused: row.status === 'PAUSED', concurrency: row.concurrency };
    },

    async wbBatchClaimItems(batchId, limit) {
      const r = await sql<{ id: string; position: number }>`
        update public.batch_items set status = 'RUNNING'
        where id in (select id from public.batch_items where batch_id = ${batchId} and status = 'PENDING'
                     order by position limit ${limit} for update skip locked)
        returning id, position`.execute(db);
      return r.rows.sort((a, b) => a.position - b.position).map((x) => x.id);
    },

    wbBatchNextStep: (batchId, itemId) => nextStep(batchId, itemId, true),

    async wbBatchFinishStep(o) {
      await recordOutcome(o);
      if (!o.ok) return { kind: 'done', status: o.cancelled ? 'CANCELLED' : 'FAILED' };
      // Cancelling: an item whose last step just succeeded still completes; no next step starts.
      return nextStep(o.batchId, o.itemId, o.prepareNext === true);
    },

    async wbBatchCallAsync(batchId, itemId, step) {
      const ctx = Context.current();
      const batch = await loadBatch(batchId);
      const entry = await registryEntry(batch, step);
      if (!entry?.async_endpoint_url) throw ApplicationFailure.nonRetryable(`async step ${step} has no endpoint URL`, BATCH_FAILURE_TYPES.endpointError);
      const timeout = entry.callback_timeout_seconds ?? opts.defaultCallbackTimeoutSeconds ?? 3600;
      const token = randomBytes(32).toString('base64url');
      await sql`insert into public.batch_callbacks (token_hash, org_id, batch_id, item_id, step_name, task_token, expires_at)
                values (${sha256Hex(token)}, ${batch.org_id}, ${batchId}, ${itemId}, ${step}, ${Buffer.from(ctx.info.taskToken)},
                        now() + make_interval(secs => ${timeout}))`.execute(db);
      const body: BatchAsyncRequest = { batchId, itemId, step, data: await inputOf(batch, itemId, step), callbackUrl: `${base}/v1/hooks/batch-callbacks/${token}` };
      let res: Response;
      try {
        res = await (opts.fetch ?? fetch)(entry.async_endpoint_url, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
          signal: AbortSignal.timeout(opts.endpointTimeoutMs ?? 30_000),
        });
        await res.arrayBuffer().catch(() => undefined);
      } catch (e) {
        throw ApplicationFailure.nonRetryable(`could not reach ${entry.async_endpoint_url}: ${e instanceof Error ? e.message : String(e)}`, BATCH_FAILURE_TYPES.endpointError);
      }
      if (!res.ok) throw ApplicationFailure.nonRetryable(`the step endpoint answered HTTP ${res.status}`, BATCH_FAILURE_TYPES.endpointError);
      // Completed (or failed) later by the callback receiver with the stored task token.
      throw new CompleteAsyncError();
    },

    async wbBatchFinish(batchId) {
      return db.transaction().execute(async (tx) => {
        await sql`select id from public.batches where id = ${batchId} for update`.execute(tx);
        const open = await sql`select 1 from public.batch_items where batch_id = ${batchId} and status in ('PENDING', 'RUNNING') limit 1`.execute(tx);
        if (open.rows.length) return false;
        await sql`
          update public.batches b set
            completed_items = c.completed, failed_items = c.failed,
            status = case when c.failed > 0 then 'FAILED' else 'COMPLETED' end
          from (select count(*) filter (where status = 'COMPLETED')::int as completed, count(*) filter (where status = 'FAILED')::int as failed
                from public.batch_items where batch_id = ${batchId}) c
          where b.id = ${batchId} and b.status in ('PENDING', 'RUNNING', 'PAUSED')`.execute(tx);
        return true;
      });
    },

    async wbBatchCancelRest(batchId) {
      await db.transaction().execute(async (tx) => {
        await sql`update public.workflow_states set status = 'CANCELLED', error = coalesce(error, 'cancelled'),
                    ended_at = case when status = 'RUNNING' then now() else ended_at end
                  where batch_id = ${batchId} and status in ('PENDING', 'RUNNING')`.execute(tx);
        await sql`update public.batch_items set status = 'CANCELLED' where batch_id = ${batchId} and status in ('PENDING', 'RUNNING')`.execute(tx);
        await sql`update public.batch_callbacks set used_at = now() where batch_id = ${batchId} and used_at is null`.execute(tx);
        // Runs prepared for a step that never started (the cancel came first).
        await sql`update public.user_workflow_run set status = 'cancelled', ended_at = now()
                  where status = 'pending' and run_id in (select run_id from public.workflow_states
                    where batch_id = ${batchId} and status = 'CANCELLED' and run_id is not null)`.execute(tx);
        await sql`update public.batches set status = 'CANCELLED' where id = ${batchId}`.execute(tx);
      });
    },

    async wbBatchFail(batchId, reason) {
      await failBatch(db, batchId, reason);
    },
  };
  return activities;
}
