import { describe, expect, it } from 'vitest'
import { kitchenSinkDefinition, linearDefinition } from '@workflow-builder/definition'
import { autoLayout, DEFAULT_NODE_SIZE } from './auto-layout.ts'
import { toFlow } from './flow-mapping.ts'

function overlaps(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return Math.abs(a.x - b.x) < DEFAULT_NODE_SIZE.width && Math.abs(a.y - b.y) < DEFAULT_NODE_SIZE.height
}

describe('autoLayout', () => {
  it('lays a chain out left to right on one row', () => {
    const { nodes, edges } = toFlow(linearDefinition)
    const shuffled = nodes.map((node, i) => ({ ...node, position: { x: 1000 - i * 300, y: i * 170 } }))
    const laid = autoLayout(shuffled, edges)
    const xs = laid.map((node) => node.position.x)
    expect([...xs].sort((a, b) => a - b)).toEqual(xs)
    expect(new Set(laid.map((node) => node.position.y)).size).toBe(1)
    // Everything but the position is kept.
    expect(laid.map((node) => ({ ...node, position: undefined }))).toEqual(shuffled.map((node) => ({ ...node, position: undefined })))
  })

  it('places every edge target right of its source, without overlaps', () => {
    const { nodes, edges } = toFlow(kitchenSinkDefinition)
    const laid = autoLayout(nodes, edges)
    const at = new Map(laid.map((node) => [node.id, node.position]))
    for (const edge of edges) expect(at.get(edge.target)!.x, edge.id).toBeGreaterThan(at.get(edge.source)!.x)
    for (let i = 0; i < laid.length; i++) {
      for (let j = i + 1; j < laid.length; j++) expect(overlaps(laid[i]!.position, laid[j]!.position)).toBe(false)
    }
  })

  it('uses measured sizes and is deterministic', () => {
    const { nodes, edges } = toFlow(linearDefinition)
    const measured = nodes.map((node) => ({ ...node, measured: { width: 400, height: 100 } }))
    const a = autoLayout(measured, edges)
    const b = autoLayout(measured, edges)
    expect(a).toEqual(b)
    expect(a[1]!.position.x - a[0]!.position.x).toBeGreaterThanOrEqual(400)
  })

  it('supports top-to-bottom and ignores dangling edges', () => {
    const { nodes, edges } = toFlow(linearDefinition)
    const laid = autoLayout(nodes, [...edges, { source: 'end', target: 'ghost' }], { direction: 'TB' })
    expect(new Set(laid.map((node) => node.position.x)).size).toBe(1)
  })
})
