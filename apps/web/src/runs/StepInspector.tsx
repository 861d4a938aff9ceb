import type { ReactNode } from 'react'
import type { RunStep } from '../api/client.ts'
import { getNodeKind } from '@workflow-builder/definition'
import { elapsedMs, formatDateTime, formatDuration } from '../ui/format.ts'
import { JsonViewer } from '../ui/JsonViewer.tsx'
import { StatusBadge } from '../ui/StatusBadge.tsx'
import { stepStatus, stepStatusStyle } from './step-status.ts'

/** One step: status, timing, retries, error, and its input, output and events as JSON. */
export function StepInspector({
  step,
  siblings,
  label,
  onSelectStep,
  children,
}: {
  step: RunStep
  /** Extra content for this step (e.g. the runs a child step started). */
  children?: ReactNode
  /** Every step of the same node (loop iterations, re-runs), to switch between them. */
  siblings: readonly RunStep[]
  label: string
  onSelectStep: (stepNumber: number) => void
}) {
  const kind = getNodeKind(step.nodeKind ?? '')
  return (
    <section className="step-inspector" aria-label={`Step ${step.stepNumber}`}>
      <header className="side-panel-header">
        <div>
          <h2 className="panel-title">{label}</h2>
          <code className="muted">
            {step.nodeId} · {kind?.label ?? step.nodeKind ?? 'unknown kind'}
          </code>
        </div>
        <StatusBadge style={stepStatusStyle(step)} status={stepStatus(step)} />
      </header>
      {siblings.length > 1 && (
        <label className="field">
          Execution
          <select value={step.stepNumber} onChange={(event) => onSelectStep(Number(event.target.value))}>
            {siblings.map((sibling) => (
              <option key={sibling.stepNumber} value={sibling.stepNumber}>
                Step {sibling.stepNumber}
                {sibling.iterationKey === null ? '' : ` · item ${sibling.iterationKey}`} · {stepStatusStyle(sibling).label}
              </option>
            ))}
          </select>
        </label>
      )}
      <dl className="facts">
        <dt>Step</dt>
        <dd>{step.stepNumber}</dd>
        {step.iterationKey !== null && (
          <>
            <dt>Iteration</dt>
            <dd>{step.iterationKey}</dd>
          </>
        )}
        <dt>Started</dt>
        <dd>{formatDateTime(step.startedAt)}</dd>
        <dt>Ended</dt>
        <dd>{formatDateTime(step.endedAt)}</dd>
        <dt>Duration</dt>
        <dd>
          {formatDuration(step.durationMs ?? elapsedMs(step.startedAt, step.endedAt))}
          {step.endedAt === null && step.startedAt !== null ? ' so far' : ''}
        </dd>
        <dt>Retries</dt>
        <dd>{step.retryCount}</dd>
        {step.attemptCount !== undefined && (
          <>
            <dt>Attempts</dt>
            <dd>{step.attemptCount}</dd>
          </>
        )}
      </dl>
      {children}
      {step.errorMessage !== null && (
        <div className="error-box" role="note" aria-label="Error">
          <h4>Error</h4>
          <pre>{step.errorMessage}</pre>
        </div>
      )}
      <JsonViewer label="Input" value={step.input ?? undefined} />
      <JsonViewer label="Output" value={step.output ?? undefined} />
      <JsonViewer label="Events" value={step.events ?? undefined} openDepth={1} />
    </section>
  )
}
