/**
 * @workflow-builder/definition: the workflow definition schema, node-kind descriptors,
 * expressions, validation and graph structure shared by the web app, the API and the compiler.
 * Pure: safe in the browser and in the Temporal workflow sandbox.
 */
export * from './schema.ts'
export type { Problem, ProblemCode } from './problem.ts'
export * from './patterns.ts'
export * from './field-path.ts'
export * from './node-kind.ts'
export * from './node-config.ts'
export * from './config-overrides.ts'
export * from './node-kinds/index.ts'
export * from './expressions.ts'
export * from './json-values.ts'
export * from './duration.ts'
export { cronError, isValidTimezone, nextFireTimes } from './cron.ts'
export * from './graph.ts'
export * from './graph-checks.ts'
export * from './structure.ts'
export * from './work-queues.ts'
export { validateWorkflow, type ValidateOptions } from './validate.ts'
export { childNodeProblems, type ChildWorkflowFacts } from './child-checks.ts'
export { StringMap, Expression, JsonValue, type Annotations } from './schema-helpers.ts'
export * from './fixtures/linear.ts'
export * from './fixtures/kitchen-sink.ts'
export * from './fixtures/approval.ts'
export * from './fixtures/work-queue.ts'
