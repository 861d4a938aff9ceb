import { useState, type ReactNode } from 'react'
import { Dialog } from './Dialog.tsx'
import { InlineError } from './states.tsx'

export interface ConfirmDialogProps {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  danger?: boolean
  /** May be async; errors are shown in the dialog, which stays open. */
  onConfirm: () => unknown
  onClose: () => void
}

/** "Are you sure?" with the action's own name on the button; shows the action's error if it fails. */
export function ConfirmDialog({ open, title, children, confirmLabel, danger = false, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const close = () => {
    setError(undefined)
    onClose()
  }
  return (
    <Dialog
      open={open}
      title={title}
      onClose={close}
      footer={
        <>
          <button type="button" onClick={close} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'danger' : 'primary'}
            disabled={busy}
            onClick={async () => {
              setBusy(true)
              setError(undefined)
              try {
                await onConfirm()
                onClose()
              } catch (reason) {
                setError(reason)
              } finally {
                setBusy(false)
              }
            }}
          >
            {busy ? `${confirmLabel}…` : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      <InlineError error={error} />
    </Dialog>
  )
}
