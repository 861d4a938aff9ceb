/**
 * The template evaluator, shared with `@workflow-builder/definition` (one implementation for the
 * editor, the validator and the workflow sandbox). In an exported project this file is replaced
 * by a copy of the definition package's `expressions.ts` (see compiler `export-project.ts`).
 */
export * from '../../../definition/src/expressions.ts';
