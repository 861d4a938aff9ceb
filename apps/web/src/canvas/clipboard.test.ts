import { describe, expect, it } from 'vitest'
import { linearDefinition } from '@workflow-builder/definition'
import { copySelection, pasteInto } from './clipboard.ts'
import { toFlow } from './flow-mapping.ts'

describe('copy / paste', () => {
  const flow = toFlow(linearDefinition)
  const selected = flow.nodes.map((node) => ({ ...node, selected: node.id === 'fetch_user' || node.id === 'shape' }))

  it('copies selected nodes and only the edges between them', () => {
    const content = copySelection(selected, flow.edges)!
    expect(content.nodes.map((node) => node.id)).toEqual(['fetch_user', 'shape'])
    expect(content.edges.map((edge) => edge.id)).toEqual(['e_fetch_shape'])
    expect(copySelection(flow.nodes, flow.edges)).toBeUndefined()
  })

  it('pastes with fresh ids, offset, selection, and rewired references', () => {
    const content = copySelection(selected, flow.edges)!
    const result = pasteInto(content, selected, flow.edges)
    expect(result.pastedIds).toEqual(['fetch_user_2', 'shape_2'])
    const pasted = result.nodes.filter((node) => result.pastedIds.includes(node.id))
    expect(pasted.every((node) => node.selected === true)).toBe(true)
    expect(result.nodes.filter((node) => !result.pastedIds.includes(node.id)).every((node) => node.selected !== true)).toBe(true)
    expect(pasted[0]!.position).toEqual({ x: 280, y: 40 })
    const newEdge = result.edges[result.edges.length - 1]!
    expect(newEdge).toMatchObject({ source: 'fetch_user_2', target: 'shape_2', sourceHandle: 'out' })
    expect(result.edges).toHaveLength(flow.edges.length + 1)
    const mapping = pasted[1]!.data.config['mapping'] as Record<string, string>
    expect(mapping['name']).toBe('{{ steps.fetch_user_2.output.body.name }}')
    // The original is untouched.
    expect((flow.nodes[2]!.data.config['mapping'] as Record<string, string>)['name']).toBe('{{ steps.fetch_user.output.body.name }}')
  })

  it('keeps references to nodes that were not copied', () => {
    const onlyShape = flow.nodes.map((node) => ({ ...node, selected: node.id === 'shape' }))
    const result = pasteInto(copySelection(onlyShape, flow.edges)!, onlyShape, flow.edges)
    const mapping = result.nodes.at(-1)!.data.config['mapping'] as Record<string, string>
    expect(mapping['name']).toBe('{{ steps.fetch_user.output.body.name }}')
  })
})
