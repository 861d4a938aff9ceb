/**
 * The primitives generated workflow code calls, one method per node kind. Sandbox-safe: imports
 * only `@temporalio/workflow`, the contract and sibling files.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  ContinueAsNew,
  continueAsNew,
  defineQuery,
  defineSignal,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  TemporalFailure,
  uuid4,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import {
  ACTIVITY_NAMES,
  STATE_QUERY,
  type RunContextInfo,
  type RunResume,
  type StepActivities,
  type StepActivityMeta,
  type StepActivityResult,
  type StepErrorInfo,
  type StepFailureDetails,
  type StepRecord,
  type WorkflowRunArgs,
} from '../contract.ts';
import { cloneJson, mergeConfig, resolveTemplates } from './config.ts';
import { parseDuration } from './duration.ts';
import { evaluateTemplate, ExpressionError, isExpression, type ExpressionContext } from './expressions.ts';
import { isTruthy, jsonEquals } from './json-values.ts';
import { forEachWithConcurrency } from './for-each.ts';
import { StepRecorder } from './recorder.ts';
import { waitUntilUnblocked, type BlockUntil } from './block-until.ts';
import { consumeQueue, registerWorkQueues, type WorkQueue, type WorkQueueSnapshot, type WorkQueueSpec } from './work-queue.ts';
import { answerQuery } from './query-returns.ts';

/** One node of the compiled definition, as emitted into the `NODES` table. */
export interface NodeSpec {
  readonly kind: string;
  readonly label: string;
  readonly config: { readonly [key: string]: unknown };
}

/** The `NODES` table of a compiled workflow, keyed by node id. */
export type NodeTable = { readonly [nodeId: string]: NodeSpec };

/** How a `workflow.child` node starts its child (resolved at compile time). */
export interface ChildWorkflowSpec {
  readonly workflowType: string;
  readonly taskQueue: string;
  /** Platform workflow id and version of the child, when known (for the child's run record). */
  readonly workflowId?: string;
  readonly version?: number;
  /** Child execution timeout, from the node's `timeoutSeconds`. */
  readonly executionTimeoutMs?: number;
}

/** Workflow-level data of a compiled workflow (the `WORKFLOW` constant of the generated code). */
export interface WorkflowSpec {
  readonly workflowType: string;
  /** Platform workflow id (`workflows.id`) and compiled version this code was generated from. */
  readonly workflowId: string;
  readonly version: number;
  /** Expression field patterns per node kind (from the kind descriptors). */
  readonly expressionFields: { readonly [kind: string]: readonly string[] };
  /** Activity options per activity node id: timeouts and retry policy. */
  readonly activities: { readonly [nodeId: string]: ActivityOptions };
  /** Per `workflow.child` node id. */
  readonly children: { readonly [nodeId: string]: ChildWorkflowSpec };
  /** Step cache per activity node id (`node.cache` of the definition). */
  readonly cache?: { readonly [nodeId: string]: StepCacheSpec };
  /** Signal names the workflow accepts (buffered from the start of the run). */
  readonly signals: readonly string[];
  /** Declared query names; each answers with the same snapshot as `wbState` unless `queryReturns` names something else. */
  readonly queries: readonly string[];
  /** What a declared query returns (`state`, `input.x`, `steps.<id>.output.x`, `queues.<name>`), by query name. */
  readonly queryReturns?: { readonly [query: string]: string };
  /** Declared work queues by name (their signals, update and query are registered by the run). */
  readonly workQueues?: { readonly [name: string]: WorkQueueSpec };
}

/** How an activity node caches its output: key template (default: hash of the resolved config) and lifetime. */
export interface StepCacheSpec {
  readonly key?: string;
  readonly ttlSeconds?: number;
}

/** Cache lookups and stores are short database calls on the worker: local activities. */
const stepCache = proxyLocalActivities<Pick<StepActivities, 'wbCacheLookup' | 'wbCacheStore'>>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 },
});

/** Outcome of a `signal.wait` node. */
export type SignalWaitOutcome = 'received' | 'timeout';

/** Thrown (internally) when a step fails; `execute` turns it into the workflow failure. */
class StepFailure extends Error {
  constructor(
    readonly nodeId: string,
    readonly nodeKind: string,
    readonly stepNumber: number,
    readonly original: unknown,
    readonly info: StepErrorInfo,
  ) {
    super(info.message);
  }
}

function errorInfo(error: unknown): StepErrorInfo {
  if (error instanceof ActivityFailure || error instanceof ChildWorkflowFailure) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure) {
      return { message: cause.message, type: cause.type ?? 'ApplicationFailure', details: cause.details?.[0] ?? null };
    }
    if (cause instanceof TemporalFailure) return { message: cause.message, type: cause.name };
    return { message: error.message, type: error.name };
  }
  if (error instanceof ExpressionError) {
    return { message: error.message, type: 'ExpressionError', details: { code: error.code, field: error.field ?? null, expression: error.expression } };
  }
  if (error instanceof ApplicationFailure) return { message: error.message, type: error.type ?? 'ApplicationFailure' };
  if (error instanceof Error) return { message: error.message, type: error.name };
  return { message: String(error), type: 'Error' };
}

function failedAttempt(error: unknown): number | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return undefined;
  const details = error.cause.details?.[0] as Partial<StepFailureDetails> | undefined;
  return typeof details?.attempt === 'number' ? details.attempt : undefined;
}

/** Events kept on a `queue.process` step (one per item, rejections, continue-as-new). */
const MAX_CONSUMER_EVENTS = 200;

const PARENT_CLOSE: Record<string, ParentClosePolicy> = {
  terminate: ParentClosePolicy.TERMINATE,
  abandon: ParentClosePolicy.ABANDON,
  request_cancel: ParentClosePolicy.REQUEST_CANCEL,
};

/**
 * Node primitives for one scope: the run itself, or one `flow.forEach` iteration (which sees
 * `item`, `index` and its own step outputs on top of the enclosing scope's).
 */
export class RunScope {
  /** Outputs of the steps run in this scope (`steps.<id>.output`). */
  private readonly outputs: Record<string, { output: unknown }> = {};

  protected readonly root: WorkflowRun;

  constructor(
    root: WorkflowRun | undefined,
    private readonly parent: RunScope | undefined,
    private readonly iteration: { item: unknown; index: number; key: string } | undefined,
  ) {
    // The run is its own root scope.
    this.root = root ?? (this as unknown as WorkflowRun);
  }

  /** The expression context: `{ input, steps, item?, index?, run }`. */
  context(): ExpressionContext {
    const steps: Record<string, { output: unknown }> = {};
    this.collectSteps(steps);
    const context: ExpressionContext = { input: this.root.input, steps, run: { id: this.root.run.runId } };
    const iteration = this.nearestIteration();
    if (iteration !== undefined) {
      context.item = iteration.item;
      context.index = iteration.index;
    }
    return context;
  }

  private collectSteps(into: Record<string, { output: unknown }>): void {
    this.parent?.collectSteps(into);
    for (const [id, value] of Object.entries(this.outputs)) {
      Object.defineProperty(into, id, { value, enumerable: true, writable: true, configurable: true });
    }
  }

  private nearestIteration(): { item: unknown; index: number; key: string } | undefined {
    return this.iteration ?? this.parent?.nearestIteration();
  }

  private iterationKey(): string | null {
    return this.nearestIteration()?.key ?? null;
  }

  private setOutput(nodeId: string, output: unknown): void {
    Object.defineProperty(this.outputs, nodeId, { value: { output }, enumerable: true, writable: true, configurable: true });
    this.root.latestOutputs.set(nodeId, output);
    this.root.changes++;
  }

  /** Outputs of the steps run in this scope itself, by node id. */
  protected ownOutputs(): Record<string, unknown> {
    const outputs: Record<string, unknown> = {};
    for (const [id, value] of Object.entries(this.outputs)) {
      Object.defineProperty(outputs, id, { value: value.output, enumerable: true, writable: true, configurable: true });
    }
    return outputs;
  }

  /** Output of a step run in this scope itself (not in an enclosing one). */
  ownOutput(nodeId: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.outputs, nodeId) ? this.outputs[nodeId]?.output : undefined;
  }

  /** Runs `body` as the step of `nodeId`: opens the record, resolves the config, records the outcome. */
  private async step<T>(
    nodeId: string,
    body: (step: StepRecord, config: Record<string, unknown>) => Promise<{ output: T; retryCount?: number; events?: StepRecord['events']; cached?: boolean }>,
  ): Promise<T> {
    const node = this.root.node(nodeId);
    const recorder = this.root.recorder;
    const atRoot = (this as RunScope) === (this.root as RunScope);
    if (atRoot && this.root.isCompletedBefore(nodeId)) {
      // A root-level step finished before continue-as-new: keep its output, do not run it again.
      const output = this.root.completedOutput(nodeId) as T;
      this.setOutput(nodeId, output);
      return output;
    }
    const step = (atRoot ? this.root.adoptOpenStep(nodeId) : undefined) ?? recorder.start(nodeId, node.kind, this.iterationKey());
    try {
      // Most configs hold no templates: skip the async resolution (each awaited promise costs CPU in the sandbox).
      const config = this.root.plainConfig(nodeId) ?? (await this.root.resolveConfig(nodeId, this.context()));
      step.input = config;
      recorder.changed(step);
      const result = await body(step, config);
      if (result.events !== undefined) step.events.push(...result.events);
      recorder.finish(step, result.cached === true ? 'cached' : 'succeeded', { output: result.output, retryCount: result.retryCount ?? 0 });
      this.setOutput(nodeId, result.output);
      return result.output;
    } catch (error) {
      // The consumer step stays open: the continued run adopts it.
      if (error instanceof ContinueAsNew) throw error;
      if (error instanceof StepFailure) {
        // A step inside this one (forEach body) failed: fail this one too, keep the inner cause.
        recorder.finish(step, 'failed', { error: { message: `step ${error.stepNumber} (${error.nodeId}) failed`, type: 'WbInnerStepFailed' } });
        throw error;
      }
      const attempt = failedAttempt(error);
      if (isCancellation(error)) {
        recorder.finish(step, 'cancelled');
        throw error;
      }
      const info = errorInfo(error);
      recorder.finish(step, 'failed', { error: info, ...(attempt === undefined ? {} : { retryCount: attempt - 1 }) });
      throw new StepFailure(nodeId, node.kind, step.stepNumber, error, info);
    }
  }

  private meta(step: StepRecord): StepActivityMeta {
    const run = this.root.run;
    return {
      runId: run.runId,
      stepNumber: step.stepNumber,
      nodeId: step.nodeId,
      nodeKind: step.nodeKind,
      orgId: run.orgId,
      projectId: run.projectId,
      recordSteps: run.recordSteps,
      workstreamSlug: run.workstreamSlug,
      clientId: run.clientId ?? null,
    };
  }

  private async activity<K extends 'wbHttpRequest' | 'wbAiAgent'>(nodeId: string, name: K): Promise<unknown> {
    return this.step(nodeId, async (step, config) => {
      const options: ActivityOptions = {
        startToCloseTimeout: 60_000,
        ...this.root.spec.activities[nodeId],
        activityId: `${nodeId}#${step.stepNumber}`,
        summary: nodeId,
      };
      // Own keys only: the spec is an object literal, and a node id such as `toString` must not find Object.prototype's member.
      const caches = this.root.spec.cache;
      const cache = caches !== undefined && Object.prototype.hasOwnProperty.call(caches, nodeId) ? caches[nodeId] : undefined;
      let cacheKey: string | null = null;
      if (cache !== undefined) {
        // A hit skips the activity: the stored output is the step's output, recorded as `cached`.
        const given = cache.key === undefined ? null : await this.cacheKey(nodeId, cache.key);
        const found = await stepCache.wbCacheLookup(this.meta(step), { workflowId: this.root.run.workflowId, nodeId, key: given, config });
        if (found.hit) {
          this.root.recorder.event(step, 'cache_hit', { key: found.key });
          return { output: found.output, cached: true };
        }
        cacheKey = found.key;
      }
      const activities = proxyActivities<StepActivities>(options);
      const call = activities[name] as (meta: StepActivityMeta, input: Record<string, unknown>) => Promise<StepActivityResult>;
      const result = await call(this.meta(step), config);
      if (cache !== undefined && cacheKey !== null) {
        await stepCache.wbCacheStore(this.meta(step), {
          workflowId: this.root.run.workflowId, nodeId, key: cacheKey, output: result.output ?? null, ttlSeconds: cache.ttlSeconds ?? null,
        });
      }
      return { output: result.output, retryCount: Math.max(0, result.attempt - 1), events: result.events };
    });
  }

  /** The node's cache key: its `{{ }}` template evaluated (as text), or the literal text. */
  private async cacheKey(nodeId: string, template: string): Promise<string> {
    if (!isExpression(template)) return template;
    const value = await evaluateTemplate(template, this.context(), { nodeId, field: 'cache.key' });
    return typeof value === 'string' ? value : JSON.stringify(value ?? null);
  }

  /** `trigger.*`: the run input becomes the trigger's output. */
  trigger(nodeId: string): Promise<unknown> {
    return this.step(nodeId, async () => ({ output: this.root.input }));
  }

  /** `http.request` through the `wbHttpRequest` activity. */
  httpRequest(nodeId: string): Promise<unknown> {
    return this.activity(nodeId, ACTIVITY_NAMES.httpRequest);
  }

  /** `ai.agent` through the `wbAiAgent` activity. */
  aiAgent(nodeId: string): Promise<unknown> {
    return this.activity(nodeId, ACTIVITY_NAMES.aiAgent);
  }

  /** `transform`: the resolved mapping is the output. */
  transform(nodeId: string): Promise<unknown> {
    return this.step(nodeId, async (_step, config) => ({ output: config['mapping'] ?? {} }));
  }

  /**
   * Runs the step of a kind that picks the path the run follows, and returns that path. At the
   * root, the path is kept for continue-as-new: a step finished before is not run again, and the
   * continued run takes the path it took then (`fromOutput` reads it from the carried output
   * when a run continued by older code carried no path).
   */
  private async pathStep<P extends string>(
    nodeId: string,
    body: (step: StepRecord, config: Record<string, unknown>) => Promise<{ output: unknown; path: P }>,
    fromOutput: (output: unknown) => P,
  ): Promise<P> {
    let path: P | undefined;
    const output = await this.step(nodeId, async (step, config) => {
      const result = await body(step, config);
      path = result.path;
      return { output: result.output };
    });
    if ((this as RunScope) !== (this.root as RunScope)) return path ?? fromOutput(output);
    // No path from the body: the step finished before continue-as-new.
    path ??= (this.root.carriedPath(nodeId) as P | undefined) ?? fromOutput(output);
    this.root.paths.set(nodeId, path);
    return path;
  }

  /** `branch.if`: the condition cast like JSONata `$boolean()`. */
  async branchIf(nodeId: string): Promise<boolean> {
    const path = await this.pathStep(nodeId, async (_step, config) => {
      const condition = isTruthy(config['condition']);
      return { output: condition, path: condition ? 'true' : 'false' };
    }, (output) => (output === true ? 'true' : 'false'));
    return path === 'true';
  }

  /** `branch.switch`: the handle id of the first case equal to the value, else `default`. */
  branchSwitch(nodeId: string): Promise<string> {
    return this.pathStep(nodeId, async (_step, config) => {
      const value = config['value'];
      const cases = Array.isArray(config['cases']) ? (config['cases'] as Array<{ id: string; equals: unknown }>) : [];
      const match = cases.find((candidate) => jsonEquals(candidate.equals, value));
      const path = match?.id ?? 'default';
      return { output: { value, case: path }, path };
    }, (output) => String((output as { case?: unknown } | null)?.case ?? 'default'));
  }

  /** `flow.parallel`: runs every branch concurrently (`Promise.all`). */
  async parallel(nodeId: string, branches: ReadonlyArray<() => Promise<void>>): Promise<void> {
    await this.step(nodeId, async () => ({ output: null }));
    await Promise.all(branches.map((branch) => branch()));
  }

  /** `flow.join`: maps each incoming node id to its output. */
  join(nodeId: string, sources: readonly string[]): Promise<unknown> {
    return this.step(nodeId, async () => {
      const steps = this.context().steps;
      const output: Record<string, unknown> = {};
      for (const source of sources) {
        Object.defineProperty(output, source, { value: steps[source]?.output ?? null, enumerable: true, writable: true, configurable: true });
      }
      return { output };
    });
  }

  /**
   * `flow.forEach`: runs `body` once per item, at most `concurrency` at a time; the output is the
   * list of each iteration's `resultNodeId` output (the body's last node), in item order.
   */
  forEach(nodeId: string, resultNodeId: string, body: (scope: RunScope) => Promise<void>): Promise<unknown[]> {
    return this.step(nodeId, async (step, config) => {
      const items = config['items'];
      if (!Array.isArray(items)) {
        throw ApplicationFailure.nonRetryable(`items must be an array, got ${items === null ? 'null' : typeof items}`, 'WbInvalidItems');
      }
      const limit = typeof config['concurrency'] === 'number' && config['concurrency'] >= 1 ? Math.floor(config['concurrency']) : 5;
      this.root.recorder.event(step, 'items', { count: items.length, concurrency: limit });
      const prefix = this.iterationKey();
      const output = await forEachWithConcurrency(items, limit, async (item, index) => {
        const key = `${prefix === null ? '' : `${prefix}/`}${nodeId}:${index}`;
        const scope = new RunScope(this.root, this, { item, index, key });
        await body(scope);
        return scope.ownOutput(resultNodeId) ?? null;
      });
      return { output };
    });
  }

  /**
   * `queue.process`: runs `body` once per item taken from the work queue, one at a time, until
   * its stop signal; may continue the run as new between items (see `work-queue.ts`). Body steps
   * get the iteration key `<nodeId>:<n>`, n counting items across continue-as-new.
   */
  processQueue(nodeId: string, resultNodeId: string, body: (scope: RunScope) => Promise<void>): Promise<unknown> {
    return this.step(nodeId, async (step, config) => {
      const prefix = this.iterationKey();
      const output = await consumeQueue(this.root.queueHost(), step.events, config, async (item, index) => {
        const key = `${prefix === null ? '' : `${prefix}/`}${nodeId}:${index}`;
        const scope = new RunScope(this.root, this, { item, index, key });
        await body(scope);
        this.root.recorder.event(step, 'item', { index, result: scope.ownOutput(resultNodeId) ?? null });
        // The step (events included) is carried over continue-as-new: keep only the latest events.
        if (step.events.length > MAX_CONSUMER_EVENTS) step.events.splice(0, step.events.length - MAX_CONSUMER_EVENTS);
        this.root.recorder.changed(step);
      });
      return { output };
    });
  }

  /** `flow.delay`: a durable timer. */
  delay(nodeId: string): Promise<unknown> {
    return this.step(nodeId, async (_step, config) => {
      const duration = config['duration'];
      const ms = typeof duration === 'string' ? parseDuration(duration) : undefined;
      if (ms === undefined) throw ApplicationFailure.nonRetryable(`invalid duration ${JSON.stringify(duration)}`, 'WbInvalidDuration');
      await this.root.recorder.flush();
      await sleep(ms, { summary: nodeId });
      return { output: null };
    });
  }

  /** `signal.wait`: waits for the next signal of that name, or for the timeout. */
  waitForSignal(nodeId: string): Promise<SignalWaitOutcome> {
    // A run continued by older code carried no path: it always took `received` then.
    return this.pathStep<SignalWaitOutcome>(nodeId, async (step, config) => {
      const name = String(config['signalName']);
      const timeoutSeconds = config['timeoutSeconds'];
      await this.root.recorder.flush();
      const arrived = () => this.root.hasSignal(name);
      let received = true;
      if (typeof timeoutSeconds === 'number') received = await condition(arrived, timeoutSeconds * 1000);
      else await condition(arrived);
      if (!received) {
        this.root.recorder.event(step, 'timeout', { timeoutSeconds });
        return { output: null, path: 'timeout' };
      }
      const payload = this.root.takeSignal(name);
      this.root.recorder.event(step, 'signal', { name });
      return { output: payload, path: 'received' };
    }, () => 'received');
  }

  /** `workflow.child`: runs another compiled workflow as a Temporal child workflow. */
  childWorkflow(nodeId: string): Promise<unknown> {
    return this.step(nodeId, async (step, config) => {
      const child = this.root.spec.children[nodeId];
      if (child === undefined) throw ApplicationFailure.nonRetryable(`no child workflow compiled for node ${nodeId}`, 'WbMissingChild');
      const parent = this.root.run;
      const block = config['blockUntil'] as BlockUntil | undefined;
      if (block !== undefined) {
        const root = this.root;
        const waits = await waitUntilUnblocked(block, {
          completed: (id) => root.latestOutputs.has(id),
          hasSignal: (name) => root.hasSignal(name),
          context: () => this.context(),
          changes: () => root.changes,
        }, nodeId, async (open) => {
          root.recorder.event(step, 'blocked', { waitingFor: open });
          root.recorder.changed(step);
          await root.recorder.flush();
        });
        if (waits > 0) root.recorder.event(step, 'unblocked', {});
      }
      const run: RunContextInfo = {
        ...parent,
        runId: uuid4(),
        workflowId: child.workflowId ?? parent.workflowId,
        version: child.version ?? parent.version,
        parentRunId: parent.runId,
        parentStepNumber: step.stepNumber,
        parentWorkflowId: workflowInfo().workflowId,
        parentAllows: { signal: config['canSignalParent'] === true, query: config['canQueryParent'] === true },
        temporalWorkflowId: `${workflowInfo().workflowId}/${nodeId}#${step.stepNumber}`,
        temporalRunId: null,
      };
      const args: WorkflowRunArgs = { input: config['input'] ?? {}, run };
      const policy = PARENT_CLOSE[String(config['parentClosePolicy'] ?? 'terminate')] ?? ParentClosePolicy.TERMINATE;
      const options = {
        workflowId: run.temporalWorkflowId!,
        taskQueue: child.taskQueue,
        args: [args] as [WorkflowRunArgs],
        parentClosePolicy: policy,
        staticSummary: nodeId,
        ...(child.executionTimeoutMs === undefined ? {} : { workflowExecutionTimeout: child.executionTimeoutMs }),
      };
      this.root.recorder.event(step, 'child', { workflowId: options.workflowId, workflowType: child.workflowType, runId: run.runId });
      // An event alone does not mark the step for the next batch.
      this.root.recorder.changed(step);
      await this.root.recorder.flush();
      if (config['waitForCompletion'] === false) {
        const handle = await startChild(child.workflowType, options);
        return { output: { workflowId: handle.workflowId, runId: handle.firstExecutionRunId } };
      }
      return { output: await executeChild(child.workflowType, options) };
    });
  }

  /** `signal.parent`: signals the run that started this one, when its `workflow.child` node allows it. */
  signalParent(nodeId: string): Promise<unknown> {
    return this.step(nodeId, async (step, config) => {
      const run = this.root.run;
      const name = String(config['signalName']);
      if (!run.parentWorkflowId) throw ApplicationFailure.nonRetryable('this run was not started by a parent workflow', 'WbNoParent');
      if (run.parentAllows?.signal !== true) {
        throw ApplicationFailure.nonRetryable('the parent\'s Run workflow node does not allow this child to signal it', 'WbParentSignalNotAllowed');
      }
      const payload = config['payload'] ?? {};
      await getExternalWorkflowHandle(run.parentWorkflowId).signal(name, payload);
      this.root.recorder.event(step, 'signal_sent', { name, parentWorkflowId: run.parentWorkflowId });
      return { output: { signalName: name, parentWorkflowId: run.parentWorkflowId } };
    });
  }

  /** `query.parent`: asks the parent run a query (through an activity), when its `workflow.child` node allows it. */
  queryParent(nodeId: string): Promise<unknown> {
    return this.step(nodeId, async (step, config) => {
      const run = this.root.run;
      const queryName = String(config['queryName'] ?? STATE_QUERY);
      if (!run.parentWorkflowId) throw ApplicationFailure.nonRetryable('this run was not started by a parent workflow', 'WbNoParent');
      if (run.parentAllows?.query !== true) {
        throw ApplicationFailure.nonRetryable('the parent\'s Run workflow node does not allow this child to query it', 'WbParentQueryNotAllowed');
      }
      const activities = proxyActivities<StepActivities>({ startToCloseTimeout: 30_000, retry: { maximumAttempts: 3 }, activityId: `${nodeId}#${step.stepNumber}`, summary: nodeId });
      const output = await activities.wbQueryWorkflow(this.meta(step), { workflowId: run.parentWorkflowId, queryName });
      return { output };
    });
  }

  /** `output.end`: builds the run's result; the generated code returns it. */
  end(nodeId: string): Promise<unknown> {
    return this.step(nodeId, async (_step, config) => ({ output: config['output'] ?? {} }));
  }
}

/**
 * One run of a compiled workflow: the root scope, plus the signal buffers, queries and the
 * recorder. Generated code creates one per run and wraps its body in {@link WorkflowRun.execute}.
 *
 * @example
 * export async function wf_send_invoice_v3(args: WorkflowRunArgs): Promise<unknown> {
 *   const run = new WorkflowRun(args, NODES, WORKFLOW);
 *   return run.execute(async () => {
 *     await run.trigger("start");
 *     await run.httpRequest("fetch");
 *     return run.end("done");
 *   });
 * }
 */
export class WorkflowRun extends RunScope {
  readonly input: unknown;
  readonly run: RunContextInfo;
  readonly recorder: StepRecorder;
  private readonly overrides: Record<string, Record<string, unknown>>;
  private readonly signalQueues = new Map<string, unknown[]>();
  /** Latest output of every node in any scope (what queries with `returns: steps.<id>.output` read). */
  readonly latestOutputs = new Map<string, unknown>();
  /** Moves whenever a step completes or a signal arrives (what `blockUntil` waits on). */
  changes = 0;
  private readonly queues: Map<string, WorkQueue>;
  private readonly resume: RunResume | undefined;

  constructor(
    args: WorkflowRunArgs,
    private readonly nodes: NodeTable,
    readonly spec: WorkflowSpec,
  ) {
    super(undefined, undefined, undefined);
    this.input = args.input ?? {};
    // A scheduled start carries no run id: assign one (uuid4 is deterministic on replay).
    const info = workflowInfo();
    this.run = args.run.runId
      ? args.run
      : { ...args.run, runId: uuid4(), temporalWorkflowId: info.workflowId, temporalRunId: info.runId };
    this.overrides = args.configOverrides ?? {};
    this.resume = args.resume;
    this.args = args;
    this.recorder = new StepRecorder(this.run, args.configOverrides ?? null, args.resume);
    for (const [id, output] of Object.entries(args.resume?.completed ?? {})) this.latestOutputs.set(id, output);
    this.queues = registerWorkQueues(spec.workQueues, args.resume?.queues as Record<string, WorkQueueSnapshot> | undefined);
    for (const name of spec.signals) {
      const queue: unknown[] = [];
      this.signalQueues.set(name, queue);
      setHandler(defineSignal<[unknown?]>(name), (payload?: unknown) => {
        queue.push(payload === undefined ? null : payload);
        this.changes++;
      });
    }
    setHandler(defineQuery(STATE_QUERY), () => this.recorder.state());
    for (const name of spec.queries) {
      if (name === STATE_QUERY) continue;
      const returns = spec.queryReturns !== undefined && Object.prototype.hasOwnProperty.call(spec.queryReturns, name) ? spec.queryReturns[name] : undefined;
      setHandler(defineQuery(name), () =>
        answerQuery(returns ?? 'state', { state: () => this.recorder.state(), input: this.input, outputs: this.latestOutputs, queues: this.queues }),
      );
    }
  }

  private readonly args: WorkflowRunArgs;

  isCompletedBefore(nodeId: string): boolean {
    return this.resume !== undefined && Object.prototype.hasOwnProperty.call(this.resume.completed, nodeId);
  }

  completedOutput(nodeId: string): unknown {
    return this.resume?.completed[nodeId];
  }

  /** Paths taken by root-level steps of kinds that pick one (carried over continue-as-new). */
  readonly paths = new Map<string, string>();

  /** The path a step finished before continue-as-new took, if one was carried. */
  carriedPath(nodeId: string): string | undefined {
    const paths = this.resume?.paths;
    return paths !== undefined && Object.prototype.hasOwnProperty.call(paths, nodeId) ? paths[nodeId] : undefined;
  }

  /** The step of `nodeId` left open by the previous Temporal run of this platform run, if any. */
  adoptOpenStep(nodeId: string): StepRecord | undefined {
    const open = this.resume?.open.find((step) => step.nodeId === nodeId && (step.iterationKey ?? null) === null);
    if (open === undefined) return undefined;
    this.resume?.open.splice(this.resume.open.indexOf(open), 1);
    const step = this.recorder.adopt(open);
    this.recorder.event(step, 'continued_as_new', { generation: this.resume?.generation ?? 0, temporalRunId: workflowInfo().runId });
    return step;
  }

  /** What `queue.process` steps use of the run. */
  queueHost() {
    return {
      queue: (name: string) => this.queues.get(name),
      flush: () => this.recorder.flush(),
      continueAsNewSuggested: () => workflowInfo().continueAsNewSuggested,
      continueAsNew: () => this.continueAsNewCarrying(),
    };
  }

  /** Continues this platform run as a new Temporal run, carrying steps, outputs and queues over. */
  private async continueAsNewCarrying(): Promise<never> {
    await this.recorder.flush();
    const queues: Record<string, unknown> = {};
    for (const [name, queue] of this.queues) queues[name] = queue.snapshot();
    const completed: Record<string, unknown> = { ...this.resume?.completed, ...this.ownOutputs() };
    // An undefined output would vanish from the JSON payload, and the step would run again.
    for (const [id, output] of Object.entries(completed)) if (output === undefined) completed[id] = null;
    const resume: RunResume = {
      nextStepNumber: this.recorder.nextNumber,
      startedAt: this.recorder.startedAt,
      completed,
      open: this.recorder.state().steps.filter((step) => step.status === 'running' && (step.iterationKey ?? null) === null),
      paths: { ...this.resume?.paths, ...Object.fromEntries(this.paths) },
      finished: this.recorder.carriedSteps(),
      queues,
      generation: (this.resume?.generation ?? 0) + 1,
    };
    return continueAsNew<(args: WorkflowRunArgs) => Promise<unknown>>({ ...this.args, run: this.run, resume });
  }

  node(nodeId: string): NodeSpec {
    const node = this.nodes[nodeId];
    if (node === undefined || !Object.prototype.hasOwnProperty.call(this.nodes, nodeId)) {
      throw ApplicationFailure.nonRetryable(`unknown node ${nodeId}`, 'WbUnknownNode');
    }
    return node;
  }

  /** Node config with the client's overrides merged over it and templates evaluated. */
  async resolveConfig(nodeId: string, context: ExpressionContext): Promise<Record<string, unknown>> {
    const node = this.node(nodeId);
    const override = Object.prototype.hasOwnProperty.call(this.overrides, nodeId) ? this.overrides[nodeId] : undefined;
    const merged = (override === undefined ? cloneJson(node.config) : mergeConfig(node.config, override)) as Record<string, unknown>;
    return resolveTemplates(merged, this.spec.expressionFields[node.kind] ?? [], context, nodeId);
  }

  private readonly plainNodes = new Map<string, boolean>();

  /** A copy of the node's config when it has no client override and no `{{ }}` template, else undefined. */
  plainConfig(nodeId: string): Record<string, unknown> | undefined {
    if (Object.prototype.hasOwnProperty.call(this.overrides, nodeId)) return undefined;
    const node = this.node(nodeId);
    let plain = this.plainNodes.get(nodeId);
    if (plain === undefined) {
      plain = !JSON.stringify(node.config ?? {}).includes('{{');
      this.plainNodes.set(nodeId, plain);
    }
    return plain ? (cloneJson(node.config ?? {}) as Record<string, unknown>) : undefined;
  }

  hasSignal(name: string): boolean {
    return (this.signalQueues.get(name)?.length ?? 0) > 0;
  }

  takeSignal(name: string): unknown {
    return this.signalQueues.get(name)?.shift();
  }

  /**
   * Runs the workflow body and records the outcome: the final batch on success, on failure
   * (then rethrown as an `ApplicationFailure` naming the node) and on cancellation (recorded in a
   * non-cancellable scope, then rethrown).
   */
  async execute(body: () => Promise<unknown>): Promise<unknown> {
    const recorder = this.recorder;
    try {
      const output = await body();
      recorder.status = 'completed';
      recorder.output = output === undefined ? null : cloneJson(output);
      await recorder.flush();
      return recorder.output;
    } catch (error) {
      if (error instanceof ContinueAsNew) throw error;
      if (isCancellation(error)) {
        recorder.status = 'cancelled';
        recorder.error = { message: 'run cancelled', type: 'CancelledFailure' };
        recorder.closeOpenSteps('run cancelled');
        await CancellationScope.nonCancellable(() => recorder.flush());
        throw error;
      }
      const failure = this.toFailure(error);
      recorder.status = 'failed';
      recorder.error = { message: failure.message, type: failure.type ?? 'ApplicationFailure', details: failure.details?.[0] ?? null };
      recorder.closeOpenSteps('run failed');
      await recorder.flush();
      throw failure;
    }
  }

  private toFailure(error: unknown): ApplicationFailure {
    if (error instanceof StepFailure) {
      return ApplicationFailure.create({
        message: `node "${error.nodeId}" (${error.nodeKind}) failed: ${error.info.message}`,
        type: 'WbStepFailed',
        nonRetryable: true,
        details: [{ nodeId: error.nodeId, nodeKind: error.nodeKind, stepNumber: error.stepNumber, error: error.info }],
        cause: error.original instanceof Error ? error.original : undefined,
      });
    }
    const info = errorInfo(error);
    return ApplicationFailure.create({ message: `run failed: ${info.message}`, type: 'WbRunFailed', nonRetryable: true, details: [{ error: info }] });
  }
}

