import { describe, expect, it } from 'vitest'
import { linearDefinition } from '@workflow-builder/definition'
import {
  addEdge, addNodes, deleteSelection, docDefinition, docFromWorkflow, normaliseDefinition, selectAll, selectOnly, serializeDoc,
  updateNodeData, validationKey, withoutUiState,
} from './document.ts'
import { createNode } from '../canvas/new-node.ts'

const workflow = { definition: linearDefinition, name: 'Fetch', description: null }

describe('editor document', () => {
  it('round-trips a workflow definition', () => {
    expect(docDefinition(docFromWorkflow(workflow))).toEqual(linearDefinition)
  })

  it('ignores selection and positions where it should', () => {
    const doc = docFromWorkflow(workflow)
    const selected = selectAll(doc)
    expect(serializeDoc(selected)).toBe(serializeDoc(doc))
    const moved = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: { x: n.position.x + 5, y: 0 } })) }
    expect(serializeDoc(moved)).not.toBe(serializeDoc(doc))
    expect(validationKey(moved)).toBe(validationKey(doc))
    expect(withoutUiState(selected).nodes.some((n) => 'selected' in n)).toBe(false)
  })

  it('deletes selected nodes with their edges, and selected edges', () => {
    const doc = selectOnly(docFromWorkflow(workflow), ['shape'])
    const after = deleteSelection(doc)
    expect(after.nodes.map((n) => n.id)).toEqual(['start', 'fetch_user', 'end'])
    expect(after.edges.map((e) => e.id)).toEqual(['e_start_fetch'])
    const unselected = docFromWorkflow(workflow)
    expect(deleteSelection(unselected)).toBe(unselected)
    const edgeSelected = { ...after, edges: after.edges.map((e) => ({ ...e, selected: true })) }
    expect(deleteSelection(edgeSelected).edges).toEqual([])
  })

  it('updates node data and its accessible name, removing undefined fields', () => {
    const doc = updateNodeData(docFromWorkflow(workflow), 'fetch_user', { label: 'Get user', retry: undefined })
    const node = doc.nodes.find((n) => n.id === 'fetch_user')!
    expect(node.data.label).toBe('Get user')
    expect('retry' in node.data).toBe(false)
    expect(node.ariaLabel).toBe('Get user (HTTP request)')
  })

  it('adds nodes selected and edges with readable ids', () => {
    const doc = docFromWorkflow(workflow)
    const node = createNode('flow.delay', { x: 0, y: 0 }, new Set(doc.nodes.map((n) => n.id)))!
    const added = addNodes(selectOnly(doc, ['start']), [node])
    expect(added.nodes.filter((n) => n.selected === true).map((n) => n.id)).toEqual(['flow_delay'])
    const connected = addEdge(added, { source: 'shape', sourceHandle: 'out', target: 'flow_delay' })
    expect(connected.edges.at(-1)).toEqual({ id: 'e_shape_out_flow_delay', source: 'shape', target: 'flow_delay', sourceHandle: 'out' })
  })

  it('normalises legacy definitions', () => {
    expect(normaliseDefinition(null)).toEqual({ schemaVersion: 1, nodes: [], edges: [] })
    expect(normaliseDefinition({ nodes: 'x' } as never)).toEqual({ schemaVersion: 1, nodes: [], edges: [] })
  })
})
