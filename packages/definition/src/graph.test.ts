import { describe, expect, it } from 'vitest'
import { kitchenSinkDefinition } from './fixtures/kitchen-sink.ts'
import { linearDefinition } from './fixtures/linear.ts'
import {
  ancestorsOf,
  ancestry,
  buildGraph,
  enclosingLoops,
  findCycles,
  forEachBody,
  immediatePostDominators,
  isLoopBodyEdge,
  reachableFrom,
  topologicalOrder,
} from './graph.ts'
import { definition, edge, node } from './test-support.ts'

const graphOf = (def: Parameters<typeof buildGraph>[0]) => buildGraph(def).graph

describe('buildGraph', () => {
  it('resolves default handles', () => {
    const { graph, problems } = buildGraph(linearDefinition)
    expect(problems).toEqual([])
    expect(graph.edges.map((e) => e.handle)).toEqual(['out', 'out', 'out'])
  })

  it('keeps the first of duplicate nodes and drops dangling edges', () => {
    const { graph, problems } = buildGraph(
      definition([node('t', 'trigger.manual'), node('a', 'transform'), node('a', 'http.request')], [edge('t', 'a'), edge('a', 'ghost')]),
    )
    expect(graph.nodes.get('a')?.kind).toBe('transform')
    expect(graph.edges.map((e) => e.id)).toEqual(['t-a'])
    expect(problems.map((p) => p.code)).toEqual(['duplicate_node_id', 'dangling_edge'])
  })
})

describe('traversals', () => {
  const graph = graphOf(linearDefinition)

  it('orders topologically and finds reachability and ancestors', () => {
    expect(topologicalOrder(graph)).toEqual(['start', 'fetch_user', 'shape', 'end'])
    expect([...reachableFrom(graph, ['shape'])]).toEqual(['shape', 'end'])
    expect([...ancestorsOf(graph, 'shape')].sort()).toEqual(['fetch_user', 'start'])
    const index = ancestry(graph)
    expect(index.isAncestor('start', 'end')).toBe(true)
    expect(index.isAncestor('end', 'start')).toBe(false)
    expect(index.isAncestor('shape', 'shape')).toBe(false)
  })

  it('answers ancestry on large chains', () => {
    const count = 2_000
    const nodes = [node('t', 'trigger.manual'), ...Array.from({ length: count }, (_, i) => node(`n${i}`, 'transform'))]
    const edges = [edge('t', 'n0'), ...Array.from({ length: count - 1 }, (_, i) => edge(`n${i}`, `n${i + 1}`))]
    const big = ancestry(graphOf(definition(nodes, edges)))
    expect(big.isAncestor('t', `n${count - 1}`)).toBe(true)
    expect(big.isAncestor(`n${count - 1}`, 'n0')).toBe(false)
  })
})

describe('findCycles', () => {
  it('reports each cycle with its closing edge', () => {
    const graph = graphOf(
      definition(
        [node('t', 'trigger.manual'), node('a', 'transform'), node('b', 'transform'), node('c', 'transform')],
        [edge('t', 'a'), edge('a', 'b'), edge('b', 'a'), edge('c', 'c')],
      ),
    )
    expect(findCycles(graph)).toEqual([
      { nodeIds: ['a', 'b'], closingEdgeId: 'b-a' },
      { nodeIds: ['c'], closingEdgeId: 'c-c' },
    ])
    expect(topologicalOrder(graph)).toBeUndefined()
    expect(ancestry(graph).isAncestor('b', 'a')).toBe(true)
  })
})

describe('immediatePostDominators', () => {
  it('finds where branches meet, with item edges skipped', () => {
    const graph = graphOf(kitchenSinkDefinition)
    const ipdom = immediatePostDominators(graph, { skipEdge: (e) => isLoopBodyEdge(graph, e) })
    expect(ipdom?.get('is_ok')).toBe('result')
    expect(ipdom?.get('route')).toBe('switch_merge')
    expect(ipdom?.get('approval')).toBe('approval_merge')
    expect(ipdom?.get('fan_out')).toBe('gather')
    expect(ipdom?.get('each_line')).toBe('result')
    expect(ipdom?.get('line_price')).toBe('line_total')
    expect(ipdom?.get('line_total')).toBeNull()
    expect(ipdom?.get('done')).toBeNull()
  })

  it('returns null when paths never meet', () => {
    const graph = graphOf(
      definition(
        [node('t', 'trigger.manual'), node('if', 'branch.if'), node('a', 'output.end'), node('b', 'output.end')],
        [edge('t', 'if'), edge('if', 'a', 'true'), edge('if', 'b', 'false')],
      ),
    )
    expect(immediatePostDominators(graph)?.get('if')).toBeNull()
  })
})

describe('loop regions', () => {
  it('finds forEach bodies and enclosing loops', () => {
    const graph = graphOf(kitchenSinkDefinition)
    expect([...forEachBody(graph, 'each_line')].sort()).toEqual(['line_price', 'line_total'])
    expect(enclosingLoops(graph).get('line_total')).toEqual(['each_line'])
    expect(enclosingLoops(graph).get('result')).toBeUndefined()
  })
})
