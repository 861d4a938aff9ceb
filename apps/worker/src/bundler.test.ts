import { describe, expect, it } from 'vitest';
import { compileWorkflow, workflowModulePath } from '@workflow-builder/compiler';
import { pinnedRuntimeDir, rebaseRuntimeImports, runtimeHash, runtimeSourceFiles } from '@workflow-builder/compiler/export-project';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { bundleTree, pinnedRuntimeHashes, WorkflowBundler, type BundleVersion } from './bundler.ts';

const at = (x: number) => ({ x, y: 0 });
const definition = (label: string): WorkflowDefinition => ({
  schemaVersion: 1,
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    // User text that looks like a runtime import must stay data.
    { id: 'shape', kind: 'transform', label, config: { mapping: { note: "import x from '../runtime/workflow/index.ts'" } }, position: at(1) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: {} }, position: at(2) },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'shape' }, { id: 'e2', source: 'shape', target: 'done' }],
});
const compile = (kebabName: string, version: number, runtime: string | null): BundleVersion => ({
  ...compileWorkflow(definition(`Shape ${kebabName}`), { workflowId: '00000000-0000-4000-8000-000000000001', kebabName, version, displayName: kebabName, taskQueue: 'q' }),
  runtimeHash: runtime,
});
const OLD = 'a'.repeat(64);

describe('runtime pinning in the bundle tree', () => {
  it('rewrites only the runtime import statements of a generated module', () => {
    const code = compile('shape', 1, null).files.workflowCode;
    const rebased = rebaseRuntimeImports(code, pinnedRuntimeDir(OLD));
    expect(rebased).toContain(`from '../runtime-aaaaaaaaaaaaaaaa/workflow/index.ts';`);
    expect(rebased).toContain(`from '../runtime-aaaaaaaaaaaaaaaa/contract.ts';`);
    expect(rebased).not.toMatch(/^import[^\n]*'\.\.\/runtime\//m);
    // The user's string literal is untouched; nothing else changed.
    expect(rebased).toContain(`import x from '../runtime/workflow/index.ts'`);
    expect(rebased.replaceAll('../runtime-aaaaaaaaaaaaaaaa/', '../runtime/')).toBe(code);
  });

  it('puts each pinned snapshot in its own folder and points only its versions at it', () => {
    const snapshot = Object.fromEntries(Object.entries(runtimeSourceFiles()).map(([p, c]) => [p, `// old runtime\n${c}`]));
    const versions = [compile('legacy', 1, null), compile('current', 2, runtimeHash()), compile('pinned', 3, OLD), compile('pinned-too', 4, OLD)];
    expect(pinnedRuntimeHashes(versions)).toEqual([OLD]);
    const tree = bundleTree(versions, { [OLD]: snapshot });
    const dir = pinnedRuntimeDir(OLD);
    expect(tree[`${dir}/workflow/workflow-run.ts`]).toBe(snapshot['src/runtime/workflow/workflow-run.ts']);
    expect(tree['src/runtime/workflow/workflow-run.ts']).toBe(runtimeSourceFiles()['src/runtime/workflow/workflow-run.ts']);
    const module = (v: BundleVersion) => tree[workflowModulePath(v.workflowType)]!;
    expect(module(versions[0]!)).toBe(versions[0]!.files.workflowCode);
    expect(module(versions[1]!)).toBe(versions[1]!.files.workflowCode);
    for (const v of versions.slice(2)) expect(module(v)).toContain(`from '../${dir.split('/').pop()}/workflow/index.ts'`);
    // A needed snapshot that is missing fails the bundle instead of silently using today's runtime.
    expect(() => bundleTree(versions, {})).toThrow(/runtime snapshot a{64} is missing/);
  });

  it('the cache key changes with a version\'s runtime hash', () => {
    const key = (runtime: string | null) => WorkflowBundler.keyOf([compile('shape', 1, runtime)]);
    expect(key(OLD)).toBe(key(OLD));
    expect(new Set([key(null), key(runtimeHash()), key(OLD), key('b'.repeat(64))]).size).toBe(4);
  });
});
