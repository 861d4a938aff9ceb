import { getNodeKind, type WorkflowDefinition, type WorkflowEdge, type WorkflowNode } from '@workflow-builder/definition'
import { WORKFLOW_NODE_TYPE, type WorkflowFlowEdge, type WorkflowFlowNode, type WorkflowNodeData } from './flow-types.ts'

/** Nodes and edges in React Flow's shape. */
export interface FlowGraph {
  nodes: WorkflowFlowNode[]
  edges: WorkflowFlowEdge[]
}

/**
 * Accessible name of a canvas node: its label and its kind.
 *
 * @example
 * nodeAriaLabel('http.request', 'Fetch user') // 'Fetch user (HTTP request)'
 */
export function nodeAriaLabel(kind: string, label: string): string {
  const kindLabel = getNodeKind(kind)?.label ?? kind
  return label === '' ? kindLabel : `${label} (${kindLabel})`
}

function nodeData(node: WorkflowNode): WorkflowNodeData {
  const data: WorkflowNodeData = { kind: node.kind, label: node.label, config: node.config }
  if (node.retry !== undefined) data.retry = node.retry
  if (node.timeoutSeconds !== undefined) data.timeoutSeconds = node.timeoutSeconds
  if (node.cache !== undefined) data.cache = node.cache
  return data
}

/**
 * Maps a saved definition to canvas nodes and edges. The definition is not mutated; node data
 * shares its config objects (treat them as immutable). Nodes get an accessible name.
 *
 * @example
 * const { nodes, edges } = toFlow(workflow.definition)
 * <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} />
 */
export function toFlow(definition: Pick<WorkflowDefinition, 'nodes' | 'edges'>): FlowGraph {
  return {
    nodes: definition.nodes.map((node) => ({
      id: node.id,
      type: WORKFLOW_NODE_TYPE,
      position: { x: node.position.x, y: node.position.y },
      data: nodeData(node),
      ariaLabel: nodeAriaLabel(node.kind, node.label),
    })),
    edges: definition.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: edge.sourceHandle ?? null,
    })),
  }
}

/**
 * Maps canvas nodes and edges back to a definition, keeping everything else of `base` (schema
 * version, input schema, settings, signals, queries). UI state (selection, measured sizes,
 * dragging, accessible names) is dropped.
 *
 * @example
 * const definition = fromFlow(getNodes(), getEdges(), workflow.definition)
 * await api.saveWorkflow(orgId, workflow.id, { definition, definitionVersion })
 */
export function fromFlow(
  nodes: readonly WorkflowFlowNode[],
  edges: readonly WorkflowFlowEdge[],
  base: WorkflowDefinition,
): WorkflowDefinition {
  return {
    ...base,
    nodes: nodes.map((node) => {
      const out: WorkflowNode = {
        id: node.id,
        kind: node.data.kind,
        label: node.data.label,
        config: node.data.config,
        position: { x: node.position.x, y: node.position.y },
      }
      if (node.data.retry !== undefined) out.retry = node.data.retry
      if (node.data.timeoutSeconds !== undefined) out.timeoutSeconds = node.data.timeoutSeconds
      if (node.data.cache !== undefined) out.cache = node.data.cache
      return out
    }),
    edges: edges.map((edge) => {
      const out: WorkflowEdge = { id: edge.id, source: edge.source, target: edge.target }
      if (edge.sourceHandle !== undefined && edge.sourceHandle !== null) out.sourceHandle = edge.sourceHandle
      return out
    }),
  }
}
