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
}

/** The single argument of every generated workflow function. */
export interface WorkflowRunArgs {
  input: unknown;
  run: RunContextInfo;
  /** Per-node config overrides (client configs merged by the platform); saved as config_snapshot. */
  configOverrides?: Record<string, Record<string, unknown>>;
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
} as const;

/** Names of the workflow-side sinks used for best-effort live progress (no history cost). */
export const PROGRESS_SINK = 'wbProgress';
