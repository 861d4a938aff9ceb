/**
 * Sandbox-safe runtime library for generated workflow code. Imports only `@temporalio/workflow`,
 * `jsonata` (through `expressions.ts`) and relative files: this folder is copied as source into
 * every exported project.
 */
export { WorkflowRun, RunScope, type NodeSpec, type NodeTable, type WorkflowSpec, type ChildWorkflowSpec, type SignalWaitOutcome } from './workflow-run.ts';
export { WorkQueue, consumeQueue, registerWorkQueues, fieldAt, type WorkQueueSpec, type WorkQueueState, type WorkQueueSnapshot, type EnqueueResult } from './work-queue.ts';
export { answerQuery } from './query-returns.ts';
export { forEachWithConcurrency } from './for-each.ts';
export { mergeConfig, resolveTemplates, cloneJson } from './config.ts';
export { StepRecorder, nowIso } from './recorder.ts';
export type { WorkflowRunArgs } from '../contract.ts';
