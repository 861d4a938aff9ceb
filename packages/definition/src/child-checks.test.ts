import { describe, expect, it } from 'vitest'
import type { WorkflowDefinition } from './schema.ts'
import { validateWorkflow } from './validate.ts'

const at = (x: number) => ({ x, y: 0 })
const parent = (child: Record<string, unknown>, signals: string[] = []): WorkflowDefinition => ({
  schemaVersion: 1,
  signals: signals.map((name) => ({ name })),
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    { id: 'child', kind: 'workflow.child', label: 'Child', config: { workflowSlug: 'kid', ...child }, position: at(1) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: {} }, position: at(2) },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'child' }, { id: 'e2', source: 'child', target: 'done' }],
})

describe('workflow.child checks', () => {
  it('refuses a child that signals its parent unless the node allows it and the parent declares the signal', () => {
    const kid = { kid: { signalsToParent: ['finished'] } }
    expect(validateWorkflow(parent({}, ['finished']), { childWorkflows: kid })).toEqual([
      expect.objectContaining({ nodeId: 'child', field: 'config.canSignalParent', code: 'child_signal_not_allowed' }),
    ])
    expect(validateWorkflow(parent({ canSignalParent: true }), { childWorkflows: kid })).toEqual([
      expect.objectContaining({ nodeId: 'child', field: 'config.workflowSlug', code: 'unknown_signal', message: expect.stringMatching(/"finished"/) }),
    ])
    expect(validateWorkflow(parent({ canSignalParent: true }, ['finished']), { childWorkflows: kid })).toEqual([])
    expect(validateWorkflow(parent({}), { childWorkflows: { kid: {} } })).toEqual([])
  })

  it('refuses a child that queries its parent unless the node allows it and the query is declared (or wbState)', () => {
    const kid = { kid: { queriesToParent: ['progress'] } }
    expect(validateWorkflow(parent({}), { childWorkflows: kid }).map((p) => [p.field, p.code])).toEqual([
      ['config.canQueryParent', 'child_query_not_allowed'],
      ['config.workflowSlug', 'unknown_query'],
    ])
    expect(validateWorkflow({ ...parent({ canQueryParent: true }), queries: [{ name: 'progress' }] }, { childWorkflows: kid })).toEqual([])
    expect(validateWorkflow(parent({ canQueryParent: true }), { childWorkflows: { kid: { queriesToParent: ['wbState'] } } })).toEqual([])
  })

  it('checks blockUntil: known nodes, declared signal, a valid expression', () => {
    expect(validateWorkflow(parent({ blockUntil: { nodes: ['start'], signal: 'go', expression: '{{ input.ready }}', timeoutSeconds: 5 } }, ['go']))).toEqual([])
    const problems = validateWorkflow(parent({ blockUntil: { nodes: ['nope', 'child'], signal: 'go', expression: 'input.ready' } }))
    expect(problems.map((p) => [p.field, p.code])).toEqual(expect.arrayContaining([
      ['config.blockUntil.nodes[0]', 'unknown_node'],
      ['config.blockUntil.nodes[1]', 'unknown_node'],
      ['config.blockUntil.signal', 'unknown_signal'],
      ['config.blockUntil.expression', 'expression_syntax'],
    ]))
    expect(validateWorkflow(parent({ blockUntil: { expression: '{{ input. }}' } })).map((p) => p.field)).toContain('config.blockUntil.expression')
  })
})
