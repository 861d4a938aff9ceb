import { describe, expect, it } from 'vitest'
import { kitchenSinkDefinition } from '@workflow-builder/definition'
import { checkConnection, isValidConnection, type RuleEdge, type RuleNode } from './connection-rules.ts'
import { toFlow } from './flow-mapping.ts'

const node = (id: string, kind: string, config: Record<string, unknown> = {}): RuleNode => ({ id, data: { kind, config } })

const nodes: RuleNode[] = [
  node('start', 'trigger.manual'),
  node('fetch', 'http.request', { url: 'https://example.com' }),
  node('check', 'branch.if', { condition: '{{ true }}' }),
  node('route', 'branch.switch', { value: '{{ 1 }}', cases: [{ id: 'gold', label: 'Gold', equals: 'gold' }] }),
  node('each', 'flow.forEach', { items: '{{ [1] }}' }),
  node('wait', 'signal.wait', { signalName: 'approve' }),
  node('wait_t', 'signal.wait', { signalName: 'approve', timeoutSeconds: 60 }),
  node('a', 'transform', { mapping: {} }),
  node('b', 'transform', { mapping: {} }),
  node('end', 'output.end'),
  node('mystery', 'nope.kind'),
]
const edges: RuleEdge[] = [
  { source: 'start', target: 'fetch' },
  { source: 'fetch', target: 'a', sourceHandle: 'out' },
  { source: 'a', target: 'b' },
]

describe('checkConnection', () => {
  it('accepts a plain connection and resolves the single handle', () => {
    expect(checkConnection({ source: 'b', target: 'end' }, nodes, edges)).toEqual({ ok: true, sourceHandle: 'out' })
  })

  it('refuses edges into a trigger', () => {
    expect(checkConnection({ source: 'a', target: 'start', sourceHandle: 'out' }, nodes, edges)).toEqual({
      ok: false,
      reason: 'triggers cannot have incoming edges',
    })
  })

  it('refuses self-loops', () => {
    expect(isValidConnection({ source: 'a', target: 'a', sourceHandle: 'out' }, nodes, edges)).toBe(false)
  })

  it('refuses cycles, direct and indirect', () => {
    expect(checkConnection({ source: 'b', target: 'a', sourceHandle: 'out' }, nodes, edges)).toEqual({
      ok: false,
      reason: 'this connection would create a cycle',
    })
    expect(isValidConnection({ source: 'b', target: 'fetch', sourceHandle: 'out' }, nodes, edges)).toBe(false)
  })

  it('refuses duplicates, including an explicit handle against an implicit one', () => {
    expect(isValidConnection({ source: 'a', target: 'b', sourceHandle: 'out' }, nodes, edges)).toBe(false)
    expect(isValidConnection({ source: 'start', target: 'fetch', sourceHandle: 'out' }, nodes, edges)).toBe(false)
  })

  it('requires the handle to exist on the descriptor', () => {
    expect(isValidConnection({ source: 'check', target: 'end', sourceHandle: 'true' }, nodes, edges)).toBe(true)
    expect(isValidConnection({ source: 'check', target: 'end', sourceHandle: 'false' }, nodes, edges)).toBe(true)
    expect(checkConnection({ source: 'check', target: 'end', sourceHandle: 'maybe' }, nodes, edges)).toEqual({
      ok: false,
      reason: '"check" has no output "maybe"',
    })
    expect(checkConnection({ source: 'check', target: 'end' }, nodes, edges)).toMatchObject({ ok: false })
  })

  it('knows switch cases, forEach item/done and signal received/timeout', () => {
    expect(isValidConnection({ source: 'route', target: 'end', sourceHandle: 'gold' }, nodes, edges)).toBe(true)
    expect(isValidConnection({ source: 'route', target: 'end', sourceHandle: 'default' }, nodes, edges)).toBe(true)
    expect(isValidConnection({ source: 'route', target: 'end', sourceHandle: 'silver' }, nodes, edges)).toBe(false)
    expect(isValidConnection({ source: 'each', target: 'end', sourceHandle: 'item' }, nodes, edges)).toBe(true)
    expect(isValidConnection({ source: 'each', target: 'end', sourceHandle: 'done' }, nodes, edges)).toBe(true)
    expect(isValidConnection({ source: 'wait', target: 'end', sourceHandle: 'received' }, nodes, edges)).toBe(true)
    expect(isValidConnection({ source: 'wait', target: 'end', sourceHandle: 'timeout' }, nodes, edges)).toBe(false)
    expect(isValidConnection({ source: 'wait_t', target: 'end', sourceHandle: 'timeout' }, nodes, edges)).toBe(true)
  })

  it('refuses outputs of nodes without outputs and unknown kinds', () => {
    expect(checkConnection({ source: 'end', target: 'a' }, nodes, edges)).toEqual({ ok: false, reason: '"end" has no outputs' })
    expect(isValidConnection({ source: 'mystery', target: 'a' }, nodes, edges)).toBe(false)
    expect(isValidConnection({ source: 'a', target: 'mystery', sourceHandle: 'out' }, nodes, edges)).toBe(false)
    expect(isValidConnection({ source: 'a', target: 'ghost', sourceHandle: 'out' }, nodes, edges)).toBe(false)
  })

  it('accepts every edge of a valid workflow when re-adding it to the rest', () => {
    const flow = toFlow(kitchenSinkDefinition)
    for (const edge of flow.edges) {
      const others = flow.edges.filter((other) => other.id !== edge.id)
      expect(checkConnection(edge, flow.nodes, others), edge.id).toMatchObject({ ok: true })
    }
  })
})
