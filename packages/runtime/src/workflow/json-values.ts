/**
 * `isTruthy` / `jsonEquals`, shared with `@workflow-builder/definition`. In an exported project
 * this file is replaced by a copy of the definition package's `json-values.ts`.
 */
export * from '../../../definition/src/json-values.ts';
