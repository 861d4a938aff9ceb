/**
 * Node-side step activities for compiled workflows (HTTP, AI agent, run recording) and the
 * worker-side progress sink.
 */
import { ACTIVITY_NAMES } from '../contract.ts';
import { createAiAgentActivity, type SecretsProvider } from './ai-agent.ts';
import { createHttpRequestActivity, type FetchFn } from './http-request.ts';
import type { RecordRunFn } from './record-run.ts';
import { noStepCache, type StepCacheActivities } from './step-cache.ts';
import { createQueryWorkflowActivity } from './query-workflow.ts';

export { createHttpRequestActivity, currentAttempt, stepFailure, DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES, type FetchFn } from './http-request.ts';
export { createAiAgentActivity, envSecrets, fillPrompt, type AiEndpoint, type ResolvedPrompt, type SecretsProvider } from './ai-agent.ts';
export { consoleRecordRun, type RecordRunFn } from './record-run.ts';
export { progressSinks } from './progress-sinks.ts';
export { noStepCache, type StepCacheActivities } from './step-cache.ts';

/** Options of {@link createStepActivities}. */
export interface StepActivitiesOptions {
  secrets: SecretsProvider;
  /** Writes run batches (the platform's recorder, or `consoleRecordRun()` standalone). */
  recordRun: RecordRunFn;
  fetch?: FetchFn;
  /** Per-attempt timeout of model calls (default 120 s). */
  aiTimeoutMs?: number;
  /** The step cache (the platform's user_workflow_cache_state); default: none, every lookup misses. */
  cache?: StepCacheActivities;
}

/**
 * Every activity generated code calls, keyed by `ACTIVITY_NAMES`, ready for `Worker.create({ activities })`.
 *
 * @example
 * const activities = createStepActivities({ secrets: envSecrets(process.env), recordRun: consoleRecordRun() })
 * await Worker.create({ connection, taskQueue, workflowsPath, activities })
 */
export function createStepActivities(options: StepActivitiesOptions) {
  const fetchOption = options.fetch === undefined ? {} : { fetch: options.fetch };
  return {
    [ACTIVITY_NAMES.httpRequest]: createHttpRequestActivity(fetchOption),
    [ACTIVITY_NAMES.aiAgent]: createAiAgentActivity({
      secrets: options.secrets,
      ...fetchOption,
      ...(options.aiTimeoutMs === undefined ? {} : { timeoutMs: options.aiTimeoutMs }),
    }),
    [ACTIVITY_NAMES.recordRun]: options.recordRun,
    [ACTIVITY_NAMES.cacheLookup]: (options.cache ?? noStepCache()).lookup,
    [ACTIVITY_NAMES.cacheStore]: (options.cache ?? noStepCache()).store,
    [ACTIVITY_NAMES.queryWorkflow]: createQueryWorkflowActivity(),
  };
}
