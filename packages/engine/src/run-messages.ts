import { sql } from 'kysely';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ApplicationFailure, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { withCaller, type Caller, type Database } from '@workflow-builder/db';
import {
  parseDefinition, queueMessageNames, workflowSignals, type JsonSchemaSubset, type WorkflowDefinition,
} from '@workflow-builder/definition';
import { QUEUE_REJECTION_TYPES } from '@workflow-builder/runtime/contract';
import { EngineError, type EngineProblem } from './errors.ts';
import { compileDeclaredSchema } from './input-validation.ts';
import { queryRun, signalRun, updateRun } from './run-control.ts';

/**
 * Messages to a run checked against what its version declares: signal payloads against the
 * signal's parameter schema, work-queue items against the queue's item schema, and the queue's
 * enqueue update (whose rejections become `queue_rejected`).
 */

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

/** Problems of `value` against `schema`, each naming its field under `base` (`/body/payload/decision`). */
export function payloadProblems(schema: JsonSchemaSubset | undefined, value: unknown, base: string, declaredAt = 'schema'): EngineProblem[] {
  if (schema === undefined) return [];
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = compileDeclaredSchema(ajv, schema as object, declaredAt);
    if (validators.size > 500) validators.clear();
    validators.set(key, validate);
  }
  if (validate(value)) return [];
  const fieldOf = (e: ErrorObject): string => {
    const at = `${base}${e.instancePath}`;
    if (e.keyword === 'required') return `${at}/${(e.params as { missingProperty: string }).missingProperty}`;
    if (e.keyword === 'additionalProperties') return `${at}/${(e.params as { additionalProperty: string }).additionalProperty}`;
    return at;
  };
  return (validate.errors ?? []).map((e) => ({ field: fieldOf(e), code: 'invalid_payload', message: e.message ?? 'is invalid' }));
}

/** The definition of the version the run executes (null for runs of versions saved without one). */
export async function runDefinition(db: Database, caller: Caller, runId: string): Promise<WorkflowDefinition | null> {
  return withCaller(db, caller, async (tx) => {
    const row = await sql<{ definition: unknown }>`
      select c.definition from public.user_workflow_run r
      join public.workflow_compiled_code c on c.workflow_id = r.workflow_id and c.version = r.compiled_version
      where r.run_id = ${runId}`.execute(tx);
    const parsed = row.rows[0] ? parseDefinition(row.rows[0].definition) : undefined;
    return parsed?.ok ? parsed.value : null;
  });
}

/**
 * Sends a signal after checking it against the run's version: the name must be a declared (or
 * work-queue, or `signal.wait`) signal and the payload must match its parameter schema.
 */
export async function sendSignal(db: Database, client: Client, caller: Caller, runId: string, name: string, payload: unknown): Promise<void> {
  const definition = await runDefinition(db, caller, runId);
  if (definition !== null) {
    const declared = workflowSignals(definition);
    const waited = definition.nodes.filter((n) => n.kind === 'signal.wait').map((n) => n.config['signalName']);
    const signal = declared.find((s) => s.name === name);
    if (signal === undefined && !waited.includes(name)) {
      const known = [...new Set([...declared.map((s) => s.name), ...waited.map(String)])];
      throw new EngineError('invalid_input', `the run does not accept signal "${name}"`, [
        { field: '/body/name', code: 'unknown_signal', message: known.length ? `must be one of: ${known.join(', ')}` : 'this workflow declares no signals' },
      ]);
    }
    const problems = payloadProblems(signal?.parametersSchema, payload, '/body/payload', `signals.${name}.parametersSchema`);
    if (problems.length) throw new EngineError('invalid_input', `the payload does not match signal "${name}"'s parameters`, problems);
  }
  await signalRun(db, client, caller, runId, name, payload);
}

/** What adding to a work queue answers. */
export interface EnqueuedItem {
  queue: string;
  /** 1-based place in the order items will be taken. */
  position: number;
  /** Waiting items, this one included. */
  size: number;
}

async function queueOf(db: Database, caller: Caller, runId: string, queue: string) {
  const definition = await runDefinition(db, caller, runId);
  const declaration = definition?.workQueues?.find((q) => q.name === queue);
  if (declaration === undefined) throw new EngineError('not_found', `the run has no work queue "${queue}"`);
  return declaration;
}

/**
 * Adds an item through the queue's `<queue>_enqueue` update: `queue_rejected` (nothing enqueued)
 * when the queue is full or the item a duplicate.
 */
export async function enqueueItem(db: Database, client: Client, caller: Caller, runId: string, queue: string, item: unknown): Promise<EnqueuedItem> {
  const declaration = await queueOf(db, caller, runId, queue);
  const problems = payloadProblems(declaration.itemSchema, item, '/body/item', `workQueues.${queue}.itemSchema`);
  if (problems.length) throw new EngineError('invalid_input', `the item does not match work queue "${queue}"'s item schema`, problems);
  try {
    const result = await updateRun<{ position: number; size: number }>(db, client, caller, runId, queueMessageNames(queue).enqueue, [item]);
    return { queue, position: result.position, size: result.size };
  } catch (e) {
    const cause: unknown = e instanceof WorkflowUpdateFailedError ? e.cause : undefined;
    if (cause instanceof ApplicationFailure && (cause.type === QUEUE_REJECTION_TYPES.full || cause.type === QUEUE_REJECTION_TYPES.duplicate)) {
      const code = cause.type === QUEUE_REJECTION_TYPES.full ? 'queue_full' : 'duplicate_item';
      throw new EngineError('queue_rejected', cause.message, [{ field: '/body/item', code, message: cause.message }]);
    }
    throw e;
  }
}

/** The queue's state (its `<queue>_state` query). */
export async function workQueueState(db: Database, client: Client, caller: Caller, runId: string, queue: string): Promise<unknown> {
  await queueOf(db, caller, runId, queue);
  return queryRun(db, client, caller, runId, queueMessageNames(queue).state);
}
