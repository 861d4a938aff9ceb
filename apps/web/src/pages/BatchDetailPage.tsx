import { useCallback, useState } from 'react'
import { Link, useParams } from 'react-router'
import { controlBatch, getBatch, ITEM_STATUSES, listBatchItems, STATE_STATUSES, type BatchItem, type ItemStatus } from '../api/batches.ts'
import { useOrg } from '../auth/org-context.tsx'
import { BatchActions } from '../batches/BatchActions.tsx'
import { BatchProgressBar } from '../batches/BatchProgressBar.tsx'
import { StepRunLinks } from '../batches/StepRunLinks.tsx'
import { batchActions, batchProgress, batchStatusStyle, isBatchOpen } from '../batches/batch-status.ts'
import { useAsync } from '../hooks/useAsync.ts'
import { usePolling } from '../hooks/usePolling.ts'
import { formatDateTime } from '../ui/format.ts'
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states.tsx'
import { StatusBadge } from '../ui/StatusBadge.tsx'

const POLL_MS = 2000
const ITEMS_PAGE = 50

/**
 * `/orgs/:orgId/batches/:batchId`: the batch's progress (polled until it is closed), items per
 * state and per step, the controls that apply, and its items page by page with each step's state,
 * error and child run.
 */
export function BatchDetailPage() {
  const { org, permissions } = useOrg()
  const { batchId = '' } = useParams()
  const batch = useAsync((signal) => getBatch(org.id, batchId, signal), [org.id, batchId])

  // Items: one page at a time; `cursors` holds the cursor of every page up to the current one.
  const [itemStatus, setItemStatus] = useState<ItemStatus | ''>('')
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined])
  const cursor = cursors[cursors.length - 1]
  const items = useAsync(
    (signal) => listBatchItems(org.id, batchId, { limit: ITEMS_PAGE, cursor, status: itemStatus || undefined }, signal),
    [org.id, batchId, cursor, itemStatus],
  )

  const open = batch.data !== undefined && isBatchOpen(batch.data.status)
  const [pollError, setPollError] = useState<unknown>(undefined)
  const refresh = useCallback(async () => {
    try {
      // The items are read after the batch: once it reads closed, they are final and polling may stop.
      const fresh = await getBatch(org.id, batchId)
      const page = await listBatchItems(org.id, batchId, { limit: ITEMS_PAGE, cursor, status: itemStatus || undefined })
      batch.setData(fresh)
      items.setData(page)
      setPollError(undefined)
    } catch (error) {
      setPollError(error)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- setData is stable
  }, [org.id, batchId, cursor, itemStatus])
  usePolling(refresh, POLL_MS, open)

  if (batch.data === undefined) {
    return (
      <main className="page">
        {batch.error !== undefined ? <ErrorState error={batch.error} title="Cannot load the batch" onRetry={batch.reload} /> : <Loading label="Loading batch…" />}
      </main>
    )
  }
  const b = batch.data
  const progress = batchProgress(b)
  const allowed = batchActions(b.status, b.progress.items.FAILED ?? b.failedItems, permissions.canWrite)

  return (
    <main className="page batch-page">
      <header className="page-header">
        <div>
          <p className="breadcrumb">
            <Link to={`/orgs/${org.id}/batches`}>Batches</Link> / {b.clientName ?? '(deleted client)'} · {b.workstreamSlug}
          </p>
          <h1>
            Batch <code>{b.id.slice(0, 8)}</code> <StatusBadge style={batchStatusStyle(b.status)} status={b.status} />
          </h1>
          <dl className="facts inline">
            <dt>Client</dt>
            <dd>{b.clientName ?? '(deleted client)'}</dd>
            <dt>Workstream</dt>
            <dd>
              <code>{b.workstreamSlug}</code>
            </dd>
            <dt>Blueprint</dt>
            <dd>
              {b.blueprint.map((s, i) => (
                <span key={s}>
                  {i > 0 && ' → '}
                  <code>{s}</code>
                </span>
              ))}
            </dd>
            <dt>Concurrency</dt>
            <dd>{b.concurrency}</dd>
            <dt>Created</dt>
            <dd>{formatDateTime(b.createdAt)}</dd>
          </dl>
        </div>
        <span className="spacer" />
        {open && (
          <span className="live-indicator" role="status">
            Live
          </span>
        )}
        <BatchActions
          allowed={allowed}
          failedItems={b.progress.items.FAILED ?? b.failedItems}
          onAction={async (action) => {
            await controlBatch(org.id, b.id, action)
            await refresh()
          }}
        />
      </header>
      {pollError !== undefined && <InlineError error={pollError} />}
      {b.error !== null && (
        <p role="alert" className="error-text" data-testid="batch-error">
          The batch stopped: {b.error}
        </p>
      )}

      <section aria-label="Progress" className="batch-summary">
        <BatchProgressBar progress={progress} />
        <ul className="state-counts" aria-label="Items per state">
          {STATE_STATUSES.map((s) => (
            <li key={s} data-testid={`count-${s}`} data-count={progress.counts[s]}>
              <StatusBadge style={batchStatusStyle(s)} status={s} /> <strong>{progress.counts[s]}</strong>
            </li>
          ))}
        </ul>
        <table className="table compact" aria-label="Steps">
          <thead>
            <tr>
              <th scope="col">Step</th>
              {STATE_STATUSES.map((s) => (
                <th key={s} scope="col">
                  {batchStatusStyle(s).label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {b.steps.map((step) => (
              <tr key={step.step} data-testid={`step-counts-${step.step}`}>
                <td>
                  <code>{step.step}</code>
                </td>
                {STATE_STATUSES.map((s) => (
                  <td key={s}>{step.states[s] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-label="Items" className="batch-items">
        <header className="page-header">
          <h2>Items</h2>
          <span className="spacer" />
          <label className="inline-label">
            Item status{' '}
            <select
              value={itemStatus}
              onChange={(e) => {
                setItemStatus(e.target.value as ItemStatus | '')
                setCursors([undefined])
              }}
            >
              <option value="">Any</option>
              {ITEM_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {batchStatusStyle(s).label}
                </option>
              ))}
            </select>
          </label>
        </header>
        {items.data === undefined ? (
          items.error !== undefined ? <ErrorState error={items.error} title="Cannot load the items" onRetry={items.reload} /> : <Loading label="Loading items…" />
        ) : items.data.items.length === 0 ? (
          <EmptyState title={itemStatus === '' ? 'No items' : 'No item has this status'} />
        ) : (
          <ItemsTable orgId={org.id} blueprint={b.blueprint} items={items.data.items} />
        )}
        <div className="load-more" aria-label="Item pages">
          <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))} disabled={cursors.length <= 1}>
            Previous page
          </button>
          <span className="muted">Page {cursors.length}</span>
          <button
            type="button"
            onClick={() => {
              const next = items.data?.nextCursor
              if (next != null) setCursors((c) => [...c, next])
            }}
            disabled={items.data?.nextCursor == null}
          >
            Next page
          </button>
          {items.error !== undefined && items.data !== undefined && <InlineError error={items.error} />}
        </div>
      </section>
    </main>
  )
}

function ItemsTable({ orgId, blueprint, items }: { orgId: string; blueprint: readonly string[]; items: readonly BatchItem[] }) {
  return (
    <table className="table compact" aria-label="Batch items">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Status</th>
          <th scope="col">Data</th>
          {blueprint.map((s) => (
            <th key={s} scope="col">
              <code>{s}</code>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} data-testid={`item-row-${item.position}`} data-status={item.status}>
            <td>{item.position + 1}</td>
            <td>
              <StatusBadge style={batchStatusStyle(item.status)} status={item.status} />
            </td>
            <td>
              <code className="item-data" title={JSON.stringify(item.data)}>
                {preview(item.data)}
              </code>
            </td>
            {blueprint.map((slug) => {
              const state = item.steps.find((s) => s.step === slug)
              if (state === undefined) return <td key={slug} className="muted">—</td>
              return (
                <td key={slug} data-testid={`item-${item.position}-step-${slug}`} data-status={state.status}>
                  <StatusBadge style={batchStatusStyle(state.status)} status={state.status} />
                  {state.attempts > 1 && <span className="muted"> ×{state.attempts}</span>}
                  <StepRunLinks orgId={orgId} itemLabel={String(item.position + 1)} step={slug} runId={state.runId} runIds={state.runIds} />
                  {state.error !== null && <div className="error-text small-text">{state.error}</div>}
                </td>
              )
            })}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** One line of the item's data, cut at 80 characters. */
function preview(data: unknown): string {
  const text = JSON.stringify(data) ?? ''
  return text.length > 80 ? `${text.slice(0, 79)}…` : text
}
