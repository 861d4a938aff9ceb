import type { RunStep } from '../api/client.ts'
import { formatDuration } from '../ui/format.ts'
import { ganttLayout } from './gantt.ts'
import { STEP_STATUS_STYLES } from './step-status.ts'

/** Steps on a shared time axis; each bar is a button selecting its step. */
export function GanttChart({
  steps,
  runStartedAt,
  runEndedAt,
  now,
  labelOf,
  selectedStep,
  onSelectStep,
}: {
  steps: readonly RunStep[]
  runStartedAt: string | null
  runEndedAt: string | null
  now: number
  labelOf: (nodeId: string) => string
  selectedStep: number | undefined
  onSelectStep: (stepNumber: number) => void
}) {
  const layout = ganttLayout(steps, runStartedAt, runEndedAt, now)
  return (
    <section className="gantt" aria-label="Timeline">
      <div className="gantt-axis" aria-hidden="true">
        <span className="gantt-label" />
        <div className="gantt-track">
          {layout.ticks.map((tick) => (
            <span key={tick.pct} className="gantt-tick" style={{ left: `${tick.pct}%` }}>
              {formatDuration(tick.offsetMs)}
            </span>
          ))}
        </div>
      </div>
      <ol className="gantt-rows">
        {layout.bars.map((bar) => {
          const style = STEP_STATUS_STYLES[bar.status]
          const name = `${labelOf(bar.step.nodeId)}${bar.step.iterationKey === null ? '' : ` [${bar.step.iterationKey}]`}`
          return (
            <li key={bar.step.stepNumber} className={bar.step.stepNumber === selectedStep ? 'gantt-row is-selected' : 'gantt-row'}>
              <span className="gantt-label" title={name}>
                {name}
              </span>
              <div className="gantt-track">
                <button
                  type="button"
                  className="gantt-bar"
                  data-status={bar.status}
                  aria-label={`Step ${bar.step.stepNumber}: ${name}, ${style.label}, ${formatDuration(bar.durationMs)}`}
                  aria-pressed={bar.step.stepNumber === selectedStep}
                  style={{ left: `${bar.startPct}%`, width: `max(${bar.widthPct}%, 6px)`, background: style.color }}
                  onClick={() => onSelectStep(bar.step.stepNumber)}
                  title={`${style.label} · ${formatDuration(bar.durationMs)}${bar.step.retryCount > 0 ? ` · ${bar.step.retryCount} retr${bar.step.retryCount === 1 ? 'y' : 'ies'}` : ''}`}
                />
              </div>
            </li>
          )
        })}
      </ol>
      {layout.bars.length === 0 && <p className="muted">No steps recorded yet.</p>}
    </section>
  )
}
