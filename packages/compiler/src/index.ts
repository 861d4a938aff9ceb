/**
 * @workflow-builder/compiler: turns a workflow definition into TypeScript Temporal code (pure,
 * deterministic). `projectFiles` (the full standalone tree, reads runtime sources from disk)
 * lives in `./export-project`.
 */
export {
  compileWorkflow,
  DEFAULT_RETRY,
  type ChildWorkflowRef,
  type CompileMeta,
  type CompiledFiles,
  type CompiledWorkflow,
} from './compile-workflow.ts';
export { CompileError } from './compile-error.ts';
export { workflowTypeName, KEBAB_NAME_PATTERN, WORKFLOW_TYPE_PATTERN } from './names.ts';
export { emitLiteral, stringLiteral, LiteralError } from './emit-literal.ts';
export { sha256Hex, filesHash } from './sha256.ts';
export { PROJECT_DEPENDENCIES, PROJECT_DEV_DEPENDENCIES, PROJECT_PATHS, workflowModulePath } from './project-scaffold.ts';
