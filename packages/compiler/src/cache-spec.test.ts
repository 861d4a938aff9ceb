import { linearDefinition, type WorkflowDefinition } from '@workflow-builder/definition';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import { testMeta } from './test-support.ts';

const withCache = (cache: NonNullable<WorkflowDefinition['nodes'][number]['cache']>): WorkflowDefinition => ({
  ...linearDefinition,
  nodes: linearDefinition.nodes.map((node) => (node.id === 'fetch_user' ? { ...node, cache } : node)),
});

describe('step cache in the compiled spec', () => {
  it('emits the node cache settings as data in WORKFLOW.cache, and nothing for workflows without', () => {
    const compiled = compileWorkflow(withCache({ key: '{{ input.userId }}', ttlSeconds: 60 }), testMeta());
    expect(compiled.files.workflowCode).toContain(`  "cache": {
    "fetch_user": {
      "key": "{{ input.userId }}",
      "ttlSeconds": 60
    }
  },`);
    expect(compileWorkflow(linearDefinition, testMeta()).files.workflowCode).not.toContain('"cache"');
  });

  it('keeps a hostile key template a string literal', () => {
    const hostile = '{{ input.userId }}`; process.exit(1); //';
    const compiled = compileWorkflow(withCache({ key: hostile }), testMeta());
    expect(compiled.files.workflowCode).toContain(JSON.stringify(hostile));
    // Every occurrence of the text is inside that JSON string literal.
    const code = compiled.files.workflowCode;
    expect(code.split('process.exit').length).toBe(code.split(JSON.stringify(hostile)).length);
  });
});
