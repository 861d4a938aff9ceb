import { analyzeStructure, validateWorkflow } from '@workflow-builder/definition';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWorkflow, type CompiledWorkflow } from './compile-workflow.ts';
import { projectFiles } from './export-project.ts';
import { buildDefinition, CHILD_SLUG, definitionShapeArbitrary } from './test-arbitraries.ts';
import { removeProject, testMeta, typecheckProject, writeProject } from './test-support.ts';

const children = { [CHILD_SLUG]: { workflowType: 'wf_child_flow_v1' } };
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('random structured graphs', () => {
  it('are valid, compile deterministically, and mention every node exactly where the tree does', () => {
    fc.assert(
      fc.property(definitionShapeArbitrary, (shape) => {
        const definition = buildDefinition(shape);
        expect(validateWorkflow(definition, { knownWorkflowSlugs: [CHILD_SLUG] })).toEqual([]);
        expect(analyzeStructure(definition).ok).toBe(true);
        const meta = testMeta({ kebabName: 'random', childWorkflows: children });
        const compiled = compileWorkflow(definition, meta);
        expect(compileWorkflow(structuredClone(definition), meta).contentHash).toBe(compiled.contentHash);
        // Every node is called once in the code (joins through run.join).
        const code = compiled.files.workflowCode.slice(compiled.files.workflowCode.indexOf('export async function'));
        for (const node of definition.nodes) {
          const calls = code.match(new RegExp(`\\.\\w+\\("${node.id}"`, 'g')) ?? [];
          expect(calls, node.id).toHaveLength(1);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('type-check (a batch of samples compiled into one project)', () => {
    const seed = Date.now() % 2 ** 31;
    const samples = fc.sample(definitionShapeArbitrary, { numRuns: 40, seed });
    const compiled: CompiledWorkflow[] = samples.map((shape, index) =>
      compileWorkflow(buildDefinition(shape), testMeta({ kebabName: `random-${index}`, childWorkflows: children })),
    );
    const dir = writeProject(projectFiles(compiled), { linkDependencies: true });
    dirs.push(dir);
    expect(typecheckProject(dir), `fast-check seed ${seed}`).toEqual([]);
  });
});
