import { memo, useEffect, useMemo, useRef } from 'react'
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react'
import { getNodeKind } from '@workflow-builder/definition'
import { STEP_STATUS_STYLES } from '../runs/step-status.ts'
import { KindIcon } from '../ui/KindIcon.tsx'
import { useCanvasDecorations } from './decorations.tsx'
import type { WorkflowFlowNode } from './flow-types.ts'
import { acceptsInput, nodeOutputHandles } from './node-handles.ts'

/**
 * A workflow node on the canvas: kind icon and name, label, a validation or run-status badge,
 * one input handle (unless a trigger) and one output handle per output of its kind and config.
 * `data-status` is the step status on the run view, else `invalid` or `valid`.
 */
export const WorkflowNodeView = memo(function WorkflowNodeView({ id, data, selected }: NodeProps<WorkflowFlowNode>) {
  const { problemsByNode, statusByNode } = useCanvasDecorations()
  const descriptor = getNodeKind(data.kind)
  const handles = useMemo(() => nodeOutputHandles(data.kind, data.config), [data.kind, data.config])
  const handleKey = handles.map((handle) => handle.id).join('|')
  const updateNodeInternals = useUpdateNodeInternals()
  // Handles come and go with the config (switch cases, signal timeout): React Flow must re-measure.
  // Not on mount: React Flow measures new nodes itself, and an early call would make the initial
  // fitView see only this node.
  const measuredKey = useRef(handleKey)
  useEffect(() => {
    if (measuredKey.current === handleKey) return
    measuredKey.current = handleKey
    updateNodeInternals(id)
  }, [id, handleKey, updateNodeInternals])

  const problems = problemsByNode.get(id) ?? []
  const status = statusByNode?.get(id)
  const statusStyle = status === undefined ? undefined : STEP_STATUS_STYLES[status]
  const dataStatus = status ?? (problems.length > 0 ? 'invalid' : 'valid')
  const problemText = problems.map((problem) => (problem.field === '' ? problem.message : `${problem.field}: ${problem.message}`)).join('\n')

  return (
    <div
      className={`wf-node${selected ? ' is-selected' : ''}${problems.length > 0 ? ' has-problems' : ''}${descriptor === undefined ? ' is-unknown' : ''}`}
      data-testid={`node-${id}`}
      data-status={dataStatus}
      data-kind={data.kind}
      style={statusStyle === undefined ? undefined : { borderColor: statusStyle.color, background: statusStyle.background }}
    >
      {acceptsInput(data.kind) && <Handle type="target" position={Position.Left} className="wf-handle wf-handle-in" title="Input" />}
      <div className="wf-node-header">
        <span className="wf-node-icon" style={statusStyle === undefined ? undefined : { color: statusStyle.color }}>
          <KindIcon icon={descriptor?.icon} />
        </span>
        <span className="wf-node-kind">{descriptor?.label ?? `Unknown: ${data.kind}`}</span>
        {problems.length > 0 && (
          <span className="wf-badge wf-badge-problems" title={problemText} aria-label={`${problems.length} problem${problems.length === 1 ? '' : 's'}`}>
            {problems.length}
          </span>
        )}
        {statusStyle !== undefined && (
          <span className="wf-badge wf-badge-status" style={{ background: statusStyle.color }} title={statusStyle.label} aria-label={`Status: ${statusStyle.label}`}>
            {statusStyle.label}
          </span>
        )}
      </div>
      <div className="wf-node-label">{data.label || <span className="muted">(no label)</span>}</div>
      {handles.length === 1 && handles[0] !== undefined && (
        <Handle type="source" position={Position.Right} id={handles[0].id} className="wf-handle wf-handle-out" title={handles[0].label} />
      )}
      {handles.length > 1 && (
        <div className="wf-node-outputs">
          {handles.map((handle) => (
            <div className="wf-node-output" key={handle.id}>
              <span className="wf-node-output-label">{handle.label}</span>
              <Handle type="source" position={Position.Right} id={handle.id} className="wf-handle wf-handle-out" title={handle.label} />
            </div>
          ))}
        </div>
      )}
    </div>
  )
})
