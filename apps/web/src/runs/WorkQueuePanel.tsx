import { useState } from 'react'
import type { RJSFSchema } from '@rjsf/utils'
import type { WorkQueueDeclaration } from '@workflow-builder/definition'
import { enqueueWorkItem, getWorkQueue } from '../api/client.ts'
import { JsonTextEditor } from '../editor/JsonTextEditor.tsx'
import { SchemaForm } from '../forms/SchemaForm.tsx'
import { useAsync } from '../hooks/useAsync.ts'
import { usePolling } from '../hooks/usePolling.ts'
import { InlineError } from '../ui/states.tsx'

const POLL_MS = 1500

/** One-line JSON for an item (items are small records; the inspector shows full outputs). */
const itemText = (item: unknown): string => {
  const text = JSON.stringify(item)
  return text === undefined ? 'null' : text.length > 200 ? `${text.slice(0, 199)}…` : text
}

/**
 * A work queue of a run: waiting items in the order they will be taken, the item in progress,
 * counters (polled from the queue's state query while the run is open), and for members who may
 * act a form to add an item (generated from the queue's item schema). A full queue or a
 * duplicate item is refused by the API and shown here.
 */
export function WorkQueuePanel({
  orgId,
  runId,
  queue,
  open,
  canWrite,
}: {
  orgId: string
  runId: string
  queue: WorkQueueDeclaration
  open: boolean
  canWrite: boolean
}) {
  const state = useAsync((signal) => getWorkQueue(orgId, runId, queue.name, signal), [orgId, runId, queue.name])
  usePolling(state.reload, POLL_MS, open)
  const [item, setItem] = useState<unknown>(undefined)
  const [formKey, setFormKey] = useState(0)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const [added, setAdded] = useState<string | undefined>(undefined)
  const current = state.data?.state ?? undefined
  const schema = queue.itemSchema as RJSFSchema | undefined

  const add = async (value: unknown) => {
    setBusy(true)
    setError(undefined)
    setAdded(undefined)
    try {
      const result = await enqueueWorkItem(orgId, runId, queue.name, value ?? null)
      setAdded(`Added at position ${result.position} of ${result.size}.`)
      setItem(undefined)
      setFormKey((k) => k + 1)
      state.reload()
    } catch (reason) {
      setError(reason)
    } finally {
      setBusy(false)
    }
  }

  const submit = (
    <div className="dialog-footer">
      <button type={schema === undefined ? 'button' : 'submit'} className="primary" disabled={busy} onClick={schema === undefined ? () => void add(item) : undefined}>
        {busy ? 'Adding…' : 'Add item'}
      </button>
    </div>
  )

  return (
    <section className="work-queue-panel side-panel" aria-label={`Work queue ${queue.name}`}>
      <h3 className="panel-subtitle">
        Work queue <code>{queue.name}</code>
      </h3>
      {queue.description !== undefined && <p className="muted small-text">{queue.description}</p>}
      {state.error !== undefined && current === undefined && (open ? <InlineError error={state.error} /> : <p className="muted">The run has ended; its queue can no longer be read.</p>)}
      {current !== undefined && current !== null && (
        <>
          <dl className="facts inline" aria-label={`Queue ${queue.name} counters`}>
            <dt>Waiting</dt>
            <dd data-testid="queue-waiting">
              {current.items.length}
              {current.maxSize === null ? '' : ` / ${current.maxSize}`}
            </dd>
            <dt>Processed</dt>
            <dd data-testid="queue-processed">{current.processed}</dd>
            <dt>Rejected</dt>
            <dd data-testid="queue-rejected">{current.rejected}</dd>
            <dt>Order</dt>
            <dd>{current.order}</dd>
            {current.stopped && (
              <>
                <dt>State</dt>
                <dd>stopping</dd>
              </>
            )}
          </dl>
          <h4>In progress</h4>
          {current.inFlight === null ? <p className="muted">Nothing</p> : <code className="queue-item" data-testid="queue-in-flight">{itemText(current.inFlight)}</code>}
          <h4>Waiting</h4>
          {current.items.length === 0 ? (
            <p className="muted">The queue is empty.</p>
          ) : (
            <ol className="queue-items" aria-label={`Items waiting in ${queue.name}`}>
              {current.items.map((waiting, index) => (
                <li key={index}>
                  <code>{itemText(waiting)}</code>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
      {canWrite && open && (
        <div className="queue-add">
          <h4>Add an item</h4>
          {schema === undefined ? (
            <>
              <JsonTextEditor key={formKey} id={`queue-${queue.name}-item`} label="Item (JSON)" value={item} onChange={setItem} rows={4} />
              <InlineError error={error} />
              {submit}
            </>
          ) : (
            <SchemaForm key={formKey} label={`New ${queue.name} item`} schema={schema} formData={item} idPrefix={`queue-${queue.name}`} onChange={setItem} onSubmit={(value) => void add(value)} disabled={busy}>
              <InlineError error={error} />
              {submit}
            </SchemaForm>
          )}
          {added !== undefined && (
            <p className="muted" role="status">
              {added}
            </p>
          )}
        </div>
      )}
    </section>
  )
}
