import { useState } from 'react'
import type { BatchAction } from '../api/batches.ts'
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx'
import { InlineError } from '../ui/states.tsx'
import type { BatchActions as Allowed } from './batch-status.ts'

/**
 * Pause, Resume, Cancel (confirmed) and Retry failed, each shown only when it applies (see
 * `batchActions`); renders nothing when none does, as for viewers.
 */
export function BatchActions({ allowed, failedItems, onAction }: {
  allowed: Allowed
  failedItems: number
  onAction: (action: BatchAction) => Promise<void>
}) {
  const [confirmCancel, setConfirmCancel] = useState(false)
  const [busy, setBusy] = useState<BatchAction | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  if (!allowed.pause && !allowed.resume && !allowed.cancel && !allowed.retryFailed) return null
  const run = async (action: BatchAction) => {
    setBusy(action)
    setError(undefined)
    try {
      await onAction(action)
    } catch (reason) {
      setError(reason)
    } finally {
      setBusy(undefined)
    }
  }
  return (
    <div className="batch-actions" role="group" aria-label="Batch actions">
      {allowed.pause && (
        <button type="button" onClick={() => void run('pause')} disabled={busy !== undefined}>
          {busy === 'pause' ? 'Pausing…' : 'Pause'}
        </button>
      )}
      {allowed.resume && (
        <button type="button" onClick={() => void run('resume')} disabled={busy !== undefined}>
          {busy === 'resume' ? 'Resuming…' : 'Resume'}
        </button>
      )}
      {allowed.retryFailed && (
        <button type="button" onClick={() => void run('retry-failed')} disabled={busy !== undefined}>
          {busy === 'retry-failed' ? 'Retrying…' : failedItems > 0 ? `Retry failed (${failedItems})` : 'Restart batch'}
        </button>
      )}
      {allowed.cancel && (
        <button type="button" className="danger" onClick={() => setConfirmCancel(true)} disabled={busy !== undefined}>
          Cancel batch
        </button>
      )}
      <InlineError error={error} />
      <ConfirmDialog open={confirmCancel} title="Cancel this batch?" confirmLabel="Cancel batch" danger onConfirm={() => onAction('cancel')} onClose={() => setConfirmCancel(false)}>
        <p>Steps in flight are cancelled, their child runs too, and every unfinished item becomes cancelled. This cannot be undone; results already stored are kept.</p>
      </ConfirmDialog>
    </div>
  )
}
