/**
 * How batches are shown: status colours (on the run palette), the progress math and which
 * controls apply in which status.
 */
import type { BatchDetail, BatchStatus, StateStatus } from '../api/batches.ts'
import { STEP_STATUS_STYLES, type StatusStyle } from '../runs/step-status.ts'

/** Statuses in which the batch can still change: its page polls while it is in one. */
const OPEN: ReadonlySet<string> = new Set<BatchStatus>(['PENDING', 'RUNNING', 'PAUSED'])

/**
 * Whether a batch can still change (PENDING, RUNNING or PAUSED: items in flight finish while
 * paused). COMPLETED, FAILED and CANCELLED are closed until someone retries the failed items.
 *
 * @example
 * isBatchOpen('PAUSED') // true
 */
export function isBatchOpen(status: string): boolean {
  return OPEN.has(status)
}

const STYLES: Readonly<Record<string, StatusStyle>> = {
  PENDING: { ...STEP_STATUS_STYLES.pending, label: 'Pending' },
  RUNNING: STEP_STATUS_STYLES.running,
  PAUSED: { ...STEP_STATUS_STYLES.retried, label: 'Paused' },
  COMPLETED: { ...STEP_STATUS_STYLES.succeeded, label: 'Completed' },
  SUCCEEDED: STEP_STATUS_STYLES.succeeded,
  FAILED: STEP_STATUS_STYLES.failed,
  CANCELLED: STEP_STATUS_STYLES.cancelled,
}

/** Colours and label of a batch, item or step-state status. */
export function batchStatusStyle(status: string): StatusStyle {
  return STYLES[status] ?? { ...STEP_STATUS_STYLES.pending, label: status }
}

export interface BatchProgress {
  total: number
  /** Items that ran to an end: succeeded + failed. */
  processed: number
  /** processed / total, floored to a whole percent so that 100 means every item is done (100 for an empty batch). */
  percent: number
  /** Bar segment widths in percent of the whole bar. */
  succeededWidth: number
  failedWidth: number
  /** Items per state, in the step-state vocabulary (a completed item is SUCCEEDED). */
  counts: Record<StateStatus, number>
}

/**
 * Progress of a batch from its detail: (completed + failed) / total. Cancelled items are counted
 * but do not move the bar: they were never processed.
 *
 * @example
 * batchProgress({ totalItems: 3, progress: { items: { PENDING: 1, RUNNING: 0, COMPLETED: 1, FAILED: 1, CANCELLED: 0 } } }).percent // 66
 */
export function batchProgress(detail: Pick<BatchDetail, 'totalItems'> & { progress: Pick<BatchDetail['progress'], 'items'> }): BatchProgress {
  const items = detail.progress.items
  const n = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0)
  const counts: Record<StateStatus, number> = {
    PENDING: n(items.PENDING),
    RUNNING: n(items.RUNNING),
    SUCCEEDED: n(items.COMPLETED),
    FAILED: n(items.FAILED),
    CANCELLED: n(items.CANCELLED),
  }
  // The counts are read a moment apart from the total: never let the bar pass 100 %.
  const total = Math.max(n(detail.totalItems), counts.PENDING + counts.RUNNING + counts.SUCCEEDED + counts.FAILED + counts.CANCELLED)
  const processed = counts.SUCCEEDED + counts.FAILED
  const share = (x: number) => (total === 0 ? 0 : (x / total) * 100)
  return {
    total,
    processed,
    percent: total === 0 ? 100 : Math.floor((processed * 100) / total),
    succeededWidth: share(counts.SUCCEEDED),
    failedWidth: share(counts.FAILED),
    counts,
  }
}

export interface BatchActions {
  pause: boolean
  resume: boolean
  cancel: boolean
  retryFailed: boolean
}

/**
 * Which controls apply (the API answers 409 otherwise): pause from PENDING/RUNNING, resume from
 * PAUSED, cancel until the batch is closed, retry when items failed and the batch was not
 * completed or cancelled, or when the batch FAILED (also with no failed item). Nothing for members who may not write.
 *
 * @example
 * batchActions('FAILED', 2, true) // { pause: false, resume: false, cancel: false, retryFailed: true }
 */
export function batchActions(status: BatchStatus, failedItems: number, canWrite: boolean): BatchActions {
  if (!canWrite) return { pause: false, resume: false, cancel: false, retryFailed: false }
  return {
    pause: status === 'PENDING' || status === 'RUNNING',
    resume: status === 'PAUSED',
    cancel: status === 'PENDING' || status === 'RUNNING' || status === 'PAUSED',
    // A FAILED batch may have no failed item (its orchestrator failed with items unclaimed): the
    // same call restarts it.
    retryFailed: (failedItems > 0 && status !== 'CANCELLED' && status !== 'COMPLETED') || status === 'FAILED',
  }
}
