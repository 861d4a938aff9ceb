import { useState } from 'react'
import type { RJSFSchema } from '@rjsf/utils'
import type { SignalDeclaration } from '@workflow-builder/definition'
import { SchemaForm } from '../forms/SchemaForm.tsx'
import { JsonTextEditor } from '../editor/JsonTextEditor.tsx'
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx'
import { Dialog } from '../ui/Dialog.tsx'
import { InlineError } from '../ui/states.tsx'

type Pending = 'cancel' | 'terminate' | 'retry' | 'signal' | undefined

/**
 * Cancel, terminate, retry and signal, each behind a confirmation. The page renders this for
 * members who may act (not viewers). Cancel, terminate and signal apply to runs in flight,
 * retry to finished ones.
 */
export function RunActions({
  inFlight,
  signals,
  onCancel,
  onTerminate,
  onRetry,
  onSignal,
}: {
  inFlight: boolean
  signals: readonly SignalDeclaration[]
  onCancel: () => Promise<void>
  onTerminate: (reason: string | undefined) => Promise<void>
  onRetry: () => Promise<void>
  onSignal: (name: string, payload: unknown) => Promise<void>
}) {
  const [pending, setPending] = useState<Pending>(undefined)
  const [reason, setReason] = useState('')
  return (
    <div className="run-actions" role="group" aria-label="Run actions">
      {inFlight ? (
        <>
          {signals.length > 0 && (
            <button type="button" onClick={() => setPending('signal')}>
              Send signal
            </button>
          )}
          <button type="button" onClick={() => setPending('cancel')}>
            Cancel run
          </button>
          <button type="button" className="danger" onClick={() => setPending('terminate')}>
            Terminate run
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setPending('retry')}>
          Retry run
        </button>
      )}
      <ConfirmDialog open={pending === 'cancel'} title="Cancel this run?" confirmLabel="Cancel run" onConfirm={onCancel} onClose={() => setPending(undefined)}>
        <p>The workflow is asked to stop; steps in progress are cancelled and it may still clean up.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={pending === 'terminate'}
        title="Terminate this run?"
        confirmLabel="Terminate run"
        danger
        onConfirm={() => onTerminate(reason.trim() === '' ? undefined : reason.trim())}
        onClose={() => {
          setPending(undefined)
          setReason('')
        }}
      >
        <p>The run stops at once: no workflow code runs again, nothing is cleaned up.</p>
        <label className="field">
          Reason (optional)
          <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} />
        </label>
      </ConfirmDialog>
      <ConfirmDialog open={pending === 'retry'} title="Retry this run?" confirmLabel="Retry run" onConfirm={onRetry} onClose={() => setPending(undefined)}>
        <p>A new run of the workflow’s active version starts with the same input.</p>
      </ConfirmDialog>
      {pending === 'signal' && <SignalDialog signals={signals} onSend={onSignal} onClose={() => setPending(undefined)} />}
    </div>
  )
}

/** Picks a signal (preselected: `initialName`), fills its payload form and sends it; errors stay in the dialog. */
export function SignalDialog({
  signals,
  initialName,
  onSend,
  onClose,
}: {
  signals: readonly SignalDeclaration[]
  initialName?: string
  onSend: (name: string, payload: unknown) => Promise<void>
  onClose: () => void
}) {
  const [name, setName] = useState(initialName ?? signals[0]?.name ?? '')
  const [payload, setPayload] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const signal = signals.find((s) => s.name === name)
  const schema = signal?.parametersSchema as RJSFSchema | undefined

  const send = async (value: unknown) => {
    setBusy(true)
    setError(undefined)
    try {
      await onSend(name, value)
      onClose()
    } catch (reason) {
      setError(reason)
      setBusy(false)
    }
  }
  const buttons = (
    <div className="dialog-footer">
      <button type="button" onClick={onClose}>
        Cancel
      </button>
      <button type={schema === undefined ? 'button' : 'submit'} className="primary" disabled={busy || name === ''} onClick={schema === undefined ? () => void send(payload) : undefined}>
        {busy ? 'Sending…' : 'Send signal'}
      </button>
    </div>
  )
  return (
    <Dialog open title="Send a signal" onClose={onClose} wide>
      <label className="field">
        Signal
        <select
          value={name}
          onChange={(event) => {
            setName(event.target.value)
            setPayload(undefined)
          }}
        >
          {signals.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      {signal?.description !== undefined && <p className="muted">{signal.description}</p>}
      {schema === undefined ? (
        <>
          <JsonTextEditor id="signal-payload" label="Payload (JSON, optional)" value={payload} onChange={setPayload} rows={6} />
          <InlineError error={error} />
          {buttons}
        </>
      ) : (
        <SchemaForm key={name} label="Signal payload" schema={schema} formData={payload} idPrefix="signal" onChange={setPayload} onSubmit={(value) => void send(value)} disabled={busy}>
          <InlineError error={error} />
          {buttons}
        </SchemaForm>
      )}
    </Dialog>
  )
}
