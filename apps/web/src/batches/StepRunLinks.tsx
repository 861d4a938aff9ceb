import { Link } from 'react-router'

/**
 * The runs of one item's sync step: its latest run, and when the step ran more than once (retry
 * failed), a link to each run, oldest first (`runIds` from the items API).
 */
export function StepRunLinks({ orgId, itemLabel, step, runId, runIds }: { orgId: string; itemLabel: string; step: string; runId: string | null; runIds: readonly string[] }) {
  if (runId === null && runIds.length === 0) return null
  const latest = runId ?? runIds[runIds.length - 1]!
  return (
    <>
      {' '}
      <Link to={`/orgs/${orgId}/runs/${latest}`} aria-label={`Open run of item ${itemLabel} step ${step}`}>
        run
      </Link>
      {runIds.length > 1 && (
        <span className="muted" aria-label={`Runs of item ${itemLabel} step ${step}`}>
          {' · runs'}
          {runIds.map((id, i) => (
            <span key={id}>
              {' '}
              <Link to={`/orgs/${orgId}/runs/${id}`} aria-label={`Run ${i + 1} of item ${itemLabel} step ${step}`}>
                {i + 1}
              </Link>
            </span>
          ))}
        </span>
      )}
    </>
  )
}
