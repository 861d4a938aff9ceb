import { describe, expect, it } from 'vitest'
import { kitchenSinkDefinition } from './fixtures/kitchen-sink.ts'
import { linearDefinition } from './fixtures/linear.ts'
import type { WorkflowDefinition } from './schema.ts'
import { analyzeStructure, type SequenceBlock, type StructuredBlock } from './structure.ts'
import { definition, edge, node } from './test-support.ts'

/** Compact text form of the tree, so shapes read at a glance. */
function render(sequence: SequenceBlock): string {
  return sequence.blocks.map(renderBlock).join(' ')
}
function renderBlock(block: StructuredBlock): string {
  switch (block.type) {
    case 'node':
      return block.nodeId
    case 'if':
      return `if:${block.nodeId}(${render(block.then)} | ${render(block.else)})`
    case 'switch':
      return `switch:${block.nodeId}(${[...block.cases.map((c) => `${c.handle}: ${render(c.body)}`), `default: ${render(block.default)}`].join(' | ')})`
    case 'signalWait':
      return `wait:${block.nodeId}(received: ${render(block.received)} | timeout: ${render(block.timeout)})`
    case 'parallel':
      return `parallel:${block.nodeId}(${block.branches.map((b) => `${render(b.body)} =${b.resultNodeId}`).join(' | ')})join:${block.joinNodeId}`
    case 'forEach':
      return `forEach:${block.nodeId}(${render(block.body)} =${block.resultNodeId})`
  }
}

function shape(def: WorkflowDefinition): string {
  const result = analyzeStructure(def)
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2))
  return render(result.root)
}

function structureProblems(def: WorkflowDefinition) {
  const result = analyzeStructure(def)
  return result.ok ? [] : result.problems.map(({ nodeId, field, code }) => ({ nodeId, field, code }))
}

const t = node('t', 'trigger.manual')

describe('analyzeStructure', () => {
  it('turns a chain into a sequence', () => {
    expect(shape(linearDefinition)).toBe('start fetch_user shape end')
  })

  it('nests the kitchen sink', () => {
    expect(shape(kitchenSinkDefinition)).toBe(
      'trigger fetch summarize if:is_ok(' +
        'parallel:fan_out(enrich =enrich | notify =notify)join:gather forEach:each_line(line_price line_total =line_total)' +
        ' | switch:route(not_found: backoff | conflict: wait:approval(received: approved | timeout: timed_out) approval_merge | default: ) switch_merge' +
        ') result done',
    )
    const result = analyzeStructure(kitchenSinkDefinition)
    const ifBlock = result.ok ? result.root.blocks[3] : undefined
    expect(ifBlock).toMatchObject({ type: 'if', nodeId: 'is_ok', mergeNodeId: 'result' })
  })

  it('handles an if with an empty branch', () => {
    const def = definition(
      [t, node('if', 'branch.if'), node('a', 'transform'), node('m', 'transform')],
      [edge('t', 'if'), edge('if', 'a', 'true'), edge('a', 'm'), edge('if', 'm', 'false')],
    )
    expect(shape(def)).toBe('t if:if(a | ) m')
  })

  it('allows branches that each end at output.end', () => {
    const def = definition(
      [t, node('if', 'branch.if'), node('a', 'http.request'), node('end_a', 'output.end'), node('end_b', 'output.end')],
      [edge('t', 'if'), edge('if', 'a', 'true'), edge('a', 'end_a'), edge('if', 'end_b', 'false')],
    )
    expect(shape(def)).toBe('t if:if(a end_a | end_b)')
    const result = analyzeStructure(def)
    expect(result.ok && result.root.blocks[1]).toMatchObject({ type: 'if', mergeNodeId: null })
  })

  it('nests ifs that share a merge node', () => {
    const def = definition(
      [t, node('a', 'branch.if'), node('b', 'branch.if'), node('c', 'transform'), node('d', 'transform'), node('e', 'transform'), node('m', 'output.end')],
      [
        edge('t', 'a'),
        edge('a', 'b', 'true'),
        edge('a', 'e', 'false'),
        edge('b', 'c', 'true'),
        edge('b', 'd', 'false'),
        edge('c', 'm'),
        edge('d', 'm'),
        edge('e', 'm'),
      ],
    )
    expect(shape(def)).toBe('t if:a(if:b(c | d) | e) m')
  })

  it('represents signal.wait as a node without timeout and as a block with one', () => {
    const plain = definition([t, node('w', 'signal.wait'), node('x', 'transform')], [edge('t', 'w'), edge('w', 'x')])
    expect(shape(plain)).toBe('t w x')
    const timed = definition(
      [t, node('w', 'signal.wait', { signalName: 'go', timeoutSeconds: 30 }), node('ok', 'transform'), node('late', 'transform'), node('m', 'transform')],
      [edge('t', 'w'), edge('w', 'ok', 'received'), edge('w', 'late', 'timeout'), edge('ok', 'm'), edge('late', 'm')],
    )
    expect(shape(timed)).toBe('t wait:w(received: ok | timeout: late) m')
  })

  it('orders switch cases by config, then default', () => {
    const sw = node('sw', 'branch.switch', {
      value: '{{ input.kind }}',
      cases: [
        { id: 'b', label: 'B', equals: 'b' },
        { id: 'a', label: 'A', equals: 'a' },
      ],
    })
    const def = definition(
      [t, sw, node('x', 'transform'), node('y', 'transform'), node('m', 'transform')],
      [edge('t', 'sw'), edge('sw', 'x', 'a'), edge('sw', 'm', 'default'), edge('sw', 'y', 'b'), edge('x', 'm'), edge('y', 'm')],
    )
    expect(shape(def)).toBe('t switch:sw(b: y | a: x | default: ) m')
  })

  it('pairs parallel with join, including an empty branch and nested branching', () => {
    const def = definition(
      [
        t,
        node('p', 'flow.parallel'),
        node('a', 'http.request'),
        node('if', 'branch.if'),
        node('b1', 'transform'),
        node('b2', 'transform'),
        node('bm', 'transform'),
        node('j', 'flow.join'),
        node('after', 'transform'),
      ],
      [
        edge('t', 'p'),
        edge('p', 'a', 'out'),
        edge('p', 'if', 'out'),
        edge('p', 'j', 'out'),
        edge('if', 'b1', 'true'),
        edge('if', 'b2', 'false'),
        edge('b1', 'bm'),
        edge('b2', 'bm'),
        edge('a', 'j'),
        edge('bm', 'j'),
        edge('j', 'after'),
      ],
    )
    expect(shape(def)).toBe('t parallel:p(a =a | if:if(b1 | b2) bm =bm |  =p)join:j after')
  })

  it('nests loops, parallels inside loops, and loops inside branches', () => {
    const def = definition(
      [
        t,
        node('outer', 'flow.forEach'),
        node('inner', 'flow.forEach'),
        node('leaf', 'http.request'),
        node('p', 'flow.parallel'),
        node('x', 'transform'),
        node('y', 'transform'),
        node('j', 'flow.join'),
        node('after', 'output.end'),
      ],
      [
        edge('t', 'outer'),
        edge('outer', 'inner', 'item'),
        edge('inner', 'leaf', 'item'),
        edge('inner', 'p', 'done'),
        edge('p', 'x'),
        edge('p', 'y'),
        edge('x', 'j'),
        edge('y', 'j'),
        edge('outer', 'after', 'done'),
      ],
    )
    expect(shape(def)).toBe('t forEach:outer(forEach:inner(leaf =leaf) parallel:p(x =x | y =y)join:j =j) after')
  })
})

describe('analyzeStructure problems', () => {
  it('returns basic graph problems first', () => {
    const def = definition([t, node('a', 'transform'), node('b', 'transform')], [edge('t', 'a'), edge('a', 'b'), edge('b', 'a')])
    expect(structureProblems(def)).toEqual([{ nodeId: 'a', field: '', code: 'cycle' }])
  })

  it('requires non-converging branches to end at output.end', () => {
    const def = definition(
      [t, node('if', 'branch.if'), node('a', 'transform'), node('end_b', 'output.end')],
      [edge('t', 'if'), edge('if', 'a', 'true'), edge('if', 'end_b', 'false')],
    )
    expect(structureProblems(def)).toEqual([{ nodeId: 'a', field: '', code: 'unstructured_graph' }])
  })

  it('requires parallel branches to meet at a join', () => {
    const def = definition(
      [t, node('p', 'flow.parallel'), node('a', 'transform'), node('b', 'transform'), node('m', 'transform')],
      [edge('t', 'p'), edge('p', 'a'), edge('p', 'b'), edge('a', 'm'), edge('b', 'm')],
    )
    expect(structureProblems(def)).toEqual([{ nodeId: 'p', field: '', code: 'unstructured_graph' }])
  })

  it('rejects a join without its parallel', () => {
    const def = definition([t, node('j', 'flow.join'), node('x', 'transform')], [edge('t', 'j'), edge('j', 'x')])
    expect(structureProblems(def)).toEqual([{ nodeId: 'j', field: '', code: 'unstructured_graph' }])
  })

  it('rejects fan-out from anything but flow.parallel', () => {
    const def = definition(
      [t, node('a', 'http.request'), node('b', 'transform'), node('c', 'transform')],
      [edge('t', 'a'), edge('a', 'b'), edge('a', 'c')],
    )
    expect(structureProblems(def)).toEqual([{ nodeId: 'a', field: 'outputs.out', code: 'unstructured_graph' }])
  })

  it('rejects loop bodies entered from outside', () => {
    const def = definition(
      [t, node('pre', 'branch.if'), node('each', 'flow.forEach'), node('body', 'transform'), node('after', 'transform')],
      [edge('t', 'pre'), edge('pre', 'each', 'true'), edge('pre', 'body', 'false'), edge('each', 'body', 'item'), edge('each', 'after', 'done')],
    )
    expect(structureProblems(def)).toEqual([{ nodeId: 'body', field: '', code: 'unstructured_graph' }])
  })

  it('rejects loop bodies that flow into the done path', () => {
    const def = definition(
      [t, node('each', 'flow.forEach'), node('body', 'transform'), node('after', 'transform')],
      [edge('t', 'each'), edge('each', 'body', 'item'), edge('body', 'after'), edge('each', 'after', 'done')],
    )
    expect(structureProblems(def)).toEqual([{ nodeId: 'after', field: '', code: 'unstructured_graph' }])
  })

  it('rejects output.end and non-converging branches inside a loop', () => {
    const def = definition(
      [t, node('each', 'flow.forEach'), node('if', 'branch.if'), node('a', 'transform'), node('stop', 'output.end')],
      [edge('t', 'each'), edge('each', 'if', 'item'), edge('if', 'a', 'true'), edge('if', 'stop', 'false')],
    )
    expect(structureProblems(def)).toEqual([
      { nodeId: 'if', field: '', code: 'unstructured_graph' },
      { nodeId: 'stop', field: '', code: 'unstructured_graph' },
    ])
  })

  it('rejects branches that meet only at the join', () => {
    const def = definition(
      [t, node('p', 'flow.parallel'), node('if', 'branch.if'), node('a', 'transform'), node('b', 'transform'), node('j', 'flow.join')],
      [edge('t', 'p'), edge('p', 'if'), edge('p', 'j'), edge('if', 'a', 'true'), edge('if', 'b', 'false'), edge('a', 'j'), edge('b', 'j')],
    )
    expect(structureProblems(def)).toEqual([{ nodeId: 'if', field: '', code: 'unstructured_graph' }])
  })

  it('rejects a join fed from outside its parallel', () => {
    const def = definition(
      [t, node('if', 'branch.if'), node('p', 'flow.parallel'), node('a', 'transform'), node('b', 'transform'), node('j', 'flow.join')],
      [edge('t', 'if'), edge('if', 'p', 'true'), edge('if', 'j', 'false'), edge('p', 'a'), edge('p', 'b'), edge('a', 'j'), edge('b', 'j')],
    )
    expect(structureProblems(def)).toEqual([{ nodeId: 'j', field: '', code: 'unstructured_graph' }])
  })

  it('limits nesting depth', () => {
    const nestedIfs = (levels: number): WorkflowDefinition => {
      const nodes = [t, node('end', 'output.end')]
      const edges = [edge('t', 'if0')]
      for (let i = 0; i < levels; i++) {
        nodes.push(node(`if${i}`, 'branch.if'), node(`x${i}`, 'transform'))
        edges.push(edge(`if${i}`, i + 1 < levels ? `if${i + 1}` : 'end', 'true'), edge(`if${i}`, `x${i}`, 'false'), edge(`x${i}`, 'end'))
      }
      return definition(nodes, edges)
    }
    expect(structureProblems(nestedIfs(100))).toEqual([])
    expect(structureProblems(nestedIfs(101))).toEqual([{ nodeId: 'x100', field: '', code: 'unstructured_graph' }])
  })

  it('rejects a join shared by two parallels', () => {
    const def = definition(
      [t, node('p1', 'flow.parallel'), node('p2', 'flow.parallel'), node('a', 'transform'), node('b', 'transform'), node('c', 'transform'), node('j', 'flow.join')],
      [edge('t', 'p1'), edge('p1', 'a'), edge('p1', 'p2'), edge('p2', 'b'), edge('p2', 'c'), edge('a', 'j'), edge('b', 'j'), edge('c', 'j')],
    )
    expect(structureProblems(def)).toEqual([{ nodeId: 'j', field: '', code: 'unstructured_graph' }])
  })
})
