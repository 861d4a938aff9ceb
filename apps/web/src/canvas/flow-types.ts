import type { Edge, Node } from '@xyflow/react'
import type { RetryPolicy, StepCache } from '@workflow-builder/definition'

/**
 * What a canvas node carries: exactly the saved node's fields minus id and position. UI-only
 * decorations (validation problems, run status) come from context, never from here, so
 * undo/redo snapshots and `fromFlow` see only definition data.
 */
export interface WorkflowNodeData extends Record<string, unknown> {
  kind: string
  label: string
  config: Record<string, unknown>
  retry?: RetryPolicy
  timeoutSeconds?: number
  /** Step cache of an activity node. */
  cache?: StepCache
}

/** The one node type of the canvas; `type` selects the component in `nodeTypes`. */
export type WorkflowFlowNode = Node<WorkflowNodeData, 'workflow'>

/** A canvas edge. `sourceHandle` null means "the source's only output" (saved without one). */
export type WorkflowFlowEdge = Edge

/** The node type key used in `nodeTypes`. */
export const WORKFLOW_NODE_TYPE = 'workflow' as const
