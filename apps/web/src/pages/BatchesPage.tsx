import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { BATCH_STATUSES, listBatches, type Batch, type BatchStatus, type ListBatchesQuery } from '../api/batches.ts'
import { listProjects } from '../api/client.ts'
import { listClientsPage } from '../api/configs.ts'
import type { Page } from '../api/client.ts'
import { collectPages } from '../api/paging.ts'
import { useOrg } from '../auth/org-context.tsx'
import { BatchProgressBar } from '../batches/BatchProgressBar.tsx'
import { batchProgress, batchStatusStyle, isBatchOpen } from '../batches/batch-status.ts'
import { NewBatchDialog } from '../batches/NewBatchDialog.tsx'
import { useAsync } from '../hooks/useAsync.ts'
import { usePolling } from '../hooks/usePolling.ts'
import { formatDateTime } from '../ui/format.ts'
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states.tsx'
import { StatusBadge } from '../ui/StatusBadge.tsx'

const PAGE_SIZE = 50
const POLL_MS = 3000

/** The list's progress from the batch's counters (the detail page has per-status counts). */
const listProgress = (b: Batch) =>
  batchProgress({
    totalItems: b.totalItems,
    progress: { items: { PENDING: Math.max(0, b.totalItems - b.completedItems - b.failedItems), RUNNING: 0, COMPLETED: b.completedItems, FAILED: b.failedItems, CANCELLED: 0 } },
  })

/**
 * `/orgs/:orgId/batches?status=&workstreamSlug=&clientId=`: batches newest first, keyset paged ("Load
 * more"), refreshed while any listed batch is open; "New batch" for developers and admins.
 */
export function BatchesPage() {
  const { org, permissions } = useOrg()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const status = (params.get('status') ?? '') as BatchStatus | ''
  const workstreamSlug = params.get('workstreamSlug') ?? ''
  const clientId = params.get('clientId') ?? ''
  const query: ListBatchesQuery = useMemo(
    () => ({ status: status || undefined, workstreamSlug: workstreamSlug || undefined, clientId: clientId || undefined }),
    [status, workstreamSlug, clientId],
  )
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params)
    if (value === '') next.delete(key)
    else next.set(key, value)
    setParams(next, { replace: true })
  }

  const projects = useAsync((signal) => collectPages((cursor) => listProjects(org.id, { cursor, limit: 100 }, signal), 5), [org.id])
  const clients = useAsync((signal) => collectPages((cursor) => listClientsPage(org.id, { cursor, limit: 100 }, signal), 5), [org.id])
  const [list, setList] = useState<Page<Batch> | undefined>(undefined)
  const first = useAsync((signal) => listBatches(org.id, { ...query, limit: PAGE_SIZE }, signal), [org.id, status, workstreamSlug, clientId])
  useEffect(() => {
    if (first.data !== undefined) setList(first.data)
  }, [first.data])
  useEffect(() => setList(undefined), [status, workstreamSlug, clientId])

  const [loadingMore, setLoadingMore] = useState(false)
  const [moreError, setMoreError] = useState<unknown>(undefined)
  const loadMore = async () => {
    if (list?.nextCursor == null) return
    setLoadingMore(true)
    setMoreError(undefined)
    try {
      const page = await listBatches(org.id, { ...query, limit: PAGE_SIZE, cursor: list.nextCursor })
      setList((current) => ({ items: [...(current?.items ?? []), ...page.items], nextCursor: page.nextCursor }))
    } catch (error) {
      setMoreError(error)
    } finally {
      setLoadingMore(false)
    }
  }

  // Refresh what is on screen (up to 100 rows) while a batch is open; rows beyond stay as loaded.
  const open = list?.items.some((b) => isBatchOpen(b.status)) ?? false
  const [pollError, setPollError] = useState<unknown>(undefined)
  const refresh = useCallback(async () => {
    try {
      const fresh = await listBatches(org.id, { ...query, limit: Math.min(100, Math.max(PAGE_SIZE, list?.items.length ?? 0)) })
      setList((current) => {
        if (current === undefined || current.items.length <= fresh.items.length) return fresh
        const ids = new Set(fresh.items.map((b) => b.id))
        return { items: [...fresh.items, ...current.items.slice(fresh.items.length).filter((b) => !ids.has(b.id))], nextCursor: current.nextCursor }
      })
      setPollError(undefined)
    } catch (error) {
      setPollError(error)
    }
  }, [org.id, query, list?.items.length])
  usePolling(refresh, POLL_MS, open)

  const [creating, setCreating] = useState(false)
  const projectName = (slug: string) => projects.data?.find((p) => p.workstreamSlug === slug)?.name

  return (
    <main className="page">
      <header className="page-header">
        <h1>Batches</h1>
        <span className="spacer" />
        {open && (
          <span className="live-indicator" role="status">
            Live: refreshing while batches run
          </span>
        )}
        <button type="button" onClick={first.reload}>
          Refresh
        </button>
        {permissions.canWrite && (
          <button type="button" className="primary" onClick={() => setCreating(true)} disabled={projects.data === undefined || projects.data.length === 0}>
            New batch
          </button>
        )}
      </header>
      <div className="filters" role="search" aria-label="Filter batches">
        <label>
          Status
          <select value={status} onChange={(e) => setParam('status', e.target.value)}>
            <option value="">Any status</option>
            {BATCH_STATUSES.map((s) => (
              <option key={s} value={s}>
                {batchStatusStyle(s).label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Workstream
          <select value={workstreamSlug} onChange={(e) => setParam('workstreamSlug', e.target.value)}>
            <option value="">All workstreams</option>
            {projects.data?.map((p) => (
              <option key={p.id} value={p.workstreamSlug}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Client
          <select value={clientId} onChange={(e) => setParam('clientId', e.target.value)}>
            <option value="">All clients</option>
            {clientId !== '' && !(clients.data ?? []).some((c) => c.id === clientId) && <option value={clientId}>{clientId}</option>}
            {clients.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {projects.error !== undefined && <InlineError error={projects.error} />}
      {pollError !== undefined && <InlineError error={pollError} />}

      {list === undefined ? (
        first.error !== undefined ? (
          <ErrorState error={first.error} title="Cannot load batches" onRetry={first.reload} />
        ) : (
          <Loading label="Loading batches…" />
        )
      ) : list.items.length === 0 ? (
        <EmptyState title={status !== '' || workstreamSlug !== '' || clientId !== '' ? 'No batch matches these filters' : 'No batches yet'}>
          <p>
            A batch runs many items through a workstream's steps. Register the steps on the <Link to={`/orgs/${org.id}/steps`}>Workstream steps</Link> page first.
          </p>
        </EmptyState>
      ) : (
        <>
          <table className="table" aria-label="Batches">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Client</th>
                <th scope="col">Workstream</th>
                <th scope="col">Progress</th>
                <th scope="col">Items</th>
                <th scope="col">Created</th>
                <th scope="col">Batch</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((b) => (
                <tr key={b.id} data-testid={`batch-row-${b.id}`} data-status={b.status}>
                  <td>
                    <StatusBadge style={batchStatusStyle(b.status)} status={b.status} />
                  </td>
                  <td>{b.clientName ?? <span className="muted">(deleted client)</span>}</td>
                  <td>
                    {projectName(b.workstreamSlug) ?? ''} <code className="muted">{b.workstreamSlug}</code>
                  </td>
                  <td>
                    <BatchProgressBar progress={listProgress(b)} compact />
                  </td>
                  <td>
                    <span title="succeeded / failed / total">
                      {b.completedItems} ✓ · {b.failedItems} ✗ · {b.totalItems}
                    </span>
                  </td>
                  <td>{formatDateTime(b.createdAt)}</td>
                  <td>
                    <Link to={`/orgs/${org.id}/batches/${b.id}`} aria-label={`Open batch ${b.id}`}>
                      <code>{b.id.slice(0, 8)}</code>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.nextCursor !== null && (
            <div className="load-more">
              <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
              <InlineError error={moreError} />
            </div>
          )}
        </>
      )}
      {creating && projects.data !== undefined && (
        <NewBatchDialog orgId={org.id} projects={projects.data} onClose={() => setCreating(false)} onCreated={(batchId) => navigate(`/orgs/${org.id}/batches/${batchId}`)} />
      )}
    </main>
  )
}
