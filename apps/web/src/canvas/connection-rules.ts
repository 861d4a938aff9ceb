import { getNodeKind } from '@workflow-builder/definition'
import { acceptsInput, nodeOutputHandles } from './node-handles.ts'

/** The parts of a canvas node the rules read. */
export interface RuleNode {
  readonly id: string
  readonly data: { readonly kind: string; readonly config: unknown }
}

/** The parts of a canvas edge (or a proposed connection) the rules read. */
export interface RuleEdge {
  readonly source: string
  readonly target: string
  readonly sourceHandle?: string | null | undefined
}

/** Result of {@link checkConnection}: the resolved source handle, or why the connection is refused. */
export type ConnectionCheck = { ok: true; sourceHandle: string } | { ok: false; reason: string }

function resolveHandle(node: RuleNode | undefined, handle: string | null | undefined): string | undefined {
  if (node === undefined) return undefined
  const handles = nodeOutputHandles(node.data.kind, node.data.config)
  if (handle === null || handle === undefined) return handles.length === 1 ? handles[0]?.id : undefined
  return handles.some((h) => h.id === handle) ? handle : undefined
}

/** Whether `to` can be reached from `from` following edges forward. */
function reaches(edges: readonly RuleEdge[], from: string, to: string): boolean {
  const outgoing = new Map<string, string[]>()
  for (const edge of edges) {
    const list = outgoing.get(edge.source)
    if (list === undefined) outgoing.set(edge.source, [edge.target])
    else list.push(edge.target)
  }
  const seen = new Set<string>([from])
  const stack = [from]
  while (stack.length > 0) {
    const id = stack.pop() as string
    if (id === to) return true
    for (const next of outgoing.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next)
        stack.push(next)
      }
    }
  }
  return false
}

/**
 * Checks a proposed connection against the canvas rules (the same ones `validateWorkflow`
 * enforces on edges): the target accepts input (not a trigger), no self-loop, no cycle, the
 * source handle exists on the source kind for its config, and no duplicate edge.
 *
 * @example
 * checkConnection({ source: 'check', sourceHandle: 'maybe', target: 'end' }, nodes, edges)
 * // { ok: false, reason: '"check" has no output "maybe"' }
 */
export function checkConnection(
  connection: RuleEdge,
  nodes: readonly RuleNode[],
  edges: readonly RuleEdge[],
): ConnectionCheck {
  const byId = new Map(nodes.map((node) => [node.id, node]))
  const source = byId.get(connection.source)
  const target = byId.get(connection.target)
  if (source === undefined || target === undefined) return { ok: false, reason: 'both ends must be nodes on the canvas' }
  if (connection.source === connection.target) return { ok: false, reason: 'a node cannot connect to itself' }
  const targetKind = getNodeKind(target.data.kind)
  if (targetKind === undefined) return { ok: false, reason: `unknown node kind "${target.data.kind}"` }
  if (!acceptsInput(target.data.kind)) {
    return { ok: false, reason: targetKind.category === 'trigger' ? 'triggers cannot have incoming edges' : `${targetKind.label} nodes have no input` }
  }
  if (getNodeKind(source.data.kind) === undefined) return { ok: false, reason: `unknown node kind "${source.data.kind}"` }
  const handle = resolveHandle(source, connection.sourceHandle)
  if (handle === undefined) {
    const handles = nodeOutputHandles(source.data.kind, source.data.config)
    if (handles.length === 0) return { ok: false, reason: `"${source.id}" has no outputs` }
    if (connection.sourceHandle === null || connection.sourceHandle === undefined) {
      return { ok: false, reason: `"${source.id}" has several outputs; start from one of them` }
    }
    return { ok: false, reason: `"${source.id}" has no output "${connection.sourceHandle}"` }
  }
  const duplicate = edges.some(
    (edge) => edge.source === connection.source && edge.target === connection.target && resolveHandle(source, edge.sourceHandle) === handle,
  )
  if (duplicate) return { ok: false, reason: 'these nodes are already connected from this output' }
  if (reaches(edges, connection.target, connection.source)) return { ok: false, reason: 'this connection would create a cycle' }
  return { ok: true, sourceHandle: handle }
}

/**
 * Boolean form of {@link checkConnection} for React Flow's `isValidConnection`.
 *
 * @example
 * <ReactFlow isValidConnection={(c) => isValidConnection(c, getNodes(), getEdges())} />
 */
export function isValidConnection(connection: RuleEdge, nodes: readonly RuleNode[], edges: readonly RuleEdge[]): boolean {
  return checkConnection(connection, nodes, edges).ok
}
