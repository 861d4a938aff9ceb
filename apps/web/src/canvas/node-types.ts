import type { NodeTypes } from '@xyflow/react'
import { WORKFLOW_NODE_TYPE } from './flow-types.ts'
import { WorkflowNodeView } from './WorkflowNodeView.tsx'

/** Declared once at module scope: a new object per render would remount every node. */
export const nodeTypes: NodeTypes = { [WORKFLOW_NODE_TYPE]: WorkflowNodeView }
