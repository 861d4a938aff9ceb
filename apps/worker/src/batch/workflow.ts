/**
 * The batch orchestrator: a static Temporal workflow on the platform task queue. Sandbox code:
 * it imports only @temporalio/workflow and the batch contract's types and constants.
 *
 * It walks each PENDING item of a batch through the blueprint with bounded concurrency. Item
 * data never enters the history: activities read it from Postgres and return only what a step
 * needs. Every `itemsPerRun` items (or once the history grows past the limits) it stops
 * dispatching, lets the items in flight finish, and continues as new.
 */
import {
  ActivityFailure, ApplicationFailure, CancellationScope, ChildWorkflowCancellationType, ChildWorkflowFailure, condition,
  ContinueAsNew, continueAsNew, defineQuery, defineSignal, executeChild, isCancellation, ParentClosePolicy, proxyActivities, proxyLocalActivities,
  setHandler, TimeoutFailure, workflowInfo,
} from '@temporalio/workflow';
import {
  BATCH_HISTORY_BYTES_LIMIT, BATCH_HISTORY_EVENTS_LIMIT, BATCH_SIGNALS, BATCH_STATE_QUERY, DEFAULT_ITEMS_PER_RUN,
  type BatchActivities, type BatchOrchestratorArgs, type BatchOrchestratorState, type BatchStepOutcome, type BatchStepPlan,
} from '@workflow-builder/runtime/batch-contract';

// Database steps are short: local activities (one marker event each, no task queue round trip).
const dbActivities = (maximumAttempts = 20) => proxyLocalActivities<BatchActivities>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts },
});
const dbDefault = dbActivities();

/** The async step waits for its callback: the callback timeout is the activity's timeout. */
const asyncStep = (timeoutSeconds: number) => proxyActivities<BatchActivities>({
  startToCloseTimeout: `${timeoutSeconds}s`,
  // The endpoint was called once; calling it again could duplicate work on the other side.
  retry: { maximumAttempts: 1 },
});

export const pauseSignal = defineSignal(BATCH_SIGNALS.pause);
export const resumeSignal = defineSignal(BATCH_SIGNALS.resume);
export const cancelSignal = defineSignal(BATCH_SIGNALS.cancel);
export const wakeSignal = defineSignal(BATCH_SIGNALS.wake);
export const stateQuery = defineQuery<BatchOrchestratorState>(BATCH_STATE_QUERY);

/** The message a failed step is recorded with: the innermost cause, or "callback timed out". */
function describeFailure(e: unknown, kind: 'sync' | 'async'): string {
  let err: unknown = e;
  let message = e instanceof Error ? e.message : String(e);
  while (err instanceof Error) {
    if (err instanceof TimeoutFailure) return kind === 'async' ? 'callback timed out' : `timed out (${err.timeoutType})`;
    if (!(err instanceof ActivityFailure) && !(err instanceof ChildWorkflowFailure) && err.message) message = err.message;
    err = (err as { cause?: unknown }).cause;
  }
  return message;
}

/** Why the orchestrator failed, for `batches.error`: the innermost message. */
function orchestratorFailure(e: unknown): string {
  let err: unknown = e;
  let message = e instanceof Error ? e.message : String(e);
  while (err instanceof Error) {
    if (err.message && !(err instanceof ActivityFailure)) message = err.message;
    err = (err as { cause?: unknown }).cause;
  }
  return message.startsWith('batch orchestration failed') ? message : `batch orchestration failed: ${message}`;
}

export async function wbBatchOrchestrator(args: BatchOrchestratorArgs): Promise<{ status: string }> {
  try {
    return await orchestrate(args);
  } catch (e) {
    if (e instanceof ContinueAsNew) throw e;
    // Recorded before the run ends, or the batch would stay RUNNING forever. A cancellation from
    // Temporal (the UI's Cancel) cancels the batch; anything else fails it with the reason. If even
    // this keeps failing (the database is down), the worker's reconciler closes the batch later.
    await CancellationScope.nonCancellable(() => (isCancellation(e)
      ? dbDefault.wbBatchCancelRest(args.batchId)
      : dbDefault.wbBatchFail(args.batchId, orchestratorFailure(e)))).catch(() => undefined);
    throw e;
  }
}

async function orchestrate(args: BatchOrchestratorArgs): Promise<{ status: string }> {
  const { batchId } = args;
  const db = args.dbAttempts ? dbActivities(args.dbAttempts) : dbDefault;
  const itemsPerRun = Math.max(1, args.itemsPerRun ?? DEFAULT_ITEMS_PER_RUN);
  const generation = args.generation ?? 1;
  const inFlight = new Map<string, CancellationScope>();
  let paused = false;
  let cancelled = false;
  let wake = false;
  let dispatched = 0;
  let fatal: unknown;
  // The batch is being cancelled: by the cancel signal, or by a cancellation of this workflow from
  // Temporal (the UI's Cancel), which cancels the in-flight items' scopes without the signal.
  const root = CancellationScope.current();
  const cancelling = () => cancelled || root.consideredCancelled;
  // Bumped by every signal and every finished item: the main loop waits for it to change.
  let tick = 0;

  setHandler(pauseSignal, () => { paused = true; tick++; });
  setHandler(resumeSignal, () => { paused = false; wake = true; tick++; });
  setHandler(wakeSignal, () => { wake = true; tick++; });
  setHandler(cancelSignal, () => {
    cancelled = true;
    for (const scope of inFlight.values()) scope.cancel();
    tick++;
  });
  setHandler(stateQuery, () => ({ generation, paused, cancelled, inFlight: inFlight.size, dispatchedThisRun: dispatched }));

  const begun = await db.wbBatchBegin(batchId);
  if (['COMPLETED', 'CANCELLED'].includes(begun.status)) return { status: begun.status };
  paused = paused || begun.paused;
  const concurrency = begun.concurrency;
  // Refill in chunks (one claim per chunk of finished items keeps the history small).
  const refill = Math.max(1, Math.floor(concurrency / 4));

  const runStep = async (itemId: string, plan: Extract<BatchStepPlan, { kind: 'sync' | 'async' }>): Promise<unknown> => {
    if (plan.kind === 'async') return asyncStep(plan.callbackTimeoutSeconds).wbBatchCallAsync(batchId, itemId, plan.step);
    return executeChild(plan.workflowType, {
      workflowId: plan.childWorkflowId,
      taskQueue: plan.taskQueue,
      args: [plan.args],
      workflowExecutionTimeout: `${plan.executionTimeoutSeconds}s`,
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_REQUESTED,
      staticSummary: `batch step ${plan.step}`,
      // As startRun sets them for every platform run (Temporal UI search).
      searchAttributes: {
        WbOrgId: [plan.args.run.orgId], WbProjectId: [plan.args.run.projectId], WbWorkflowId: [plan.args.run.workflowId],
        WbRunId: [plan.args.run.runId], WbWorkstream: [plan.args.run.workstreamSlug],
      },
    });
  };

  const runItem = async (itemId: string): Promise<void> => {
    let plan = await db.wbBatchNextStep(batchId, itemId);
    while (plan.kind !== 'done') {
      let outcome: BatchStepOutcome;
      try {
        outcome = { batchId, itemId, step: plan.step, ok: true, result: await runStep(itemId, plan) };
      } catch (e) {
        outcome = { batchId, itemId, step: plan.step, ok: false, error: describeFailure(e, plan.kind), cancelled: cancelling() && isCancellation(e) };
      }
      // Recorded even when the batch is being cancelled; one round trip also prepares the next step.
      const next = { ...outcome, prepareNext: !cancelling() };
      plan = await CancellationScope.nonCancellable(() => db.wbBatchFinishStep(next));
    }
  };

  const dispatch = (itemId: string) => {
    const scope = new CancellationScope();
    inFlight.set(itemId, scope);
    dispatched++;
    scope.run(() => runItem(itemId))
      .catch((e: unknown) => {
        // A cancelled item is settled by wbBatchCancelRest. Anything else (a database activity that
        // kept failing, the batch deleted) fails the orchestrator from the main loop, not as an
        // unhandled rejection that would retry the workflow task forever.
        if (!isCancellation(e)) fatal ??= e;
      })
      .finally(() => { inFlight.delete(itemId); tick++; });
  };

  const historyFull = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= BATCH_HISTORY_EVENTS_LIMIT || info.historySize >= BATCH_HISTORY_BYTES_LIMIT;
  };

  let exhausted = false;
  for (;;) {
    if (fatal !== undefined) {
      const message = fatal instanceof Error ? fatal.message : String(fatal);
      throw ApplicationFailure.nonRetryable(`batch orchestration failed: ${message}`, 'WbBatchOrchestratorError');
    }
    if (cancelled) break;
    if (wake) { wake = false; exhausted = false; }
    const roll = dispatched >= itemsPerRun || historyFull();
    const free = concurrency - inFlight.size;
    if (!paused && !roll && !exhausted && free > 0 && (free >= refill || inFlight.size === 0)) {
      const ids = await db.wbBatchClaimItems(batchId, Math.min(free, itemsPerRun - dispatched));
      if (ids.length === 0) exhausted = true;
      // Claimed while a cancel arrived: not dispatched, wbBatchCancelRest cancels them.
      if (cancelled) break;
      for (const id of ids) dispatch(id);
      if (ids.length > 0) continue;
    }
    if (inFlight.size === 0 && !cancelled) {
      if (roll && !paused) {
        // Nothing in flight: the next run starts clean, re-reading everything from Postgres.
        await continueAsNew<typeof wbBatchOrchestrator>({ ...args, generation: generation + 1 });
      }
      if (exhausted && !paused && !wake) {
        if (await db.wbBatchFinish(batchId)) {
          // A retry-failed signal that raced with the end re-opens the loop.
          if (!wake) return { status: 'FINISHED' };
        }
        exhausted = false;
        continue;
      }
    }
    const seen = tick;
    await condition(() => tick !== seen);
  }

  // Cancelled: in-flight items were cancelled with their scopes; wait until each recorded itself.
  await condition(() => inFlight.size === 0);
  await db.wbBatchCancelRest(batchId);
  return { status: 'CANCELLED' };
}
