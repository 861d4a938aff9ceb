import { newEdgeId, newNodeId } from './ids.ts'
import type { WorkflowFlowEdge, WorkflowFlowNode } from './flow-types.ts'

/** What Copy keeps: the selected nodes and the edges between them, as plain data. */
export interface ClipboardContent {
  nodes: WorkflowFlowNode[]
  edges: WorkflowFlowEdge[]
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value)
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]))
  }
  return value
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Rewrites `steps.<old>` references to nodes pasted together, so a pasted chain keeps its wiring. */
function renameReferences(config: Record<string, unknown>, renamed: ReadonlyMap<string, string>): Record<string, unknown> {
  const changes = [...renamed].filter(([from, to]) => from !== to)
  if (changes.length === 0) return config
  const patterns = changes.map(([from, to]) => [new RegExp(`\\bsteps\\.${escapeRegExp(from)}(?![A-Za-z0-9_-])`, 'g'), `steps.${to}`] as const)
  return mapStrings(config, (text) => (text.includes('{{') ? patterns.reduce((out, [re, to]) => out.replace(re, to), text) : text)) as Record<
    string,
    unknown
  >
}

function plainNode(node: WorkflowFlowNode): WorkflowFlowNode {
  const plain: WorkflowFlowNode = { id: node.id, type: node.type, position: { ...node.position }, data: structuredClone(node.data) }
  if (node.ariaLabel !== undefined) plain.ariaLabel = node.ariaLabel
  return plain
}

/**
 * Copies the selected nodes and the edges whose both ends are selected.
 *
 * @example
 * clipboard = copySelection(nodes, edges)
 */
export function copySelection(nodes: readonly WorkflowFlowNode[], edges: readonly WorkflowFlowEdge[]): ClipboardContent | undefined {
  const selected = nodes.filter((node) => node.selected === true)
  if (selected.length === 0) return undefined
  const ids = new Set(selected.map((node) => node.id))
  return {
    nodes: selected.map(plainNode),
    edges: edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge) => ({ id: edge.id, source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle ?? null })),
  }
}

/**
 * Pastes copied nodes with fresh ids (the edges between them follow), offset by `offset`, and
 * selected; the nodes already on the canvas are deselected.
 *
 * @example
 * const next = pasteInto(clipboard, nodes, edges)
 * setNodes(next.nodes); setEdges(next.edges)
 */
export function pasteInto(
  content: ClipboardContent,
  nodes: readonly WorkflowFlowNode[],
  edges: readonly WorkflowFlowEdge[],
  offset: { x: number; y: number } = { x: 40, y: 40 },
): { nodes: WorkflowFlowNode[]; edges: WorkflowFlowEdge[]; pastedIds: string[] } {
  const takenNodes = new Set(nodes.map((node) => node.id))
  const renamed = new Map<string, string>()
  for (const node of content.nodes) {
    const id = newNodeId(node.id, takenNodes)
    takenNodes.add(id)
    renamed.set(node.id, id)
  }
  const pasted = content.nodes.map((node) => {
    const plain = plainNode(node)
    return {
      ...plain,
      id: renamed.get(node.id) as string,
      data: { ...plain.data, config: renameReferences(plain.data.config, renamed) },
      position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
      selected: true,
    }
  })
  const takenEdges = new Set(edges.map((edge) => edge.id))
  const pastedEdges = content.edges.flatMap((edge) => {
    const source = renamed.get(edge.source)
    const target = renamed.get(edge.target)
    if (source === undefined || target === undefined) return []
    const id = newEdgeId(source, edge.sourceHandle, target, takenEdges)
    takenEdges.add(id)
    return [{ id, source, target, sourceHandle: edge.sourceHandle ?? null }]
  })
  return {
    nodes: [...nodes.map((node) => (node.selected === true ? { ...node, selected: false } : node)), ...pasted],
    edges: [...edges.map((edge) => (edge.selected === true ? { ...edge, selected: false } : edge)), ...pastedEdges],
    pastedIds: pasted.map((node) => node.id),
  }
}
