import { useMemo } from 'react'
import { Background, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react'
import type { WorkflowDefinition } from '@workflow-builder/definition'
import { CanvasDecorationsContext } from '../canvas/decorations.tsx'
import { toFlow } from '../canvas/flow-mapping.ts'
import type { WorkflowFlowEdge, WorkflowFlowNode } from '../canvas/flow-types.ts'
import { nodeTypes } from '../canvas/node-types.ts'
import { STEP_STATUS_STYLES, type StepStatus } from './step-status.ts'

/**
 * The definition that ran, drawn read-only with each node coloured by its step status. Clicking
 * a node selects it (the page shows its step).
 */
export function RunCanvas({
  definition,
  statusByNode,
  selectedNodeId,
  onSelectNode,
}: {
  definition: WorkflowDefinition
  statusByNode: ReadonlyMap<string, StepStatus>
  selectedNodeId: string | undefined
  onSelectNode: (nodeId: string | undefined) => void
}) {
  const flow = useMemo(() => toFlow({ nodes: definition.nodes ?? [], edges: definition.edges ?? [] }), [definition])
  const nodes = useMemo<WorkflowFlowNode[]>(
    () =>
      flow.nodes.map((node) => {
        const status = statusByNode.get(node.id)
        return {
          ...node,
          selected: node.id === selectedNodeId,
          ariaLabel: `${node.ariaLabel ?? node.id}${status === undefined ? '' : `, ${STEP_STATUS_STYLES[status].label}`}`,
        }
      }),
    [flow.nodes, selectedNodeId, statusByNode],
  )
  const edges = useMemo<WorkflowFlowEdge[]>(
    () =>
      flow.edges.map((edge) => {
        const status = statusByNode.get(edge.target)
        const taken = status !== undefined && status !== 'pending' && status !== 'skipped'
        return { ...edge, animated: status === 'running', className: taken ? 'edge-taken' : 'edge-idle' }
      }),
    [flow.edges, statusByNode],
  )
  const decorations = useMemo(() => ({ problemsByNode: new Map(), statusByNode }), [statusByNode])
  return (
    <ReactFlowProvider>
      <CanvasDecorationsContext.Provider value={decorations}>
        <ReactFlow<WorkflowFlowNode, WorkflowFlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          deleteKeyCode={null}
          onNodeClick={(_event, node) => onSelectNode(node.id)}
          onPaneClick={() => onSelectNode(undefined)}
          fitView
          fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }}
          minZoom={0.1}
          defaultEdgeOptions={{ type: 'smoothstep' }}
          aria-label="Run canvas"
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </CanvasDecorationsContext.Provider>
    </ReactFlowProvider>
  )
}
