/**
 * The contract between the batch orchestrator (a static Temporal workflow served on the platform
 * task queue), its database activities (in the worker) and the engine that starts and controls
 * it. Pure types and constants: safe to import from the sandbox, the worker and the API.
 */
import type { WorkflowRunArgs } from './contract.ts';

/** Workflow type of the orchestrator. */
export const BATCH_WORKFLOW_TYPE = 'wbBatchOrchestrator';

/** Task queue of the platform Worker (overridable with WB_PLATFORM_TASK_QUEUE). */
export const DEFAULT_PLATFORM_TASK_QUEUE = 'wb-platform';

/** Temporal workflow id of a batch's orchestrator: one per batch, reused by retry-failed. */
export const batchWorkflowIdOf = (batchId: string): string => `wb-batch-${batchId}`;

/** Signals the orchestrator answers. The engine writes the batch status first, then signals. */
export const BATCH_SIGNALS = {
  /** Stop dispatching new items; in-flight ones finish. */
  pause: 'wbBatchPause',
  resume: 'wbBatchResume',
  /** Cancel in-flight steps; the remaining items become CANCELLED. */
  cancel: 'wbBatchCancel',
  /** Failed states were reset to PENDING: look for work again (sent with signalWithStart). */
  wake: 'wbBatchWake',
} as const;

/** Query answering the orchestrator's in-memory view (tests, diagnostics). */
export const BATCH_STATE_QUERY = 'wbBatchState';

/** Default number of items in flight at once. */
export const DEFAULT_BATCH_CONCURRENCY = 10;
/**
 * Items one orchestrator run dispatches before it continues as new. Each item-step costs about
 * 10 history events (see apps/worker/README.md, "Batch orchestrator"): 200 items of a 20-step
 * blueprint stay near 40k events only in the worst case, so the run also continues as new once
 * its history passes {@link BATCH_HISTORY_EVENTS_LIMIT} events or Temporal suggests it.
 */
export const DEFAULT_ITEMS_PER_RUN = 200;
/** History length after which a run drains and continues as new, whatever its item count. */
export const BATCH_HISTORY_EVENTS_LIMIT = 10_000;
/** History size (bytes) after which a run drains and continues as new. */
export const BATCH_HISTORY_BYTES_LIMIT = 10 * 1024 * 1024;

/** The orchestrator's single argument. Item data never travels here: it stays in Postgres. */
export interface BatchOrchestratorArgs {
  batchId: string;
  orgId: string;
  /** Items dispatched per run before continuing as new (tests lower it). */
  itemsPerRun?: number;
  /** Attempts of a database activity before the orchestrator fails (default 20; tests lower it). */
  dbAttempts?: number;
  /** Runs of this orchestrator chain so far (1 for the first), for diagnostics. */
  generation?: number;
}

/** What the orchestrator's `wbBatchState` query returns. */
export interface BatchOrchestratorState {
  generation: number;
  paused: boolean;
  cancelled: boolean;
  inFlight: number;
  dispatchedThisRun: number;
}

/** A step the orchestrator must run for an item, as prepared by `wbBatchNextStep`. */
export type BatchStepPlan =
  | { kind: 'done'; status: 'COMPLETED' | 'FAILED' | 'CANCELLED' }
  | {
      kind: 'sync';
      step: string;
      /** Child workflow: the step workflow's active version on its project's task queue. */
      workflowType: string;
      taskQueue: string;
      childWorkflowId: string;
      executionTimeoutSeconds: number;
      args: WorkflowRunArgs;
    }
  | {
      kind: 'async';
      step: string;
      callbackTimeoutSeconds: number;
    };

export interface BatchStepOutcome {
  batchId: string;
  itemId: string;
  step: string;
  ok: boolean;
  result?: unknown;
  error?: string;
  /** The step was stopped by a batch cancel. */
  cancelled?: boolean;
  /** After a success, also prepare the item's next step (saves a round trip per step). */
  prepareNext?: boolean;
}

/** Activities of the orchestrator (registered by the platform Worker). */
export interface BatchActivities {
  /** Marks the batch RUNNING (unless paused/final) and returns what the run needs to know. */
  wbBatchBegin(batchId: string): Promise<{ status: string; paused: boolean; concurrency: number }>;
  /** Claims up to `limit` PENDING items (in position order) and marks them RUNNING; returns their ids. */
  wbBatchClaimItems(batchId: string, limit: number): Promise<string[]>;
  /** Prepares the item's next unfinished step (state RUNNING), or finishes the item. */
  wbBatchNextStep(batchId: string, itemId: string): Promise<BatchStepPlan>;
  /**
   * Records a step's result (enrichment_results) or failure (a failure fails the item); after a
   * success with `prepareNext`, returns the item's next step as `wbBatchNextStep` would.
   */
  wbBatchFinishStep(outcome: BatchStepOutcome): Promise<BatchStepPlan>;
  /** Async step: POSTs to the endpoint and completes when the callback arrives (async completion). */
  wbBatchCallAsync(batchId: string, itemId: string, step: string): Promise<unknown>;
  /**
   * No item left to run: sets the final status (COMPLETED, or FAILED when an item failed) unless
   * items became PENDING again (retry-failed raced with the end), in which case it returns false.
   */
  wbBatchFinish(batchId: string): Promise<boolean>;
  /** Cancel: unfinished items and their unfinished states become CANCELLED; the batch CANCELLED. */
  wbBatchCancelRest(batchId: string): Promise<void>;
  /**
   * The orchestrator itself failed: the batch ends FAILED with `reason` (batches.error); items and
   * states in flight fail with it (retry-failed runs them again). No-op once the batch has ended.
   */
  wbBatchFail(batchId: string, reason: string): Promise<void>;
}

/** Body the async step POSTs to its endpoint. */
export interface BatchAsyncRequest {
  batchId: string;
  itemId: string;
  step: string;
  data: unknown;
  /** POST { result } or { error } here once, before the step's callback timeout. */
  callbackUrl: string;
}

/** `ApplicationFailure.type` of the async step's failures. */
export const BATCH_FAILURE_TYPES = {
  callbackError: 'WbBatchCallbackError',
  endpointError: 'WbBatchEndpointError',
} as const;
