import { describe, expect, it } from 'vitest'
import { kitchenSinkDefinition, kitchenSinkWithTrigger } from './fixtures/kitchen-sink.ts'
import { linearDefinition } from './fixtures/linear.ts'
import type { Problem } from './problem.ts'
import type { WorkflowDefinition } from './schema.ts'
import { definition, edge, node } from './test-support.ts'
import { validateWorkflow, type ValidateOptions } from './validate.ts'

/** Problems without messages, for exact comparisons. */
function check(def: unknown, options?: ValidateOptions): Array<Omit<Problem, 'message'>> {
  return validateWorkflow(def, options).map(({ message, ...rest }) => {
    expect(message).not.toBe('')
    return rest
  })
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T
const t = node('t', 'trigger.manual')
/** t → ...chain of [id, kind, config?] → nothing */
function chain(...specs: Array<[string, string, Record<string, unknown>?]>): WorkflowDefinition {
  const nodes = [t, ...specs.map(([id, kind, config]) => node(id, kind, config))]
  const edges = nodes.slice(1).map((n, i) => edge((nodes[i] as { id: string }).id, n.id))
  return definition(nodes, edges)
}

describe('validateWorkflow on valid definitions', () => {
  it('accepts the fixtures', () => {
    expect(validateWorkflow(linearDefinition)).toEqual([])
    expect(validateWorkflow(kitchenSinkDefinition, { knownWorkflowSlugs: ['notify-customer'] })).toEqual([])
    expect(validateWorkflow(kitchenSinkWithTrigger('trigger.manual'))).toEqual([])
    expect(validateWorkflow(kitchenSinkWithTrigger('trigger.schedule'))).toEqual([])
  })
})

describe('validateWorkflow rules', () => {
  it('invalid_structure: schema errors, located on the node', () => {
    const def = clone(linearDefinition)
    ;(def.nodes[2] as { label: string }).label = 'x'.repeat(201)
    expect(check(def)).toEqual([{ nodeId: 'shape', field: 'label', code: 'invalid_structure' }])
    expect(check('not a definition')).toEqual([{ field: '', code: 'invalid_structure' }])
  })

  it('unknown_kind', () => {
    expect(check(chain(['x', 'email.send']))).toEqual([{ nodeId: 'x', field: 'kind', code: 'unknown_kind' }])
  })

  it('invalid_config: schema and kind checks, with config field paths', () => {
    expect(check(chain(['h', 'http.request', { url: 'https://x.dev', timeoutMs: 120_000, bogus: true }]))).toEqual([
      { nodeId: 'h', field: 'config.bogus', code: 'invalid_config' },
      { nodeId: 'h', field: 'config.timeoutMs', code: 'invalid_config' },
    ])
    expect(check(chain(['h', 'http.request', {}]))).toEqual([{ nodeId: 'h', field: 'config.url', code: 'invalid_config' }])
    expect(check(chain(['d', 'flow.delay', { duration: '400d' }]))).toEqual([
      { nodeId: 'd', field: 'config.duration', code: 'invalid_config' },
    ])
  })

  it('invalid_cron and invalid_timezone, with cron-parser’s message', () => {
    const def = definition([node('s', 'trigger.schedule', { cron: '0 25 * * *', timezone: 'Nowhere/City' })], [])
    const problems = validateWorkflow(def)
    expect(problems).toEqual([
      { nodeId: 's', field: 'config.timezone', code: 'invalid_timezone', message: 'unknown time zone "Nowhere/City"' },
      { nodeId: 's', field: 'config.cron', code: 'invalid_cron', message: 'Constraint error, got value 25 expected range 0-23' },
    ])
  })

  it('expression_required for conditions that are not templates', () => {
    const def = definition(
      [t, node('if', 'branch.if', { condition: 'input.ok' }), node('a', 'output.end'), node('b', 'output.end')],
      [edge('t', 'if'), edge('if', 'a', 'true'), edge('if', 'b', 'false')],
    )
    expect(check(def)).toEqual([{ nodeId: 'if', field: 'config.condition', code: 'expression_required' }])
  })

  it('duplicate_node_id and duplicate_edge_id', () => {
    const def = clone(linearDefinition)
    def.nodes.push({ ...clone(def.nodes[2] as WorkflowDefinition['nodes'][number]), label: 'again' })
    def.edges.push({ ...clone(def.edges[0] as WorkflowDefinition['edges'][number]), target: 'shape' })
    expect(check(def)).toEqual([
      { nodeId: 'shape', field: 'id', code: 'duplicate_node_id' },
      { edgeId: 'e_start_fetch', field: 'id', code: 'duplicate_edge_id' },
    ])
  })

  it('dangling_edge on the missing end', () => {
    const def = clone(linearDefinition)
    def.edges.push(edge('shape', 'ghost'), edge('phantom', 'end'))
    expect(check(def)).toEqual([
      { edgeId: 'shape-ghost', field: 'target', code: 'dangling_edge' },
      { edgeId: 'phantom-end', field: 'source', code: 'dangling_edge' },
    ])
  })

  it('duplicate_edge: same source, handle and target', () => {
    const def = clone(linearDefinition)
    def.edges.push(edge('shape', 'end', 'out', 'again'))
    expect(check(def)).toEqual([{ edgeId: 'again', field: '', code: 'duplicate_edge' }])
  })

  it('unknown_handle and missing_handle', () => {
    const def = definition(
      [t, node('if', 'branch.if'), node('a', 'output.end'), node('b', 'output.end'), node('c', 'transform')],
      [edge('t', 'if'), edge('if', 'a', 'true'), edge('if', 'b', 'yes'), edge('if', 'c'), edge('a', 'c')],
    )
    expect(check(def)).toEqual([
      { edgeId: 'if-yes-b', field: 'sourceHandle', code: 'unknown_handle' },
      { edgeId: 'if-c', field: 'sourceHandle', code: 'missing_handle' },
      { edgeId: 'a-c', field: 'sourceHandle', code: 'unknown_handle' },
      { nodeId: 'if', field: 'outputs.false', code: 'unconnected_output' },
    ])
  })

  it('edge_into_trigger', () => {
    const def = clone(linearDefinition)
    def.edges.push(edge('shape', 'start', 'out', 'back'))
    expect(check(def)).toEqual([
      { edgeId: 'back', field: 'target', code: 'edge_into_trigger' },
      { nodeId: 'start', edgeId: 'back', field: '', code: 'cycle' },
    ])
  })

  it('missing_trigger and multiple_triggers', () => {
    expect(check(definition([node('a', 'transform')], []))).toEqual([{ field: 'nodes', code: 'missing_trigger' }])
    const two = definition([t, node('t2', 'trigger.webhook'), node('a', 'output.end')], [edge('t', 'a'), edge('t2', 'a')])
    expect(check(two)).toEqual([{ nodeId: 't2', field: '', code: 'multiple_triggers' }])
  })

  it('unreachable_node', () => {
    const def = clone(linearDefinition)
    def.nodes.push(node('orphan', 'transform'))
    expect(check(def)).toEqual([{ nodeId: 'orphan', field: '', code: 'unreachable_node' }])
  })

  it('cycle, on the edge that closes it', () => {
    const def = chain(['a', 'transform'], ['b', 'transform'])
    def.edges.push(edge('b', 'a'))
    expect(check(def)).toEqual([{ nodeId: 'a', edgeId: 'b-a', field: '', code: 'cycle' }])
  })

  it('unconnected_output for branches, switch cases, loops and timeouts', () => {
    const sw = node('sw', 'branch.switch', { value: '{{ input.x }}', cases: [{ id: 'a', label: 'A', equals: 1 }] })
    const def = definition(
      [t, sw, node('each', 'flow.forEach'), node('w', 'signal.wait', { signalName: 'go', timeoutSeconds: 5 }), node('end', 'output.end')],
      [edge('t', 'sw'), edge('sw', 'each', 'default'), edge('each', 'w', 'done'), edge('w', 'end', 'received')],
    )
    expect(check(def)).toEqual([
      { nodeId: 'sw', field: 'outputs.a', code: 'unconnected_output' },
      { nodeId: 'each', field: 'outputs.item', code: 'unconnected_output' },
      { nodeId: 'w', field: 'outputs.timeout', code: 'unconnected_output' },
    ])
    // Without timeoutSeconds there is no timeout handle to connect.
    expect(check(chain(['w', 'signal.wait']))).toEqual([])
  })

  it('expression_syntax', () => {
    expect(check(chain(['h', 'http.request', { url: 'https://x.dev/{{ input.id + }}' }]))).toEqual([
      { nodeId: 'h', field: 'config.url', code: 'expression_syntax' },
    ])
    expect(check(chain(['s', 'transform', { mapping: { 'a b': '{{ input' } }]))).toEqual([
      { nodeId: 's', field: 'config.mapping["a b"]', code: 'expression_syntax' },
    ])
  })

  it('expression_not_upstream: siblings, self, later nodes and the enclosing loop', () => {
    const def = definition(
      [
        t,
        node('p', 'flow.parallel'),
        node('a', 'transform', { mapping: { x: '{{ steps.b.output }}' } }),
        node('b', 'transform', { mapping: { x: '{{ steps.b.output }}' } }),
        node('j', 'flow.join'),
        node('each', 'flow.forEach'),
        node('body', 'transform', { mapping: { x: '{{ steps.each.output }}', y: '{{ steps.a.output }}' } }),
        node('end', 'output.end', { output: { r: '{{ steps.body.output }}', ok: '{{ steps.each.output }}' } }),
      ],
      [edge('t', 'p'), edge('p', 'a'), edge('p', 'b'), edge('a', 'j'), edge('b', 'j'), edge('j', 'each'), edge('each', 'body', 'item'), edge('each', 'end', 'done')],
    )
    expect(check(def)).toEqual([
      { nodeId: 'a', field: 'config.mapping.x', code: 'expression_not_upstream' },
      { nodeId: 'b', field: 'config.mapping.x', code: 'expression_not_upstream' },
      { nodeId: 'body', field: 'config.mapping.x', code: 'expression_not_upstream' },
      { nodeId: 'end', field: 'config.output.r', code: 'expression_not_upstream' },
    ])
  })

  it('expression_unknown_step, with a hint for dashed ids', () => {
    const def = definition(
      [
        t,
        node('fetch-one', 'http.request'),
        node('s', 'transform', { mapping: { a: '{{ steps.fetch-one.output }}', b: '{{ steps.`fetch-one`.output }}', c: '{{ steps.nope }}' } }),
      ],
      [edge('t', 'fetch-one'), edge('fetch-one', 's')],
    )
    expect(validateWorkflow(def)).toEqual([
      { nodeId: 's', field: 'config.mapping.a', code: 'expression_unknown_step', message: expect.stringContaining('steps.`fetch-one`') },
      { nodeId: 's', field: 'config.mapping.c', code: 'expression_unknown_step', message: 'there is no node "nope"' },
    ])
    // `steps.fetch-1` does not parse at all; the syntax error carries the same hint.
    const numbered = definition(
      [t, node('fetch-1', 'http.request'), node('s', 'transform', { mapping: { a: '{{ steps.fetch-1.output }}' } })],
      [edge('t', 'fetch-1'), edge('fetch-1', 's')],
    )
    expect(validateWorkflow(numbered)).toEqual([
      { nodeId: 's', field: 'config.mapping.a', code: 'expression_syntax', message: expect.stringContaining('steps.`fetch-1`') },
    ])
  })

  it('expression_step_lookup for steps["id"]', () => {
    expect(check(chain(['h', 'http.request'], ['s', 'transform', { mapping: { a: '{{ steps["h"].output }}' } }]))).toEqual([
      { nodeId: 's', field: 'config.mapping.a', code: 'expression_step_lookup' },
    ])
  })

  it('expression_outside_loop for item and index', () => {
    expect(check(chain(['s', 'transform', { mapping: { a: '{{ item.id }}', b: '{{ input.list[item = 1] }}' } }]))).toEqual([
      { nodeId: 's', field: 'config.mapping.a', code: 'expression_outside_loop' },
    ])
  })

  it('unknown_signal and unknown_workflow', () => {
    const def = chain(['w', 'signal.wait', { signalName: 'approve' }], ['c', 'workflow.child', { workflowSlug: 'billing' }])
    expect(check(def, { knownWorkflowSlugs: ['other'] })).toEqual([
      { nodeId: 'w', field: 'config.signalName', code: 'unknown_signal' },
      { nodeId: 'c', field: 'config.workflowSlug', code: 'unknown_workflow' },
    ])
    expect(check(def)).toEqual([{ nodeId: 'w', field: 'config.signalName', code: 'unknown_signal' }])
  })

  it('invalid_retry, duplicate_signal and duplicate_query', () => {
    const def = clone(linearDefinition)
    ;(def.nodes[1] as { retry?: object }).retry = { initialIntervalMs: 5_000, maximumIntervalMs: 1_000 }
    def.settings = { defaultRetry: { initialIntervalMs: 10, maximumIntervalMs: 5 } }
    def.signals = [{ name: 'go' }, { name: 'go' }]
    def.queries = [{ name: 'state' }, { name: 'state' }]
    expect(check(def)).toEqual([
      { nodeId: 'fetch_user', field: 'retry.maximumIntervalMs', code: 'invalid_retry' },
      { field: 'settings.defaultRetry.maximumIntervalMs', code: 'invalid_retry' },
      { field: 'signals[1].name', code: 'duplicate_signal' },
      { field: 'queries[1].name', code: 'duplicate_query' },
    ])
  })

  it('unstructured_graph: branches that neither meet nor end', () => {
    const def = definition(
      [t, node('if', 'branch.if'), node('a', 'http.request'), node('b', 'output.end')],
      [edge('t', 'if'), edge('if', 'a', 'true'), edge('if', 'b', 'false')],
    )
    expect(check(def)).toEqual([{ nodeId: 'a', field: '', code: 'unstructured_graph' }])
  })

  it('unstructured_graph: fan-out, open loop bodies and stray joins', () => {
    const fanOut = chain(['a', 'transform'], ['b', 'output.end'])
    fanOut.nodes.push(node('c', 'output.end'))
    fanOut.edges.push(edge('a', 'c'))
    expect(check(fanOut)).toEqual([{ nodeId: 'a', field: 'outputs.out', code: 'unstructured_graph' }])

    const leaky = definition(
      [t, node('each', 'flow.forEach'), node('body', 'transform'), node('after', 'output.end')],
      [edge('t', 'each'), edge('each', 'body', 'item'), edge('body', 'after'), edge('each', 'after', 'done')],
    )
    expect(check(leaky)).toEqual([{ nodeId: 'after', field: '', code: 'unstructured_graph' }])

    expect(check(chain(['j', 'flow.join']))).toEqual([{ nodeId: 'j', field: '', code: 'unstructured_graph' }])
  })

  it('skips structure checks while the graph itself is broken', () => {
    const def = definition(
      [t, node('if', 'branch.if'), node('a', 'http.request')],
      [edge('t', 'if'), edge('if', 'a', 'true')],
    )
    expect(check(def)).toEqual([{ nodeId: 'if', field: 'outputs.false', code: 'unconnected_output' }])
  })
})

describe('validateWorkflow reports everything at once', () => {
  it('combines schema, node, edge, graph and expression problems', () => {
    const def = clone(kitchenSinkDefinition) as unknown as Record<string, any>
    def['nodes'][1].label = 42 // schema
    def['nodes'][1].config.timeoutMs = 0 // config
    def['nodes'].push({ id: 'mystery', kind: 'crm.sync', label: 'CRM', config: {}, position: { x: 0, y: 0 } }) // unknown kind + unreachable
    def['edges'].push({ id: 'e_bad', source: 'result', target: 'nowhere' }) // dangling
    def['nodes'][3].config.condition = '{{ steps.fetch.output.status = }}' // expression syntax
    def['nodes'].find((n: { id: string }) => n.id === 'result').config.mapping.extra = '{{ steps.line_total.output }}' // not upstream (inside the loop)
    expect(check(def, { knownWorkflowSlugs: [] })).toEqual([
      { nodeId: 'fetch', field: 'label', code: 'invalid_structure' },
      { edgeId: 'e_bad', field: 'target', code: 'dangling_edge' },
      { nodeId: 'fetch', field: 'config.timeoutMs', code: 'invalid_config' },
      { nodeId: 'notify', field: 'config.workflowSlug', code: 'unknown_workflow' },
      { nodeId: 'mystery', field: 'kind', code: 'unknown_kind' },
      { nodeId: 'mystery', field: '', code: 'unreachable_node' },
      { nodeId: 'is_ok', field: 'config.condition', code: 'expression_syntax' },
      { nodeId: 'result', field: 'config.mapping.extra', code: 'expression_not_upstream' },
    ])
  })
})
