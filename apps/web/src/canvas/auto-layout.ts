import { graphlib, layout } from '@dagrejs/dagre'

/** Size used for nodes React Flow has not measured yet. */
export const DEFAULT_NODE_SIZE = { width: 220, height: 72 } as const

/** The parts of a node the layout reads. */
export interface LayoutNode {
  readonly id: string
  readonly position: { x: number; y: number }
  readonly measured?: { width?: number | undefined; height?: number | undefined } | undefined
}

/** The parts of an edge the layout reads. */
export interface LayoutEdge {
  readonly source: string
  readonly target: string
  readonly sourceHandle?: string | null | undefined
}

export interface LayoutOptions {
  /** `LR` (left to right, the default) or `TB`. */
  direction?: 'LR' | 'TB'
  /** Gap between nodes of one rank. */
  nodeSep?: number
  /** Gap between ranks. */
  rankSep?: number
}

/**
 * Layered (Sugiyama) layout with dagre, left to right by default. Returns new nodes with new
 * top-left positions (React Flow's origin); everything else of each node is kept. Deterministic.
 *
 * @example
 * setNodes((nodes) => autoLayout(nodes, edges))
 */
export function autoLayout<N extends LayoutNode>(nodes: readonly N[], edges: readonly LayoutEdge[], options: LayoutOptions = {}): N[] {
  const graph = new graphlib.Graph({ multigraph: true })
  graph.setGraph({ rankdir: options.direction ?? 'LR', nodesep: options.nodeSep ?? 40, ranksep: options.rankSep ?? 80, marginx: 0, marginy: 0 })
  graph.setDefaultEdgeLabel(() => ({}))
  const sizes = new Map<string, { width: number; height: number }>()
  for (const node of nodes) {
    const size = {
      width: node.measured?.width ?? DEFAULT_NODE_SIZE.width,
      height: node.measured?.height ?? DEFAULT_NODE_SIZE.height,
    }
    sizes.set(node.id, size)
    graph.setNode(node.id, { ...size })
  }
  edges.forEach((edge, index) => {
    if (sizes.has(edge.source) && sizes.has(edge.target)) graph.setEdge(edge.source, edge.target, {}, `e${index}`)
  })
  layout(graph)
  return nodes.map((node) => {
    const placed = graph.node(node.id) as { x: number; y: number } | undefined
    const size = sizes.get(node.id) ?? DEFAULT_NODE_SIZE
    if (placed === undefined) return node
    return { ...node, position: { x: Math.round(placed.x - size.width / 2), y: Math.round(placed.y - size.height / 2) } }
  })
}
