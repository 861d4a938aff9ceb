/**
 * `parseDuration`, shared with `@workflow-builder/definition`. In an exported project this file
 * is replaced by a copy of the definition package's `duration.ts`.
 */
export * from '../../../definition/src/duration.ts';
