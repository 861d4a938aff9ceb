import { Link } from 'react-router'
import type { ChildRun } from '../api/client.ts'
import { formatDateTime } from '../ui/format.ts'
import { StatusBadge } from '../ui/StatusBadge.tsx'
import { runStatusStyle } from './step-status.ts'

/** "Started by" link from a child run to its parent run (and the parent's step). */
export function ParentRunLink({ orgId, parentRunId, parentStepNumber }: { orgId: string; parentRunId: string; parentStepNumber: number | null }) {
  return (
    <>
      <dt>Parent run</dt>
      <dd>
        <Link to={`/orgs/${orgId}/runs/${parentRunId}`} data-testid="parent-run-link">
          <code>{parentRunId.slice(0, 8)}</code>
        </Link>
        {parentStepNumber !== null && <span className="muted"> (step {parentStepNumber})</span>}
      </dd>
    </>
  )
}

/** Child runs as links: the whole run's list, or one child step's in the inspector. */
export function ChildRunsList({ orgId, runs, title = 'Child runs', labelOf }: {
  orgId: string
  runs: readonly ChildRun[]
  title?: string
  labelOf?: (nodeId: string) => string
}) {
  if (runs.length === 0) return null
  return (
    <section className="child-runs" aria-label={title}>
      <h3>{title}</h3>
      <ul>
        {runs.map((child) => (
          <li key={child.runId}>
            <Link to={`/orgs/${orgId}/runs/${child.runId}`} data-testid={`child-run-${child.runId}`}>
              {child.workflowName ?? '(deleted workflow)'} <code>{child.runId.slice(0, 8)}</code>
            </Link>{' '}
            <StatusBadge style={runStatusStyle(child.status)} status={child.status} />
            <span className="muted">
              {child.nodeId !== null && labelOf !== undefined ? ` · from ${labelOf(child.nodeId)}` : ''}
              {child.parentStepNumber !== null ? ` · step ${child.parentStepNumber}` : ''} · started {formatDateTime(child.startedAt)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}
