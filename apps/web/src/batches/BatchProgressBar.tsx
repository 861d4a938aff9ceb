import type { BatchProgress } from './batch-status.ts'
import { batchStatusStyle } from './batch-status.ts'

/**
 * The batch's progress: a bar of succeeded (green) and failed (red) items over the total, as a
 * `progressbar` whose value is the processed percent.
 */
export function BatchProgressBar({ progress, compact = false }: { progress: BatchProgress; compact?: boolean }) {
  return (
    <div className={compact ? 'batch-progress compact' : 'batch-progress'}>
      <div
        className="batch-progress-track"
        role="progressbar"
        aria-label="Batch progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress.percent}
        aria-valuetext={`${progress.percent}% (${progress.processed} of ${progress.total} items processed)`}
        data-testid="batch-progress"
      >
        <span className="batch-progress-fill" style={{ width: `${progress.succeededWidth}%`, background: batchStatusStyle('SUCCEEDED').color }} />
        <span className="batch-progress-fill" style={{ width: `${progress.failedWidth}%`, background: batchStatusStyle('FAILED').color }} />
      </div>
      <span className="batch-progress-label">
        {progress.percent}% <span className="muted">({progress.processed}/{progress.total})</span>
      </span>
    </div>
  )
}
