import type { Problem } from '@workflow-builder/definition';

/**
 * Thrown by `compileWorkflow` when the definition is invalid (its `problems` come from
 * `validateWorkflow` / `analyzeStructure`) or the compile metadata is unusable.
 */
export class CompileError extends Error {
  override readonly name = 'CompileError';
  readonly problems: readonly Problem[];

  constructor(message: string, problems: readonly Problem[] = []) {
    super(problems.length === 0 ? message : `${message}: ${problems.map((p) => `${p.nodeId ?? p.edgeId ?? ''} ${p.field ?? ''} ${p.message}`.trim()).join('; ')}`);
    this.problems = problems;
  }
}
