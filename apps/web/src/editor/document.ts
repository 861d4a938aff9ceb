import type { WorkflowDefinition } from '@workflow-builder/definition'
import { nodeAriaLabel, fromFlow, toFlow } from '../canvas/flow-mapping.ts'
import type { WorkflowFlowEdge, WorkflowFlowNode, WorkflowNodeData } from '../canvas/flow-types.ts'
import { newEdgeId } from '../canvas/ids.ts'

/**
 * What the editor edits: the canvas graph, the rest of the definition, and the workflow's name
 * and description. Undo/redo snapshots and the unsaved-changes check work on this.
 */
export interface EditorDoc {
  readonly nodes: WorkflowFlowNode[]
  readonly edges: WorkflowFlowEdge[]
  /** The definition besides nodes and edges (schema version, input schema, settings, signals, queries). */
  readonly base: WorkflowDefinition
  readonly name: string
  readonly description: string | null
}

/**
 * The editor document of a loaded workflow.
 *
 * @example
 * const doc = docFromWorkflow(workflow)
 */
export function docFromWorkflow(workflow: { definition: WorkflowDefinition; name: string; description: string | null }): EditorDoc {
  const definition = normaliseDefinition(workflow.definition)
  const { nodes, edges } = toFlow(definition)
  return { nodes, edges, base: { ...definition, nodes: [], edges: [] }, name: workflow.name, description: workflow.description }
}

/** Stored definitions written before the schema may lack arrays or the version: fill them in. */
export function normaliseDefinition(definition: Partial<WorkflowDefinition> | null | undefined): WorkflowDefinition {
  const value = (definition ?? {}) as Partial<WorkflowDefinition>
  return {
    ...value,
    schemaVersion: 1,
    nodes: Array.isArray(value.nodes) ? value.nodes : [],
    edges: Array.isArray(value.edges) ? value.edges : [],
  } as WorkflowDefinition
}

/** The definition the document describes. */
export function docDefinition(doc: EditorDoc): WorkflowDefinition {
  return fromFlow(doc.nodes, doc.edges, doc.base)
}

/** A stable text of everything that is saved, for the unsaved-changes check. */
export function serializeDoc(doc: EditorDoc): string {
  return JSON.stringify({ definition: docDefinition(doc), name: doc.name, description: doc.description })
}

/** The definition with every node at the origin (still valid), so moving nodes does not trigger re-validation. */
export function validationKey(doc: EditorDoc): string {
  const definition = docDefinition(doc)
  return JSON.stringify({ ...definition, nodes: definition.nodes.map((node) => ({ ...node, position: { x: 0, y: 0 } })) })
}

/** The document without selection or in-flight UI state (for history snapshots). */
export function withoutUiState(doc: EditorDoc): EditorDoc {
  return {
    ...doc,
    nodes: doc.nodes.map((node) => {
      const { selected: _selected, dragging: _dragging, ...rest } = node
      return rest
    }),
    edges: doc.edges.map((edge) => {
      const { selected: _selected, ...rest } = edge
      return rest
    }),
  }
}

export const selectedNodeIds = (doc: EditorDoc): string[] => doc.nodes.filter((node) => node.selected === true).map((node) => node.id)
export const selectedEdgeIds = (doc: EditorDoc): string[] => doc.edges.filter((edge) => edge.selected === true).map((edge) => edge.id)

/**
 * Removes the selected nodes (with their edges) and the selected edges. Returns the same
 * document when nothing is selected.
 */
export function deleteSelection(doc: EditorDoc): EditorDoc {
  const nodeIds = new Set(selectedNodeIds(doc))
  const edgeIds = new Set(selectedEdgeIds(doc))
  if (nodeIds.size === 0 && edgeIds.size === 0) return doc
  return {
    ...doc,
    nodes: doc.nodes.filter((node) => !nodeIds.has(node.id)),
    edges: doc.edges.filter((edge) => !edgeIds.has(edge.id) && !nodeIds.has(edge.source) && !nodeIds.has(edge.target)),
  }
}

/** Removes nodes and edges by id (edges of removed nodes go too). */
export function deleteElements(doc: EditorDoc, nodeIds: readonly string[], edgeIds: readonly string[] = []): EditorDoc {
  const nodes = new Set(nodeIds)
  const edges = new Set(edgeIds)
  return {
    ...doc,
    nodes: doc.nodes.filter((node) => !nodes.has(node.id)),
    edges: doc.edges.filter((edge) => !edges.has(edge.id) && !nodes.has(edge.source) && !nodes.has(edge.target)),
  }
}

/** Replaces fields of one node's data (keeping its accessible name in step with its label). */
export function updateNodeData(doc: EditorDoc, nodeId: string, patch: Partial<WorkflowNodeData>): EditorDoc {
  return {
    ...doc,
    nodes: doc.nodes.map((node) => {
      if (node.id !== nodeId) return node
      const data = { ...node.data, ...patch }
      for (const key of Object.keys(patch) as Array<keyof WorkflowNodeData>) if (patch[key] === undefined) delete data[key]
      return { ...node, data, ariaLabel: nodeAriaLabel(data.kind, data.label) }
    }),
  }
}

/** Adds nodes, selected, deselecting everything else. */
export function addNodes(doc: EditorDoc, nodes: readonly WorkflowFlowNode[]): EditorDoc {
  return {
    ...selectOnly(doc, []),
    nodes: [...selectOnly(doc, []).nodes, ...nodes.map((node) => ({ ...node, selected: true }))],
  }
}

/** Adds an edge with a readable id (the caller checked the connection). */
export function addEdge(doc: EditorDoc, connection: { source: string; target: string; sourceHandle: string }): EditorDoc {
  const id = newEdgeId(connection.source, connection.sourceHandle, connection.target, new Set(doc.edges.map((edge) => edge.id)))
  return { ...doc, edges: [...doc.edges, { id, source: connection.source, target: connection.target, sourceHandle: connection.sourceHandle }] }
}

/** Selects exactly these nodes (and no edges); keeps object identity where nothing changes. */
export function selectOnly(doc: EditorDoc, nodeIds: readonly string[]): EditorDoc {
  const ids = new Set(nodeIds)
  return {
    ...doc,
    nodes: doc.nodes.map((node) => (ids.has(node.id) === (node.selected === true) ? node : { ...node, selected: ids.has(node.id) })),
    edges: doc.edges.map((edge) => (edge.selected === true ? { ...edge, selected: false } : edge)),
  }
}

/** Selects every node and edge. */
export function selectAll(doc: EditorDoc): EditorDoc {
  return {
    ...doc,
    nodes: doc.nodes.map((node) => (node.selected === true ? node : { ...node, selected: true })),
    edges: doc.edges.map((edge) => (edge.selected === true ? edge : { ...edge, selected: true })),
  }
}
