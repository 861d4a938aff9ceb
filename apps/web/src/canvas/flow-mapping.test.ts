import { describe, expect, it } from 'vitest'
import { kitchenSinkDefinition, linearDefinition, type WorkflowDefinition } from '@workflow-builder/definition'
import { fromFlow, toFlow } from './flow-mapping.ts'

describe('toFlow / fromFlow', () => {
  it.each([
    ['linear', linearDefinition],
    ['kitchen sink', kitchenSinkDefinition],
  ])('round-trips the %s fixture exactly', (_name, definition) => {
    const { nodes, edges } = toFlow(definition)
    expect(fromFlow(nodes, edges, definition)).toEqual(definition)
  })

  it('maps nodes to typed canvas nodes with definition data only', () => {
    const { nodes, edges } = toFlow(linearDefinition)
    expect(nodes[1]).toEqual({
      id: 'fetch_user',
      type: 'workflow',
      position: { x: 240, y: 0 },
      data: {
        kind: 'http.request',
        label: 'Fetch user',
        config: linearDefinition.nodes[1]?.config,
        retry: linearDefinition.nodes[1]?.retry,
        timeoutSeconds: 30,
      },
      ariaLabel: 'Fetch user (HTTP request)',
    })
    // A missing sourceHandle stays missing (null on the canvas: the only output).
    expect(edges[0]).toEqual({ id: 'e_start_fetch', source: 'start', target: 'fetch_user', sourceHandle: null })
    expect(edges[1]?.sourceHandle).toBe('out')
  })

  it('drops UI state and keeps the rest of the base definition', () => {
    const base: WorkflowDefinition = {
      ...linearDefinition,
      settings: { executionTimeoutSeconds: 60 },
      signals: [{ name: 'approve' }],
    }
    const { nodes, edges } = toFlow(base)
    const touched = nodes.map((node, i) => ({
      ...node,
      selected: i === 0,
      dragging: false,
      measured: { width: 200, height: 60 },
      position: i === 0 ? { x: 10, y: 20 } : node.position,
    }))
    const selectedEdges = edges.map((edge) => ({ ...edge, selected: true, animated: true }))
    const result = fromFlow(touched, selectedEdges, base)
    expect(result.settings).toEqual({ executionTimeoutSeconds: 60 })
    expect(result.signals).toEqual([{ name: 'approve' }])
    expect(result.inputSchema).toEqual(base.inputSchema)
    expect(result.nodes[0]).toEqual({ id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: { x: 10, y: 20 } })
    expect(Object.keys(result.edges[1] ?? {})).toEqual(['id', 'source', 'target', 'sourceHandle'])
  })

  it('does not mutate the definition', () => {
    const copy = structuredClone(linearDefinition)
    const { nodes, edges } = toFlow(copy)
    nodes[0]!.position.x = 999
    fromFlow(nodes, edges, copy)
    expect(copy).toEqual(linearDefinition)
  })
})
