/**
 * The workflow as a graph, and the graph algorithms the validator and the compiler share:
 * reachability, ancestry, topological order, cycles, immediate post-dominators and
 * `flow.forEach` body regions. Everything here tolerates invalid definitions (dangling edges,
 * unknown kinds) so `validateWorkflow` can report all problems at once.
 */
import { type NodeKindDescriptor, type OutputHandle, outputHandles } from './node-kind.ts'
import { nodeConfigSchemaValid } from './node-config.ts'
import { getNodeKind } from './node-kinds/index.ts'
import type { Problem } from './problem.ts'

/** The minimal node and edge shape the graph is built from (a `WorkflowDefinition` fits). */
export interface GraphInput {
  readonly nodes: ReadonlyArray<{ readonly id: string; readonly kind: string; readonly config?: unknown }>
  readonly edges: ReadonlyArray<{ readonly id: string; readonly source: string; readonly target: string; readonly sourceHandle?: string | undefined }>
}

/** A node of the graph with its kind descriptor and output handles resolved. */
export interface GraphNode {
  readonly id: string
  /** Position in `definition.nodes`. */
  readonly index: number
  readonly kind: string
  readonly config: unknown
  /** Undefined for unknown kinds. */
  readonly descriptor: NodeKindDescriptor | undefined
  /** Undefined when unknown: unknown kind, or dynamic handles with an invalid config. */
  readonly handles: readonly OutputHandle[] | undefined
}

/** An edge whose endpoints both exist. */
export interface GraphEdge {
  readonly id: string
  /** Position in `definition.edges`. */
  readonly index: number
  readonly source: string
  readonly target: string
  /** The source handle, defaulted when the source has a single handle; undefined when it cannot be resolved. */
  readonly handle: string | undefined
}

/** Adjacency view of a definition. */
export interface WorkflowGraph {
  /** First node for each id, in definition order. */
  readonly nodes: ReadonlyMap<string, GraphNode>
  /** Edges whose source and target exist, in definition order. */
  readonly edges: readonly GraphEdge[]
  readonly outgoing: ReadonlyMap<string, readonly GraphEdge[]>
  readonly incoming: ReadonlyMap<string, readonly GraphEdge[]>
}

/** Options shared by the traversal functions. */
export interface TraversalOptions {
  /** Edges for which this returns true are ignored. */
  skipEdge?: (edge: GraphEdge) => boolean
}

function handlesOf(descriptor: NodeKindDescriptor | undefined, config: unknown): readonly OutputHandle[] | undefined {
  if (descriptor === undefined) return undefined
  if (typeof descriptor.outputs !== 'function') return descriptor.outputs
  return nodeConfigSchemaValid(descriptor, config) ? outputHandles(descriptor, config as Record<string, unknown>) : undefined
}

/**
 * Whether the node is a trigger (a known kind in the `trigger` category).
 *
 * @example
 * isTrigger(graph.nodes.get('start')) // true
 */
export function isTrigger(node: GraphNode | undefined): boolean {
  return node?.descriptor?.category === 'trigger'
}

/**
 * Builds the graph and reports the problems found on the way: `duplicate_node_id`,
 * `duplicate_edge_id`, `dangling_edge`, `unknown_handle`, `missing_handle`, `edge_into_trigger`
 * and `duplicate_edge`.
 *
 * @example
 * const { graph, problems } = buildGraph(definition)
 * graph.outgoing.get('check')?.map((edge) => edge.handle) // ['true', 'false']
 */
export function buildGraph(input: GraphInput): { graph: WorkflowGraph; problems: Problem[] } {
  const problems: Problem[] = []
  const nodes = new Map<string, GraphNode>()
  input.nodes.forEach((node, index) => {
    if (nodes.has(node.id)) {
      problems.push({ nodeId: node.id, field: 'id', code: 'duplicate_node_id', message: `another node already has id "${node.id}"` })
      return
    }
    const descriptor = getNodeKind(node.kind)
    nodes.set(node.id, { id: node.id, index, kind: node.kind, config: node.config, descriptor, handles: handlesOf(descriptor, node.config) })
  })

  const edges: GraphEdge[] = []
  const edgeIds = new Set<string>()
  const connections = new Set<string>()
  input.edges.forEach((edge, index) => {
    if (edgeIds.has(edge.id)) {
      problems.push({ edgeId: edge.id, field: 'id', code: 'duplicate_edge_id', message: `another edge already has id "${edge.id}"` })
      return
    }
    edgeIds.add(edge.id)
    const source = nodes.get(edge.source)
    const target = nodes.get(edge.target)
    if (source === undefined) {
      problems.push({ edgeId: edge.id, field: 'source', code: 'dangling_edge', message: `source node "${edge.source}" does not exist` })
    }
    if (target === undefined) {
      problems.push({ edgeId: edge.id, field: 'target', code: 'dangling_edge', message: `target node "${edge.target}" does not exist` })
    }
    if (source === undefined || target === undefined) return

    let handle: string | undefined
    const handles = source.handles
    if (handles === undefined) {
      handle = edge.sourceHandle
    } else if (edge.sourceHandle === undefined) {
      if (handles.length === 1) handle = handles[0]?.id
      else if (handles.length === 0) {
        problems.push({ edgeId: edge.id, field: 'sourceHandle', code: 'unknown_handle', message: `${source.kind} nodes have no outputs` })
      } else {
        const ids = handles.map((h) => `"${h.id}"`).join(', ')
        problems.push({ edgeId: edge.id, field: 'sourceHandle', code: 'missing_handle', message: `required: "${source.id}" has several outputs (${ids})` })
      }
    } else if (handles.some((h) => h.id === edge.sourceHandle)) {
      handle = edge.sourceHandle
    } else {
      const ids = handles.map((h) => `"${h.id}"`).join(', ')
      problems.push({
        edgeId: edge.id,
        field: 'sourceHandle',
        code: 'unknown_handle',
        message: `"${source.id}" has no output "${edge.sourceHandle}"${ids === '' ? '' : ` (outputs: ${ids})`}`,
      })
    }

    if (isTrigger(target)) {
      problems.push({ edgeId: edge.id, field: 'target', code: 'edge_into_trigger', message: `trigger "${target.id}" cannot have incoming edges` })
    }
    if (handle !== undefined) {
      const key = JSON.stringify([edge.source, handle, edge.target])
      if (connections.has(key)) {
        problems.push({
          edgeId: edge.id,
          field: '',
          code: 'duplicate_edge',
          message: `"${edge.source}" (${handle}) is already connected to "${edge.target}"`,
        })
        return
      }
      connections.add(key)
    }
    edges.push({ id: edge.id, index, source: edge.source, target: edge.target, handle })
  })

  const outgoing = new Map<string, GraphEdge[]>()
  const incoming = new Map<string, GraphEdge[]>()
  for (const id of nodes.keys()) {
    outgoing.set(id, [])
    incoming.set(id, [])
  }
  for (const edge of edges) {
    outgoing.get(edge.source)?.push(edge)
    incoming.get(edge.target)?.push(edge)
  }
  return { graph: { nodes, edges, outgoing, incoming }, problems }
}

/**
 * Edges leaving `nodeId`, optionally only those from one handle.
 *
 * @example
 * outgoingEdges(graph, 'check', 'true').map((edge) => edge.target) // ['notify']
 */
export function outgoingEdges(graph: WorkflowGraph, nodeId: string, handle?: string): readonly GraphEdge[] {
  const edges = graph.outgoing.get(nodeId) ?? []
  return handle === undefined ? edges : edges.filter((edge) => edge.handle === handle)
}

/**
 * Every node reachable from `starts` (included) following edges forward.
 *
 * @example
 * reachableFrom(graph, ['trigger']).has('orphan') // false
 */
export function reachableFrom(graph: WorkflowGraph, starts: Iterable<string>, options: TraversalOptions = {}): Set<string> {
  const seen = new Set<string>()
  const stack = [...starts].filter((id) => graph.nodes.has(id))
  for (const id of stack) seen.add(id)
  while (stack.length > 0) {
    const id = stack.pop() as string
    for (const edge of graph.outgoing.get(id) ?? []) {
      if (options.skipEdge?.(edge) === true || seen.has(edge.target)) continue
      seen.add(edge.target)
      stack.push(edge.target)
    }
  }
  return seen
}

/**
 * Every node with a path to `nodeId` (not including `nodeId` itself unless it is on a cycle).
 *
 * @example
 * ancestorsOf(linearGraph, 'end') // Set { 'start', 'fetch', 'shape' }
 */
export function ancestorsOf(graph: WorkflowGraph, nodeId: string, options: TraversalOptions = {}): Set<string> {
  const seen = new Set<string>()
  const stack = [nodeId]
  while (stack.length > 0) {
    const id = stack.pop() as string
    for (const edge of graph.incoming.get(id) ?? []) {
      if (options.skipEdge?.(edge) === true || seen.has(edge.source)) continue
      seen.add(edge.source)
      stack.push(edge.source)
    }
  }
  return seen
}

/**
 * Node ids in a topological order (definition order among independent nodes), or undefined when
 * the graph has a cycle.
 *
 * @example
 * topologicalOrder(linearGraph) // ['start', 'fetch', 'shape', 'end']
 */
export function topologicalOrder(graph: WorkflowGraph, options: TraversalOptions = {}): string[] | undefined {
  const remaining = new Map<string, number>()
  for (const id of graph.nodes.keys()) remaining.set(id, 0)
  for (const edge of graph.edges) {
    if (options.skipEdge?.(edge) === true) continue
    remaining.set(edge.target, (remaining.get(edge.target) ?? 0) + 1)
  }
  // A FIFO over definition order keeps the result stable for snapshots.
  const queue = [...graph.nodes.keys()].filter((id) => remaining.get(id) === 0)
  const order: string[] = []
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] as string
    order.push(id)
    for (const edge of graph.outgoing.get(id) ?? []) {
      if (options.skipEdge?.(edge) === true) continue
      const left = (remaining.get(edge.target) ?? 0) - 1
      remaining.set(edge.target, left)
      if (left === 0) queue.push(edge.target)
    }
  }
  return order.length === graph.nodes.size ? order : undefined
}

/** A strongly connected set of nodes and one edge that closes a loop through them. */
export interface Cycle {
  /** Nodes on the cycle, in definition order. */
  readonly nodeIds: readonly string[]
  /** An edge of the cycle that points back to a node already on the current path. */
  readonly closingEdgeId: string
}

/**
 * Finds every cycle (strongly connected component with more than one node, or a self-loop).
 *
 * @example
 * findCycles(graph) // [{ nodeIds: ['a', 'b'], closingEdgeId: 'b-a' }]
 */
export function findCycles(graph: WorkflowGraph): Cycle[] {
  // Iterative Tarjan, so 5,000-node chains do not overflow the stack.
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  let counter = 0
  for (const root of graph.nodes.keys()) {
    if (index.has(root)) continue
    const work: Array<{ id: string; next: number }> = [{ id: root, next: 0 }]
    index.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: string; next: number }
      const edges = graph.outgoing.get(frame.id) ?? []
      if (frame.next < edges.length) {
        const target = (edges[frame.next++] as GraphEdge).target
        if (!index.has(target)) {
          index.set(target, counter)
          low.set(target, counter++)
          stack.push(target)
          onStack.add(target)
          work.push({ id: target, next: 0 })
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(target) as number))
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number))
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop() as string
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.id)
        components.push(component)
      }
    }
  }

  const cycles: Cycle[] = []
  for (const component of components) {
    const members = new Set(component)
    const selfLoop = component.length === 1 && (graph.outgoing.get(component[0] as string) ?? []).some((e) => e.target === component[0])
    if (component.length === 1 && !selfLoop) continue
    const ordered = [...members].sort((a, b) => (graph.nodes.get(a)?.index ?? 0) - (graph.nodes.get(b)?.index ?? 0))
    cycles.push({ nodeIds: ordered, closingEdgeId: closingEdge(graph, ordered[0] as string, members) })
  }
  return cycles.sort((a, b) => (graph.nodes.get(a.nodeIds[0] as string)?.index ?? 0) - (graph.nodes.get(b.nodeIds[0] as string)?.index ?? 0))
}

/** Depth-first search inside one component for the first edge back onto the current path. */
function closingEdge(graph: WorkflowGraph, start: string, members: ReadonlySet<string>): string {
  const onPath = new Set<string>([start])
  const visited = new Set<string>([start])
  const work: Array<{ id: string; next: number }> = [{ id: start, next: 0 }]
  while (work.length > 0) {
    const frame = work[work.length - 1] as { id: string; next: number }
    const edges = (graph.outgoing.get(frame.id) ?? []).filter((edge) => members.has(edge.target))
    if (frame.next >= edges.length) {
      onPath.delete(frame.id)
      work.pop()
      continue
    }
    const edge = edges[frame.next++] as GraphEdge
    if (onPath.has(edge.target)) return edge.id
    if (visited.has(edge.target)) continue
    visited.add(edge.target)
    onPath.add(edge.target)
    work.push({ id: edge.target, next: 0 })
  }
  return ''
}

/**
 * Immediate post-dominator of every node: the first node that every path from it to the end of
 * the run goes through. `null` means the virtual exit (paths end without meeting again).
 * Returns undefined when the graph (minus skipped edges) has a cycle.
 *
 * @example
 * // check --true--> a --> merge, check --false--> merge
 * immediatePostDominators(graph)?.get('check') // 'merge'
 */
export function immediatePostDominators(graph: WorkflowGraph, options: TraversalOptions = {}): Map<string, string | null> | undefined {
  const order = topologicalOrder(graph, options)
  if (order === undefined) return undefined
  const ipdom = new Map<string, string | null>()
  const depth = new Map<string | null, number>([[null, 0]])
  const up = (id: string | null): string | null => (id === null ? null : (ipdom.get(id) ?? null))
  const depthOf = (id: string | null): number => depth.get(id) ?? 0
  const meet = (first: string | null, second: string | null): string | null => {
    let a = first
    let b = second
    while (a !== b) {
      if (depthOf(a) >= depthOf(b)) a = up(a)
      else b = up(b)
    }
    return a
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i] as string
    const successors = [
      ...new Set((graph.outgoing.get(id) ?? []).filter((e) => options.skipEdge?.(e) !== true).map((e) => e.target)),
    ]
    let dominator: string | null = successors.length === 0 ? null : (successors[0] as string)
    for (const next of successors.slice(1)) dominator = meet(dominator, next)
    ipdom.set(id, dominator)
    depth.set(id, depthOf(dominator) + 1)
  }
  return ipdom
}

/**
 * Whether the edge starts a `flow.forEach` body (leaves its `item` handle). Skip these edges to
 * see a loop as a single step of the enclosing flow.
 *
 * @example
 * immediatePostDominators(graph, { skipEdge: (edge) => isLoopBodyEdge(graph, edge) })
 */
export function isLoopBodyEdge(graph: WorkflowGraph, edge: GraphEdge): boolean {
  const loop = graph.nodes.get(edge.source)?.descriptor?.loop
  return loop !== undefined && edge.handle === loop.bodyHandle
}

/**
 * Whether the node is a loop (its kind descriptor has `loop`: `flow.forEach`, `queue.process`).
 *
 * @example
 * isLoopNode(graph.nodes.get('each')) // true
 */
export function isLoopNode(node: GraphNode | undefined): boolean {
  return node?.descriptor?.loop !== undefined
}

/**
 * The body region of a loop node (`flow.forEach`, `queue.process`): every node reachable from its `item` handle.
 *
 * @example
 * forEachBody(graph, 'each') // Set { 'fetchItem', 'shapeItem' }
 */
export function forEachBody(graph: WorkflowGraph, forEachId: string): Set<string> {
  const handle = graph.nodes.get(forEachId)?.descriptor?.loop?.bodyHandle ?? 'item'
  const entries = outgoingEdges(graph, forEachId, handle).map((edge) => edge.target)
  const body = reachableFrom(graph, entries)
  body.delete(forEachId)
  return body
}

/**
 * For every node, the loop nodes (`flow.forEach`, `queue.process`) whose body contains it (outermost first is not
 * guaranteed; use it as a set).
 *
 * @example
 * enclosingLoops(graph).get('fetchItem') // ['each']
 */
export function enclosingLoops(graph: WorkflowGraph): Map<string, string[]> {
  const loops = new Map<string, string[]>()
  for (const node of graph.nodes.values()) {
    if (!isLoopNode(node)) continue
    for (const member of forEachBody(graph, node.id)) {
      const list = loops.get(member) ?? []
      list.push(node.id)
      loops.set(member, list)
    }
  }
  return loops
}

/** Answers "is `a` upstream of `b`" quickly for many pairs. */
export interface Ancestry {
  isAncestor(ancestor: string, nodeId: string): boolean
}

/**
 * Precomputes ancestry: bitsets in topological order for acyclic graphs, memoised searches
 * otherwise.
 *
 * @example
 * ancestry(graph).isAncestor('fetch', 'end') // true
 */
export function ancestry(graph: WorkflowGraph): Ancestry {
  const order = topologicalOrder(graph)
  if (order === undefined) {
    const memo = new Map<string, Set<string>>()
    return {
      isAncestor(ancestor, nodeId) {
        let set = memo.get(nodeId)
        if (set === undefined) {
          set = ancestorsOf(graph, nodeId)
          memo.set(nodeId, set)
        }
        return set.has(ancestor)
      },
    }
  }
  const position = new Map(order.map((id, i) => [id, i]))
  const words = Math.ceil(order.length / 32)
  const bits = order.map(() => new Uint32Array(words))
  for (const id of order) {
    const own = bits[position.get(id) as number] as Uint32Array
    for (const edge of graph.incoming.get(id) ?? []) {
      const from = position.get(edge.source) as number
      const theirs = bits[from] as Uint32Array
      for (let w = 0; w < words; w++) own[w] = (own[w] as number) | (theirs[w] as number)
      own[from >>> 5] = (own[from >>> 5] as number) | (1 << (from & 31))
    }
  }
  return {
    isAncestor(ancestor, nodeId) {
      const a = position.get(ancestor)
      const n = position.get(nodeId)
      if (a === undefined || n === undefined) return false
      return (((bits[n] as Uint32Array)[a >>> 5] as number) & (1 << (a & 31))) !== 0
    },
  }
}
