import { applyConfigDefaults, getNodeKind } from '@workflow-builder/definition'
import { DEFAULT_NODE_SIZE } from './auto-layout.ts'
import { nodeAriaLabel } from './flow-mapping.ts'
import { WORKFLOW_NODE_TYPE, type WorkflowFlowNode } from './flow-types.ts'
import { newNodeId } from './ids.ts'

// Configs that make a new node's handles useful at once; everything else starts from the schema defaults.
const STARTERS: Record<string, Record<string, unknown>> = {
  'branch.switch': { cases: [{ id: 'case_1', label: 'Case 1', equals: '' }] },
  transform: { mapping: {} },
}

/**
 * A new canvas node of `kind` at `position`, with a fresh id, the kind's label and its default
 * config. Returns undefined for unknown kinds.
 *
 * @example
 * const node = createNode('http.request', { x: 100, y: 40 }, new Set(nodes.map((n) => n.id)))
 */
export function createNode(kind: string, position: { x: number; y: number }, takenIds: ReadonlySet<string>): WorkflowFlowNode | undefined {
  const descriptor = getNodeKind(kind)
  if (descriptor === undefined) return undefined
  const config = applyConfigDefaults(descriptor, structuredClone(STARTERS[kind] ?? {})) as Record<string, unknown>
  return {
    id: newNodeId(kind, takenIds),
    type: WORKFLOW_NODE_TYPE,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    data: { kind, label: descriptor.label, config },
    ariaLabel: nodeAriaLabel(kind, descriptor.label),
  }
}

/** The parts of a node placement looks at. */
interface Placed {
  readonly position: { x: number; y: number }
  readonly measured?: { width?: number | undefined; height?: number | undefined } | undefined
}

const GAP = { x: 60, y: 28 }

/**
 * Where a node added by click goes: right of `after` (the selected node) when given, else at
 * `fallback` (the middle of the view); moved down until it overlaps no other node.
 *
 * @example
 * freePosition(nodes, { x: 0, y: 0 }, selectedNode) // { x: 280, y: 0 }
 */
export function freePosition(nodes: readonly Placed[], fallback: { x: number; y: number }, after?: Placed): { x: number; y: number } {
  const size = (node: Placed) => ({ width: node.measured?.width ?? DEFAULT_NODE_SIZE.width, height: node.measured?.height ?? DEFAULT_NODE_SIZE.height })
  const start = after === undefined ? fallback : { x: after.position.x + size(after).width + GAP.x, y: after.position.y }
  const overlaps = (x: number, y: number) =>
    nodes.some((node) => {
      const s = size(node)
      return x < node.position.x + s.width + GAP.y && x + DEFAULT_NODE_SIZE.width + GAP.y > node.position.x && y < node.position.y + s.height + GAP.y && y + DEFAULT_NODE_SIZE.height + GAP.y > node.position.y
    })
  let y = start.y
  for (let tries = 0; tries < 200 && overlaps(start.x, y); tries++) y += DEFAULT_NODE_SIZE.height + GAP.y
  return { x: Math.round(start.x), y: Math.round(y) }
}
