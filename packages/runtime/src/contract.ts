/**
 * The contract between generated workflow code (running in Temporal's sandbox), the activities
 * the worker provides, and the platform's run recorder. Pure types and constants: safe to import
 * from the sandbox, the worker and the API.
 */

/** Identity of a run on the platform, passed as the workflow's single argument together with the input. */
export interface RunContextInfo {
  /** user_workflow_run.run_id */
  runId: string;
  orgId: string;
  projectId: string;
  /** workflows.id */
  workflowId: string;
  workstreamSlug: string;
  clientId?: string | null;
  requestId?: string | null;
  /** Compiled version this run executes (workflow_compiled_code.version). */
  version: number;
  /** When false, steps are not written to user_workflow_run_step (benchmarks measure the cost). */
  recordSteps: boolean;
  /** For a run started by a `workflow.child` node: the parent's runId (the child gets a fresh runId). */
  parentRunId?: string | null;
  /** For a child run: the parent's step that started it. */
  parentStepNumber?: number | null;
  /** For a child run: the parent's Temporal workflow id (what `signal.parent` signals). */
  parentWorkflowId?: string | null;
  /** For a child run: what the parent's `workflow.child` node allows (canSignalParent / canQueryParent). */
  parentAllows?: { signal: boolean; query: boolean } | null;
  /**
   * For runs Temporal starts on its own (schedules): `runId` is empty in the start arguments and the
   * workflow assigns one; the first record creates the run row, attributed to `createdBy` (users.id).
   */
  createdBy?: string | null;
  channel?: string | null;
  temporalWorkflowId?: string | null;
  temporalRunId?: string | null;
}

/** The single argument of every generated workflow function. */
export interface WorkflowRunArgs {
  input: unknown;
  run: RunContextInfo;
  /** Per-node config overrides (client configs merged by the platform); saved as config_snapshot. */
  configOverrides?: Record<string, Record<string, unknown>>;
  /** Set when a work queue's consumer continued as new: the same platform run goes on. */
  resume?: RunResume;
}

/**
 * What a run carries over continue-as-new (see runtime `work-queue.ts`): the platform run
 * (`run.runId`) stays the same, step numbers continue, finished root-level steps are not run
 * again, and the work queues keep their items and counters.
 */
/** Finished steps carried over continue-as-new for the `wbState` query (the most recent ones). */
export const MAX_CARRIED_STEPS = 50;

export interface RunResume {
  nextStepNumber: number;
  /** The platform run's start time (the first Temporal run's). */
  startedAt: string;
  /** Outputs of the root-level steps finished before, by node id. */
  completed: Record<string, unknown>;
  /** Steps still open (the queue consumer): they keep their step numbers. */
  open: StepRecord[];
  /**
   * Path taken by each root-level step finished before whose kind picks one (`signal.wait`:
   * `received`/`timeout`, `branch.if`: `true`/`false`, `branch.switch`: the case id), by node id:
   * the continued run replays its body down the same paths. Absent in runs continued by older code.
   */
  paths?: Record<string, string>;
  /**
   * The most recent finished steps (at most `MAX_CARRIED_STEPS`), so `wbState` still lists them
   * after continue-as-new. Already recorded: they are not sent again.
   */
  finished?: StepRecord[];
  /** Work queue snapshots by queue name (runtime `WorkQueueSnapshot`). */
  queues: Record<string, unknown>;
  /** How many times this run continued as new. */
  generation: number;
}

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'cached';
export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed_out';

export interface StepEvent {
  type: string;
  /** ISO timestamp (workflow time inside the sandbox). */
  timestamp: string;
  data?: unknown;
}

export interface StepErrorInfo {
  message: string;
  type?: string;
  details?: unknown;
}

/** One row of user_workflow_run_step, as the workflow knows it. */
export interface StepRecord {
  stepNumber: number;
  nodeId: string;
  nodeKind: string;
  /** For steps inside flow.forEach: the iteration path, e.g. "loop:3". */
  iterationKey?: string | null;
  status: StepStatus;
  /** Retries before the final attempt (attempt - 1). */
  retryCount: number;
  startedAt: string | null;
  endedAt: string | null;
  input?: unknown;
  output?: unknown;
  events: StepEvent[];
  error?: StepErrorInfo | null;
}

/** What the workflow reports to the recorder: run-level state plus the steps changed since the last report. */
export interface RunRecordBatch {
  run: RunContextInfo;
  status: RunStatus;
  startedAt?: string;
  endedAt?: string | null;
  output?: unknown;
  error?: StepErrorInfo | null;
  configSnapshot?: unknown;
  steps: StepRecord[];
}

/** Metadata every step activity receives, so activity-side events land on the right step row. */
export interface StepActivityMeta {
  runId: string;
  stepNumber: number;
  nodeId: string;
  nodeKind: string;
  orgId: string;
  projectId: string;
  recordSteps: boolean;
  /** The run's workstream and client: they travel with every step (lookups, structured logs). */
  workstreamSlug?: string;
  clientId?: string | null;
}

/** What step activities return: the output plus the attempt that produced it. */
export interface StepActivityResult<T = unknown> {
  output: T;
  attempt: number;
  events?: StepEvent[];
}

/** Activity names the generated code calls. The worker registers implementations for all of them. */
export const ACTIVITY_NAMES = {
  httpRequest: 'wbHttpRequest',
  aiAgent: 'wbAiAgent',
  recordRun: 'wbRecordRun',
  cacheLookup: 'wbCacheLookup',
  cacheStore: 'wbCacheStore',
  queryWorkflow: 'wbQueryWorkflow',
} as const;

/** Names of the workflow-side sinks used for best-effort live progress (no history cost). */
export const PROGRESS_SINK = 'wbProgress';

// ---------------------------------------------------------------------------------------------
// Additions by the compiler/runtime work (see packages/runtime/README.md).
// ---------------------------------------------------------------------------------------------

/** Resolved `http.request` config: what `wbHttpRequest` receives (templates already evaluated). */
export interface HttpRequestInput {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** Values are sent as strings (non-strings from expressions are converted). */
  headers?: Record<string, unknown>;
  /** Appended to the URL's query string. */
  query?: Record<string, unknown>;
  /** A string is sent as text; any other value is sent as JSON. */
  body?: unknown;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Accepted statuses; empty or absent: any 2xx. */
  expectStatus?: number[];
  responseType?: 'json' | 'text';
}

/** Output of `http.request` (`steps.<id>.output`). */
export interface HttpResponseOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Resolved `ai.agent` config: what `wbAiAgent` receives. */
export interface AiAgentInput {
  model: string;
  /** Inline prompt text (templates evaluated). */
  prompt?: string;
  /** An `agent_prompts` row id: the platform worker resolves it (and `variables`) to prompt text. */
  promptId?: string;
  /** Values for the saved prompt's `{{name}}` placeholders. */
  variables?: Record<string, unknown>;
  systemPrompt?: string;
  temperature?: number;
  maxTokens?: number;
}

/** Output of `ai.agent` (`steps.<id>.output`). */
export interface AiAgentOutput {
  text: string;
  usage?: { inputTokens: number; outputTokens: number };
  model?: string;
}

/**
 * Activity interface the generated code proxies (`proxyActivities<StepActivities>`); the worker
 * registers an implementation under each `ACTIVITY_NAMES` value.
 */
export interface StepActivities {
  wbHttpRequest(meta: StepActivityMeta, input: HttpRequestInput): Promise<StepActivityResult<HttpResponseOutput>>;
  wbAiAgent(meta: StepActivityMeta, input: AiAgentInput): Promise<StepActivityResult<AiAgentOutput>>;
  wbRecordRun(batch: RunRecordBatch): Promise<void>;
  wbCacheLookup(meta: StepActivityMeta, input: CacheLookupInput): Promise<CacheLookupResult>;
  wbCacheStore(meta: StepActivityMeta, input: CacheStoreInput): Promise<void>;
  /** `query.parent`: queries another workflow (workflows cannot query directly). */
  wbQueryWorkflow(meta: StepActivityMeta, input: QueryWorkflowInput): Promise<unknown>;
}

/** What `wbQueryWorkflow` asks: a query of a running workflow, by Temporal workflow id. */
export interface QueryWorkflowInput {
  workflowId: string;
  queryName: string;
}

/**
 * Step cache lookup (`user_workflow_cache_state`): an earlier output of the same workflow and
 * node under the same key that has not expired. `key` null: the worker derives it from the
 * resolved `config` (a hash), so equal configs share an entry.
 */
export interface CacheLookupInput {
  workflowId: string;
  nodeId: string;
  key: string | null;
  config: unknown;
}

/** The key used (derived or given) and, on a hit, the stored output. */
export interface CacheLookupResult {
  hit: boolean;
  key: string;
  output?: unknown;
}

/** Stores a step's output under the key the lookup returned. */
export interface CacheStoreInput {
  workflowId: string;
  nodeId: string;
  key: string;
  output: unknown;
  /** Null: kept until overwritten. */
  ttlSeconds: number | null;
}

/**
 * `ApplicationFailure.type` values thrown by step activities; their first `details` element is a
 * {@link StepFailureDetails}, so the workflow can record the attempt of a failed step.
 */
export const STEP_FAILURE_TYPES = {
  httpStatus: 'WbHttpStatusError',
  httpTimeout: 'WbHttpTimeoutError',
  httpTooLarge: 'WbHttpResponseTooLarge',
  httpInvalidResponse: 'WbHttpInvalidResponse',
  httpNetwork: 'WbHttpNetworkError',
  invalidInput: 'WbInvalidInput',
  aiAgent: 'WbAiAgentError',
  missingSecret: 'WbMissingSecret',
} as const;

/** First element of `ApplicationFailure.details` for failures thrown by step activities. */
export interface StepFailureDetails {
  attempt: number;
  status?: number;
  body?: unknown;
  events?: StepEvent[];
}

/**
 * Best-effort live progress (`proxySinks`, not awaited, not replayed): a `RunRecordBatch` with the
 * one step that changed (or no steps when only the run status changed). Same shape as the
 * authoritative batches, so a recorder can treat both alike.
 */
export type ProgressSinks = {
  [PROGRESS_SINK]: {
    report(batch: RunRecordBatch): void;
  };
};

/**
 * `ApplicationFailure.type` of a work queue's `<queue>_enqueue` update rejected by its validator
 * (the API answers 409 with the failure's message).
 */
export const QUEUE_REJECTION_TYPES = { full: 'WbQueueFull', duplicate: 'WbQueueDuplicate' } as const;

/** Built-in query every generated workflow answers with the steps recorded so far. */
export const STATE_QUERY = 'wbState';

/** What the `wbState` query returns. */
export interface RunStateSnapshot {
  status: RunStatus;
  steps: StepRecord[];
  output?: unknown;
  error?: StepErrorInfo | null;
}
