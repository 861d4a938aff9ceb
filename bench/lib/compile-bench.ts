/**
 * Benchmark 1: compileWorkflow on generated definitions of 10, 100 and 1,000 nodes (median of
 * N runs after warm-up), with the parts it is made of timed on their own.
 */
import { analyzeStructure, validateWorkflow } from '@workflow-builder/definition';
import { compileWorkflow, filesHash, type CompileMeta } from '@workflow-builder/compiler';
import { generatedDefinition } from './definitions.ts';
import { now, summarize, type Summary } from './stats.ts';

export interface CompileResult {
  nodes: number;
  edges: number;
  codeBytes: number;
  runs: number;
  compile: Summary;
  /** Parts, timed separately on the same definition (compile runs them all, validation twice in part). */
  parts: { validateWorkflow: Summary; analyzeStructure: Summary; filesHash: Summary };
}

const meta: CompileMeta = { workflowId: '00000000-0000-4000-8000-000000000001', kebabName: 'bench-generated', version: 1, displayName: 'Generated', taskQueue: 'bench' };

function time(fn: () => unknown, warmup: number, runs: number): Summary {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    fn();
    samples.push(now() - t);
  }
  return summarize(samples);
}

export function runCompileBench(sizes: readonly number[] = [10, 100, 1000]): CompileResult[] {
  const results: CompileResult[] = [];
  for (const size of sizes) {
    const definition = generatedDefinition(size);
    const problems = validateWorkflow(definition);
    if (problems.length) throw new Error(`generated ${size}-node definition is invalid: ${JSON.stringify(problems.slice(0, 3))}`);
    const runs = size >= 1000 ? 30 : size >= 100 ? 100 : 300;
    const warmup = size >= 1000 ? 10 : 50;
    const compiled = compileWorkflow(definition, meta);
    const compile = time(() => compileWorkflow(definition, meta), warmup, runs);
    const partsRuns = Math.max(10, Math.floor(runs / 2));
    results.push({
      nodes: definition.nodes.length,
      edges: definition.edges.length,
      codeBytes: compiled.files.workflowCode.length,
      runs,
      compile,
      parts: {
        validateWorkflow: time(() => validateWorkflow(definition), 3, partsRuns),
        analyzeStructure: time(() => analyzeStructure(definition), 3, partsRuns),
        filesHash: time(() => filesHash({ ...compiled.files }), 3, partsRuns),
      },
    });
  }
  return results;
}
