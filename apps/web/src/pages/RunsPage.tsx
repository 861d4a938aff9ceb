import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { listProjects, listRuns, listWorkflows, type RunSummary } from '../api/client.ts'
import { collectPages } from '../api/paging.ts'
import { useOrg } from '../auth/org-context.tsx'
import { useAsync } from '../hooks/useAsync.ts'
import { usePolling } from '../hooks/usePolling.ts'
import { filtersFromParams, filtersToParams, filtersToQuery, mergeRefreshed, TIME_PRESETS, type RunFilters } from '../runs/run-filters.ts'
import { isRunInFlight, RUN_STATUSES, runStatusStyle } from '../runs/step-status.ts'
import { elapsedMs, formatDateTime, formatDuration, fromDateTimeLocal, toDateTimeLocal } from '../ui/format.ts'
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states.tsx'
import { StatusBadge } from '../ui/StatusBadge.tsx'

const PAGE_SIZE = 50
const POLL_MS = 3000

/**
 * `/orgs/:orgId/runs?status=&workflowId=&projectId=&from=&to=&clientId=`: runs newest first,
 * keyset paged ("Load more"), refreshed every few seconds while any listed run is in flight.
 */
export function RunsPage() {
  const { org } = useOrg()
  const [params, setParams] = useSearchParams()
  const filters = useMemo(() => filtersFromParams(params), [params])
  const filterKey = JSON.stringify(filters)
  const setFilters = (patch: Partial<RunFilters>) => setParams(filtersToParams({ ...filters, ...patch }, params), { replace: true })

  const workflows = useAsync((signal) => collectPages((cursor) => listWorkflows(org.id, { cursor, limit: 100 }, signal), 5), [org.id])
  const projects = useAsync((signal) => collectPages((cursor) => listProjects(org.id, { cursor, limit: 100 }, signal), 5), [org.id])

  const [list, setList] = useState<{ items: RunSummary[]; nextCursor: string | null } | undefined>(undefined)
  const first = useAsync((signal) => listRuns(org.id, { ...filtersToQuery(filters), limit: PAGE_SIZE }, signal), [org.id, filterKey])
  useEffect(() => {
    if (first.data !== undefined) setList(first.data)
  }, [first.data])
  useEffect(() => setList(undefined), [filterKey])

  const [loadingMore, setLoadingMore] = useState(false)
  const [moreError, setMoreError] = useState<unknown>(undefined)
  const loadMore = async () => {
    if (list?.nextCursor == null) return
    setLoadingMore(true)
    setMoreError(undefined)
    try {
      const page = await listRuns(org.id, { ...filtersToQuery(filters), limit: PAGE_SIZE, cursor: list.nextCursor })
      setList((current) => ({ items: [...(current?.items ?? []), ...page.items], nextCursor: page.nextCursor }))
    } catch (error) {
      setMoreError(error)
    } finally {
      setLoadingMore(false)
    }
  }

  const inFlight = list?.items.some((run) => isRunInFlight(run.status)) ?? false
  const [pollError, setPollError] = useState<unknown>(undefined)
  const refresh = useCallback(async () => {
    const limit = Math.min(100, Math.max(PAGE_SIZE, list?.items.length ?? 0))
    try {
      const fresh = await listRuns(org.id, { ...filtersToQuery(filters), limit })
      setList((current) => (current === undefined ? fresh : mergeRefreshed(fresh, current)))
      setPollError(undefined)
    } catch (error) {
      setPollError(error)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filters are captured through filterKey
  }, [org.id, filterKey, list?.items.length])
  usePolling(refresh, POLL_MS, inFlight)

  const [now, setNow] = useState(() => Date.now())
  usePolling(() => setNow(Date.now()), 1000, inFlight)

  const projectId = filters.projectId
  const workflowOptions = (workflows.data ?? []).filter((w) => projectId === undefined || w.projectId === projectId)

  return (
    <main className="page">
      <header className="page-header">
        <h1>Runs</h1>
        <span className="spacer" />
        {inFlight && (
          <span className="live-indicator" role="status">
            Live: refreshing while runs are in flight
          </span>
        )}
        <button type="button" onClick={first.reload}>
          Refresh
        </button>
      </header>

      <div className="filters" role="search" aria-label="Filter runs">
        <label>
          Status
          <select value={filters.status ?? ''} onChange={(event) => setFilters({ status: event.target.value || undefined })}>
            <option value="">Any status</option>
            {RUN_STATUSES.map((status) => (
              <option key={status} value={status}>
                {runStatusStyle(status).label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Project
          <select value={filters.projectId ?? ''} onChange={(event) => setFilters({ projectId: event.target.value || undefined, workflowId: undefined })}>
            <option value="">All projects</option>
            {projects.data?.map((project) => (
              <option key={project.id} value={project.id}>
                {project.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Workflow
          <select value={filters.workflowId ?? ''} onChange={(event) => setFilters({ workflowId: event.target.value || undefined })}>
            <option value="">All workflows</option>
            {filters.workflowId !== undefined && !workflowOptions.some((w) => w.id === filters.workflowId) && (
              <option value={filters.workflowId}>{filters.workflowId}</option>
            )}
            {workflowOptions.map((workflow) => (
              <option key={workflow.id} value={workflow.id}>
                {workflow.displayName ?? workflow.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time range
          <select
            value=""
            onChange={(event) => {
              const preset = TIME_PRESETS.find((p) => p.id === event.target.value)
              if (preset !== undefined) setFilters({ from: new Date(Date.now() - preset.ms).toISOString(), to: undefined })
            }}
          >
            <option value="">Choose…</option>
            {TIME_PRESETS.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" value={toDateTimeLocal(filters.from)} onChange={(event) => setFilters({ from: fromDateTimeLocal(event.target.value) })} />
        </label>
        <label>
          To
          <input type="datetime-local" value={toDateTimeLocal(filters.to)} onChange={(event) => setFilters({ to: fromDateTimeLocal(event.target.value) })} />
        </label>
        <label>
          Client id
          <input
            type="search"
            defaultValue={filters.clientId ?? ''}
            key={filters.clientId ?? ''}
            placeholder="Client uuid"
            onKeyDown={(event) => {
              if (event.key === 'Enter') setFilters({ clientId: (event.target as HTMLInputElement).value.trim() || undefined })
            }}
            onBlur={(event) => setFilters({ clientId: event.target.value.trim() || undefined })}
          />
        </label>
        <label>
          Context contains
          <input
            type="search"
            defaultValue={filters.q ?? ''}
            key={`q:${filters.q ?? ''}`}
            placeholder='{"customer": "acme"}'
            onKeyDown={(event) => {
              if (event.key === 'Enter') setFilters({ q: (event.target as HTMLInputElement).value.trim() || undefined })
            }}
            onBlur={(event) => setFilters({ q: event.target.value.trim() || undefined })}
          />
        </label>
        {Object.keys(filters).length > 0 && (
          <button type="button" onClick={() => setParams(filtersToParams({}, params), { replace: true })}>
            Clear filters
          </button>
        )}
      </div>
      {pollError !== undefined && <InlineError error={pollError} />}

      {list === undefined ? (
        first.error !== undefined ? (
          <ErrorState error={first.error} title="Cannot load runs" onRetry={first.reload} />
        ) : (
          <Loading label="Loading runs…" />
        )
      ) : list.items.length === 0 ? (
        <EmptyState title={Object.keys(filters).length > 0 ? 'No run matches these filters' : 'No runs yet'}>
          <p>Runs appear here once a deployed workflow is started.</p>
        </EmptyState>
      ) : (
        <>
          <table className="table" aria-label="Runs">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Workflow</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Channel</th>
                <th scope="col">Run</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((run) => (
                <tr key={run.runId} data-testid={`run-row-${run.runId}`} data-status={run.status}>
                  <td>
                    <StatusBadge style={runStatusStyle(run.status)} status={run.status} />
                  </td>
                  <td>
                    {run.workflowName === null ? (
                      <span className="muted">(deleted workflow)</span>
                    ) : (
                      <Link to={`/orgs/${org.id}/workflows/${run.workflowId}`}>{run.workflowName}</Link>
                    )}
                  </td>
                  <td>{formatDateTime(run.startedAt)}</td>
                  <td>{formatDuration(run.durationMs ?? (run.endedAt !== null || isRunInFlight(run.status) ? elapsedMs(run.startedAt, run.endedAt, now) : undefined))}</td>
                  <td>{run.channel}</td>
                  <td>
                    <Link to={`/orgs/${org.id}/runs/${run.runId}`} aria-label={`Open run ${run.runId}`}>
                      <code>{run.runId.slice(0, 8)}</code>
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
    </main>
  )
}
