import { useEffect, useId, useMemo, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { createBatch, listRegistry, type CreateBatchBody } from '../api/batches.ts'
import type { Project } from '../api/client.ts'
import { listClientsPage } from '../api/configs.ts'
import { isApiError } from '../api/http.ts'
import { collectPages } from '../api/paging.ts'
import { useAsync } from '../hooks/useAsync.ts'
import { Dialog } from '../ui/Dialog.tsx'
import { ErrorState, InlineError, Loading } from '../ui/states.tsx'
import { keepRegistered } from './blueprint.ts'
import { BlueprintEditor } from './BlueprintEditor.tsx'
import { batchProblemsByField, checkCsvItems, checkJsonItems, type BatchField } from './items-input.ts'

type ItemsMode = 'json' | 'csv'

const EXAMPLE = '[\n  { "name": "Acme", "domain": "acme.com" }\n]'

/**
 * "New batch": a workstream, a client, the blueprint (that workstream's steps in order) and the
 * items, pasted as a JSON array or uploaded as a CSV file (previewed as the API will read them).
 * The API's errors are shown next to the field they name (`step 3: …`, `row 4: …`, `item 2: …`).
 */
export function NewBatchDialog({ orgId, projects, onCreated, onClose }: {
  orgId: string
  projects: readonly Project[]
  onCreated: (batchId: string) => void
  onClose: () => void
}) {
  const id = useId()
  const clients = useAsync((signal) => collectPages((cursor) => listClientsPage(orgId, { cursor, limit: 100 }, signal), 10), [orgId])
  const [workstreamSlug, setWorkstreamSlug] = useState(projects[0]?.workstreamSlug ?? '')
  const steps = useAsync(
    (signal) => (workstreamSlug === '' ? Promise.resolve([]) : collectPages((cursor) => listRegistry(orgId, { cursor, limit: 100, workstreamSlug }, signal), 10)),
    [orgId, workstreamSlug],
  )
  const [clientId, setClientId] = useState('')
  const [blueprint, setBlueprint] = useState<string[]>([])
  const [mode, setMode] = useState<ItemsMode>('json')
  const [json, setJson] = useState(EXAMPLE)
  const [csv, setCsv] = useState<{ name: string; text: string } | undefined>(undefined)
  const [concurrency, setConcurrency] = useState('10')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)

  // A step of another workstream cannot be in this blueprint.
  const stepSlugs = useMemo(() => (steps.data ?? []).map((s) => s.slug), [steps.data])
  useEffect(() => {
    if (steps.data !== undefined) setBlueprint((b) => keepRegistered(b, stepSlugs))
  }, [steps.data, stepSlugs])
  useEffect(() => {
    if (clientId === '' && clients.data !== undefined && clients.data.length > 0) setClientId(clients.data[0]!.id)
  }, [clients.data, clientId])

  const check = useMemo(() => (mode === 'json' ? checkJsonItems(json) : checkCsvItems(csv?.text ?? '')), [mode, json, csv])
  const problems = isApiError(error) ? batchProblemsByField(error.errors) : {}
  const concurrencyValue = Number(concurrency)
  const concurrencyOk = Number.isInteger(concurrencyValue) && concurrencyValue >= 1 && concurrencyValue <= 100
  const canSubmit = !busy && workstreamSlug !== '' && clientId !== '' && blueprint.length > 0 && check.ok && concurrencyOk

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!canSubmit) return
    setBusy(true)
    setError(undefined)
    const body: CreateBatchBody = {
      clientId, workstreamSlug, blueprint, concurrency: concurrencyValue,
      ...(mode === 'json' ? { items: check.ok ? check.items : [] } : { csv: csv?.text ?? '' }),
    }
    try {
      const created = await createBatch(orgId, body)
      onCreated(created.batchId)
    } catch (reason) {
      setError(reason)
      setBusy(false)
    }
  }
  const errorsOf = (field: BatchField) =>
    (problems[field] ?? []).map((message) => (
      <small key={message} className="error-text" role="alert" data-testid={`batch-error-${field}`}>
        {message}
      </small>
    ))
  const unplaced = isApiError(error) && error.errors.length > 0 ? undefined : error

  return (
    <Dialog open title="New batch" onClose={onClose} wide>
      {clients.data === undefined ? (
        clients.error !== undefined ? <ErrorState error={clients.error} title="Cannot load the clients" onRetry={clients.reload} /> : <Loading />
      ) : (
        <form className="stack" onSubmit={submit} aria-label="New batch">
          <div className="form-row">
            <label>
              Workstream
              <select value={workstreamSlug} onChange={(e) => { setWorkstreamSlug(e.target.value); setError(undefined) }} aria-invalid={problems.workstreamSlug !== undefined}>
                {projects.map((p) => (
                  <option key={p.id} value={p.workstreamSlug}>
                    {p.name} ({p.workstreamSlug})
                  </option>
                ))}
              </select>
              {errorsOf('workstreamSlug')}
            </label>
            <label>
              Client
              <select value={clientId} onChange={(e) => setClientId(e.target.value)} aria-invalid={problems.clientId !== undefined}>
                {clients.data.length === 0 && <option value="">No clients: add one first</option>}
                {clients.data.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              {clients.data.length === 0 && (
                <small>
                  <Link to={`/orgs/${orgId}/clients`}>Add a client</Link> first: a batch runs for one client.
                </small>
              )}
              {errorsOf('clientId')}
            </label>
            <label>
              Concurrency
              <input type="number" min={1} max={100} step={1} value={concurrency} onChange={(e) => setConcurrency(e.target.value)} aria-invalid={!concurrencyOk || problems.concurrency !== undefined} />
              {!concurrencyOk && <small className="error-text">a whole number from 1 to 100</small>}
              {errorsOf('concurrency')}
            </label>
          </div>
          {steps.error !== undefined ? (
            <InlineError error={steps.error} />
          ) : (
            <BlueprintEditor
              steps={steps.data ?? []}
              value={blueprint}
              onChange={(next) => {
                setBlueprint(next)
                setError(undefined)
              }}
              errors={problems.blueprint ?? []}
            />
          )}
          <fieldset>
            <legend>Items</legend>
            <div className="radio-row">
              <label className="checkbox">
                <input type="radio" name={`${id}-mode`} checked={mode === 'json'} onChange={() => setMode('json')} /> JSON array
              </label>
              <label className="checkbox">
                <input type="radio" name={`${id}-mode`} checked={mode === 'csv'} onChange={() => setMode('csv')} /> CSV file
              </label>
            </div>
            {mode === 'json' ? (
              <label>
                Items (JSON array of objects)
                <textarea
                  className="code"
                  rows={8}
                  value={json}
                  spellCheck={false}
                  onChange={(e) => {
                    setJson(e.target.value)
                    setError(undefined)
                  }}
                  aria-invalid={!check.ok || problems.items !== undefined}
                  aria-describedby={`${id}-items-check`}
                />
              </label>
            ) : (
              <label>
                CSV file (first row: column names)
                <input
                  type="file"
                  accept=".csv,text/csv"
                  onChange={async (e) => {
                    const file = e.target.files?.[0]
                    setCsv(file === undefined ? undefined : { name: file.name, text: await file.text() })
                    setError(undefined)
                  }}
                />
              </label>
            )}
            <p id={`${id}-items-check`} className={check.ok ? 'muted' : 'error-text'} data-testid="items-check">
              {check.ok ? `${check.items.length} item${check.items.length === 1 ? '' : 's'}${mode === 'csv' && csv !== undefined ? ` in ${csv.name}` : ''}` : check.error}
            </p>
            {check.ok && (
              <table className="table compact" aria-label="Items preview">
                <caption className="muted">
                  {check.preview.length < check.items.length ? `First ${check.preview.length} of ${check.items.length} items` : 'Items'}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    {check.headers.map((h) => (
                      <th key={h} scope="col">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {check.preview.map((row, i) => (
                    <tr key={i}>
                      <td>{i + 1}</td>
                      {check.headers.map((h) => (
                        <td key={h}>{cell(row[h])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {errorsOf('items')}
          </fieldset>
          {errorsOf('other')}
          <InlineError error={unplaced} />
          <div className="dialog-footer">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={!canSubmit}>
              {busy ? 'Creating…' : 'Create batch'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  )
}

/** A preview cell: strings as they are, anything else as JSON text. */
function cell(value: unknown): string {
  if (value === undefined) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}
