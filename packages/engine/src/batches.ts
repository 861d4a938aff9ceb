import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { ActivityNotFoundError, ApplicationFailure, type Client } from '@temporalio/client';
import { withAnonymous, withCaller, type Caller, type Database, type Tx } from '@workflow-builder/db';
import {
  BATCH_SIGNALS, BATCH_WORKFLOW_TYPE, BATCH_FAILURE_TYPES, DEFAULT_BATCH_CONCURRENCY, DEFAULT_PLATFORM_TASK_QUEUE, batchWorkflowIdOf,
  type BatchOrchestratorArgs,
} from '@workflow-builder/runtime/batch-contract';
import { EngineError, type EngineProblem } from './errors.ts';

/** Items per batch: 10,000 (the benchmarked size) with headroom; larger loads are split into several batches. */
export const MAX_BATCH_ITEMS = 20_000;
/** Steps per blueprint. */
export const MAX_BLUEPRINT_STEPS = 20;
/** Items in flight at once, per batch. */
export const MAX_BATCH_CONCURRENCY = 100;

export type BatchStatus = 'PENDING' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

export interface BatchEngineOptions {
  /** The platform Worker's task queue (default `wb-platform`). */
  taskQueue?: string;
  /** Items per orchestrator run before continue-as-new (tests lower it; default 200). */
  itemsPerRun?: number;
  /** Attempts of the orchestrator's database activities before it fails (tests lower it; default 20). */
  dbAttempts?: number;
}

export interface CreateBatchRequest {
  clientId: string;
  workstreamSlug: string;
  /** Step slugs of the workstream's registry, in order. */
  blueprint: string[];
  /** One JSON object per item... */
  items?: unknown[];
  /** ...or CSV text: the first row holds the headers, each further row becomes an object. */
  csv?: string;
  concurrency?: number;
}

export interface CreatedBatch {
  batchId: string;
  temporalWorkflowId: string;
  totalItems: number;
  status: BatchStatus;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const invalid = (problems: EngineProblem[]): EngineError => new EngineError('invalid_input', problems[0]!.message, problems);

/**
 * CSV text to items: the first row is the header, every further row one object (values are
 * strings). A malformed row is reported with its 1-based line number in `/csv`.
 *
 * @example
 * parseCsvItems('name,domain\nAcme,acme.com') // [{ name: 'Acme', domain: 'acme.com' }]
 */
export function parseCsvItems(csv: string): Record<string, string>[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, max_record_size: 1_000_000, record_delimiter: ['\r\n', '\n', '\r'] }) as Record<string, string>[];
  } catch (e) {
    const line = e instanceof CsvError ? (e as CsvError & { lines?: number }).lines : undefined;
    const reason = e instanceof Error ? e.message.replace(/^Invalid Record Length: /, '') : String(e);
    throw invalid([{ field: '/csv', code: 'invalid_csv', message: line !== undefined ? `row ${line}: ${reason}` : reason }]);
  }
  return rows;
}

/** Checks a batch request against the caller's organisation; returns the items, or throws every problem found. */
async function validateBatch(tx: Tx, req: CreateBatchRequest): Promise<unknown[]> {
  const problems: EngineProblem[] = [];
  const client = await sql`select 1 from public.clients where id = ${req.clientId}`.execute(tx);
  if (!client.rows.length) problems.push({ field: '/clientId', code: 'unknown_reference', message: 'no client with this id in the organisation' });
  const ws = await sql`select 1 from public.projects where workstream_slug = ${req.workstreamSlug}`.execute(tx);
  if (!ws.rows.length) problems.push({ field: '/workstreamSlug', code: 'unknown_reference', message: 'no project of the organisation has this workstream' });

  if (req.blueprint.length === 0) problems.push({ field: '/blueprint', code: 'required', message: 'list at least one step' });
  if (req.blueprint.length > MAX_BLUEPRINT_STEPS) problems.push({ field: '/blueprint', code: 'too_many', message: `at most ${MAX_BLUEPRINT_STEPS} steps` });
  if (ws.rows.length && req.blueprint.length) {
    const known = await sql<{ slug: string }>`select slug from public.enrichment_registry
                                              where workstream_slug = ${req.workstreamSlug} and slug = any(${req.blueprint}::text[])`.execute(tx);
    const slugs = new Set(known.rows.map((r) => r.slug));
    const seen = new Set<string>();
    req.blueprint.forEach((slug, i) => {
      if (seen.has(slug)) problems.push({ field: `/blueprint/${i}`, code: 'duplicate', message: `step ${slug} is already in the blueprint` });
      else if (!slugs.has(slug)) problems.push({ field: `/blueprint/${i}`, code: 'unknown_step', message: `no step ${slug} is registered in workstream ${req.workstreamSlug}` });
      seen.add(slug);
    });
  }

  let items: unknown[] = [];
  let itemsField = '/items';
  if ((req.items === undefined) === (req.csv === undefined)) {
    problems.push({ field: '/items', code: 'required', message: 'send the items either as a JSON array (items) or as CSV text (csv), not both' });
  } else if (req.csv !== undefined) {
    itemsField = '/csv';
    try {
      items = parseCsvItems(req.csv);
    } catch (e) {
      if (e instanceof EngineError) problems.push(...e.problems); else throw e;
    }
  } else {
    items = req.items!;
    const bad = items.findIndex((x) => !isPlainObject(x));
    if (bad >= 0) problems.push({ field: `/items/${bad}`, code: 'invalid_type', message: 'each item must be a JSON object' });
  }
  if (!problems.some((p) => p.field.startsWith(itemsField))) {
    if (items.length === 0) problems.push({ field: itemsField, code: 'empty', message: 'the batch has no items' });
    if (items.length > MAX_BATCH_ITEMS) problems.push({ field: itemsField, code: 'too_many', message: `at most ${MAX_BATCH_ITEMS} items per batch (got ${items.length})` });
  }
  if (req.concurrency !== undefined && !(Number.isInteger(req.concurrency) && req.concurrency >= 1 && req.concurrency <= MAX_BATCH_CONCURRENCY)) {
    problems.push({ field: '/concurrency', code: 'out_of_range', message: `must be an integer from 1 to ${MAX_BATCH_CONCURRENCY}` });
  }
  if (problems.length) throw invalid(problems);
  return items;
}

const orchestratorArgs = (batchId: string, orgId: string, opts: BatchEngineOptions): BatchOrchestratorArgs =>
  ({ batchId, orgId, ...(opts.itemsPerRun ? { itemsPerRun: opts.itemsPerRun } : {}), ...(opts.dbAttempts ? { dbAttempts: opts.dbAttempts } : {}) });

/**
 * Creates a batch as the caller: validates the request (client, workstream, every blueprint step
 * by (slug, workstream_slug), items or CSV), inserts the batch, its items and one PENDING state per
 * item and step in one transaction, then starts the orchestrator on the platform task queue. If
 * Temporal refuses, the batch is deleted again (nothing is left behind) and `temporal_unavailable`
 * is thrown.
 *
 * @example
 * const b = await createBatch(db, temporal, caller, { clientId, workstreamSlug: 'apollo_scrape', blueprint: ['normalize'], csv: 'name\nAcme' });
 */
export async function createBatch(db: Database, temporal: Client, caller: Caller, req: CreateBatchRequest, opts: BatchEngineOptions = {}): Promise<CreatedBatch> {
  const batchId = randomUUID();
  const workflowId = batchWorkflowIdOf(batchId);
  const { orgId, total } = await withCaller(db, caller, async (tx) => {
    const items = await validateBatch(tx, req);
    const org = await sql<{ org_id: string | null }>`select app.writable_org_id() as org_id`.execute(tx);
    const orgId = org.rows[0]?.org_id;
    if (!orgId) throw new EngineError('forbidden', 'Only developers and admins can create batches');
    await sql`
      insert into public.batches (id, org_id, client_id, workstream_slug, blueprint, status, total_items, concurrency, temporal_workflow_id, created_by)
      values (${batchId}, ${orgId}, ${req.clientId}, ${req.workstreamSlug}, ${req.blueprint}::text[], 'PENDING', ${items.length},
              ${req.concurrency ?? DEFAULT_BATCH_CONCURRENCY}, ${workflowId}, app.current_user_id())`.execute(tx);
    await sql`
      insert into public.batch_items (org_id, batch_id, position, data)
      select ${orgId}::uuid, ${batchId}::uuid, (t.ord - 1)::int, t.value
      from jsonb_array_elements(${JSON.stringify(items)}::jsonb) with ordinality as t(value, ord)`.execute(tx);
    await sql`
      insert into public.workflow_states (org_id, batch_id, item_id, step_name, workstream_slug)
      select ${orgId}::uuid, ${batchId}::uuid, i.id, s.step, ${req.workstreamSlug}
      from public.batch_items i cross join unnest(${req.blueprint}::text[]) as s(step)
      where i.batch_id = ${batchId}`.execute(tx);
    return { orgId, total: items.length };
  });
  try {
    await temporal.workflow.start(BATCH_WORKFLOW_TYPE, {
      taskQueue: opts.taskQueue ?? DEFAULT_PLATFORM_TASK_QUEUE,
      workflowId,
      args: [orchestratorArgs(batchId, orgId, opts)],
      memo: { batchId, requestId: caller.requestId ?? null },
    });
  } catch (e) {
    await withCaller(db, caller, (tx) => sql`delete from public.batches where id = ${batchId}`.execute(tx));
    throw new EngineError('temporal_unavailable', `Temporal did not accept the batch: ${(e as Error).message}`);
  }
  return { batchId, temporalWorkflowId: workflowId, totalItems: total, status: 'PENDING' };
}

interface BatchRef { id: string; org_id: string; status: BatchStatus; can_write: boolean }

/** Locks the batch row as the caller (RLS: other organisations' batches are not found). */
async function lockBatch(tx: Tx, batchId: string): Promise<BatchRef> {
  const r = await sql<BatchRef>`select id, org_id, status, org_id = (select app.writable_org_id()) as can_write
                                from public.batches where id = ${batchId} for update`.execute(tx);
  const b = r.rows[0];
  if (!b) throw new EngineError('not_found', 'Batch not found');
  if (!b.can_write) throw new EngineError('forbidden', 'Only developers and admins can control batches');
  return b;
}

async function signalOrchestrator(temporal: Client, batchId: string, signal: string): Promise<'sent' | 'not_running'> {
  try {
    await temporal.workflow.getHandle(batchWorkflowIdOf(batchId)).signal(signal);
    return 'sent';
  } catch (e) {
    if ((e as Error).name === 'WorkflowNotFoundError') return 'not_running';
    throw new EngineError('temporal_unavailable', `Temporal refused: ${(e as Error).message}`);
  }
}

/** Marks every unfinished item and state of the batch CANCELLED, and the batch (no orchestrator is running). */
async function cancelInDb(tx: Tx, batchId: string): Promise<void> {
  await sql`update public.workflow_states set status = 'CANCELLED', error = coalesce(error, 'cancelled')
            where batch_id = ${batchId} and status in ('PENDING', 'RUNNING')`.execute(tx);
  await sql`update public.batch_items set status = 'CANCELLED' where batch_id = ${batchId} and status in ('PENDING', 'RUNNING')`.execute(tx);
  await sql`update public.batches set status = 'CANCELLED' where id = ${batchId}`.execute(tx);
}

/**
 * Pause: no new items are dispatched, items in flight finish. The status is written in the same
 * transaction that signals the orchestrator, so a refused signal leaves the batch as it was.
 */
export async function pauseBatch(db: Database, temporal: Client, caller: Caller, batchId: string): Promise<BatchStatus> {
  return withCaller(db, caller, async (tx): Promise<BatchStatus> => {
    const b = await lockBatch(tx, batchId);
    if (b.status !== 'RUNNING' && b.status !== 'PENDING') throw new EngineError('not_running', `The batch is ${b.status}; only running batches can be paused`);
    await sql`update public.batches set status = 'PAUSED' where id = ${batchId}`.execute(tx);
    if (await signalOrchestrator(temporal, batchId, BATCH_SIGNALS.pause) === 'not_running') throw new EngineError('not_running', 'The batch orchestrator is not running');
    return 'PAUSED' as const;
  });
}

/** Resume a paused batch: dispatching starts again. */
export async function resumeBatch(db: Database, temporal: Client, caller: Caller, batchId: string): Promise<BatchStatus> {
  return withCaller(db, caller, async (tx): Promise<BatchStatus> => {
    const b = await lockBatch(tx, batchId);
    if (b.status !== 'PAUSED') throw new EngineError('not_running', `The batch is ${b.status}; only paused batches can be resumed`);
    await sql`update public.batches set status = 'RUNNING' where id = ${batchId}`.execute(tx);
    if (await signalOrchestrator(temporal, batchId, BATCH_SIGNALS.resume) === 'not_running') throw new EngineError('not_running', 'The batch orchestrator is not running');
    return 'RUNNING';
  });
}

/**
 * Cancel: the orchestrator cancels the steps in flight (child runs are cancelled, async steps
 * stop waiting) and marks the unfinished items CANCELLED, then the batch. Returns the status
 * at the time of the answer (the orchestrator finishes shortly after).
 */
export async function cancelBatch(db: Database, temporal: Client, caller: Caller, batchId: string): Promise<BatchStatus> {
  return withCaller(db, caller, async (tx) => {
    const b = await lockBatch(tx, batchId);
    if (!['PENDING', 'RUNNING', 'PAUSED'].includes(b.status)) throw new EngineError('not_running', `The batch is ${b.status}; it can no longer be cancelled`);
    if (await signalOrchestrator(temporal, batchId, BATCH_SIGNALS.cancel) === 'not_running') {
      await cancelInDb(tx, batchId);
      return 'CANCELLED';
    }
    return b.status;
  });
}

/**
 * Retry the failed items only: their FAILED states become PENDING again (SUCCEEDED steps are kept
 * and not re-run), the items PENDING, the batch RUNNING (or still PAUSED), and the orchestrator is
 * woken, or started again when it had finished (signalWithStart on the same workflow id).
 */
export async function retryFailedBatch(db: Database, temporal: Client, caller: Caller, batchId: string, opts: BatchEngineOptions = {}): Promise<{ status: BatchStatus; retriedItems: number }> {
  return withCaller(db, caller, async (tx) => {
    const b = await lockBatch(tx, batchId);
    if (b.status === 'CANCELLED' || b.status === 'COMPLETED') throw new EngineError('not_running', `The batch is ${b.status}; it has no failed items to retry`);
    const items = await sql<{ id: string }>`update public.batch_items set status = 'PENDING'
                                            where batch_id = ${batchId} and status = 'FAILED' returning id`.execute(tx);
    // A batch whose orchestrator failed may have only unclaimed (PENDING) items left: restarting it runs them.
    const orchestratorFailed = (await sql<{ error: string | null }>`select error from public.batches where id = ${batchId}`.execute(tx)).rows[0]?.error != null;
    if (!items.rows.length && !orchestratorFailed) throw new EngineError('not_running', 'The batch has no failed items');
    await sql`update public.workflow_states set status = 'PENDING', error = null, started_at = null, ended_at = null
              where batch_id = ${batchId} and status = 'FAILED'`.execute(tx);
    const status: BatchStatus = b.status === 'PAUSED' ? 'PAUSED' : 'RUNNING';
    await sql`update public.batches set status = ${status}, error = null, failed_items = greatest(0, failed_items - ${items.rows.length}) where id = ${batchId}`.execute(tx);
    try {
      await temporal.workflow.signalWithStart(BATCH_WORKFLOW_TYPE, {
        taskQueue: opts.taskQueue ?? DEFAULT_PLATFORM_TASK_QUEUE,
        workflowId: batchWorkflowIdOf(batchId),
        args: [orchestratorArgs(batchId, b.org_id, opts)],
        signal: BATCH_SIGNALS.wake,
        signalArgs: [],
      });
    } catch (e) {
      throw new EngineError('temporal_unavailable', `Temporal refused: ${(e as Error).message}`);
    }
    return { status, retriedItems: items.rows.length };
  });
}

/** Callback tokens are 32 random bytes, base64url. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface BatchCallbackBody {
  result?: unknown;
  error?: unknown;
}

export interface CompletedCallback {
  batchId: string;
  itemId: string;
  step: string;
  outcome: 'succeeded' | 'failed';
}

/**
 * The public receiver of async steps' callbacks. The token (single use, stored hashed) is
 * claimed in a transaction that also completes the waiting activity with Temporal's task token:
 * `{ result }` completes the step, `{ error }` fails it. If Temporal cannot be reached the claim is
 * rolled back and the caller may retry; a token that is unknown or used is `not_found`, one
 * whose step timed out or was cancelled is `not_running`.
 */
export async function completeBatchCallback(db: Database, temporal: Client, token: string, body: BatchCallbackBody): Promise<CompletedCallback> {
  if (!TOKEN_PATTERN.test(token)) throw new EngineError('not_found', 'Unknown or already used callback token');
  const hash = createHash('sha256').update(token).digest('hex');
  const hasError = body.error !== undefined && body.error !== null;
  const outcome = await withAnonymous(db, async (tx) => {
    const r = await sql<{ org_id: string; batch_id: string; item_id: string; step_name: string; task_token: Buffer; expired: boolean }>`
      select * from app.claim_batch_callback(${hash})`.execute(tx);
    const row = r.rows[0];
    if (!row) throw new EngineError('not_found', 'Unknown or already used callback token');
    const done: CompletedCallback = { batchId: row.batch_id, itemId: row.item_id, step: row.step_name, outcome: hasError ? 'failed' : 'succeeded' };
    if (row.expired) return { done, late: true };
    const taskToken = new Uint8Array(row.task_token);
    try {
      if (hasError) {
        const message = typeof body.error === 'string' ? body.error : JSON.stringify(body.error);
        await temporal.activity.fail(taskToken, ApplicationFailure.nonRetryable(message.slice(0, 2000), BATCH_FAILURE_TYPES.callbackError));
      } else {
        await temporal.activity.complete(taskToken, body.result === undefined ? null : body.result);
      }
    } catch (e) {
      // The step stopped waiting (timed out, cancelled): the token is spent either way.
      if (e instanceof ActivityNotFoundError) return { done, late: true };
      throw new EngineError('temporal_unavailable', `Temporal refused: ${(e as Error).message}`);
    }
    return { done, late: false };
  });
  if (outcome.late) throw new EngineError('not_running', 'The step is no longer waiting for this callback (it timed out or was cancelled)');
  return outcome.done;
}
