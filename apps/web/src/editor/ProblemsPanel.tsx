import { useState } from 'react'
import { errorMessage } from '../api/http.ts'
import type { LocatedProblem } from './problem-locations.ts'

export type ValidationStatus = { state: 'idle' | 'checking' } | { state: 'done' } | { state: 'failed'; error: unknown }

/**
 * The validation strip under the canvas: how many problems the API found, expandable into a
 * list; each problem naming a node or connection selects it.
 */
export function ProblemsPanel({
  problems,
  status,
  onSelect,
  labelOf,
}: {
  problems: readonly LocatedProblem[]
  status: ValidationStatus
  onSelect: (problem: LocatedProblem) => void
  labelOf: (nodeId: string) => string
}) {
  const [open, setOpen] = useState(false)
  const summary =
    status.state === 'checking'
      ? 'Checking…'
      : status.state === 'failed'
        ? `Could not check the workflow: ${errorMessage(status.error)}`
        : problems.length === 0
          ? 'No problems'
          : `${problems.length} problem${problems.length === 1 ? '' : 's'}`
  return (
    <section className={`problems-panel${problems.length > 0 ? ' has-problems' : ''}`} aria-label="Validation">
      <button type="button" className="problems-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)} disabled={problems.length === 0}>
        <span role="status" aria-live="polite">
          {summary}
        </span>
      </button>
      {open && problems.length > 0 && (
        <ul className="problems-list" aria-label="Problems">
          {problems.map((problem, index) => {
            const where = problem.nodeId !== null ? labelOf(problem.nodeId) : problem.edgeId !== null ? `connection ${problem.edgeId}` : 'workflow'
            const clickable = problem.nodeId !== null || problem.edgeId !== null
            return (
              <li key={index}>
                {clickable ? (
                  <button type="button" className="link-button" onClick={() => onSelect(problem)}>
                    {where}
                  </button>
                ) : (
                  <strong>{where}</strong>
                )}
                {problem.field !== '' && <code>{problem.field}</code>} {problem.message}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
