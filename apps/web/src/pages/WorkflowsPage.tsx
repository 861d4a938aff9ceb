import { useEffect, useState, type FormEvent } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import {
  createProject,
  createWorkflow,
  duplicateWorkflow,
  listProjects,
  listWorkflows,
  setWorkflowStatus,
  type Project,
  type WorkflowStatus,
  type WorkflowSummary,
} from '../api/client.ts'
import { collectPages } from '../api/paging.ts'
import { setFavorite } from '../api/configs.ts'
import { useOrg } from '../auth/org-context.tsx'
import { useAsync } from '../hooks/useAsync.ts'
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts'
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx'
import { Dialog } from '../ui/Dialog.tsx'
import { formatDateTime } from '../ui/format.ts'
import { TemplatesDialog } from './TemplatesDialog.tsx'
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states.tsx'

const STATUSES: readonly WorkflowStatus[] = ['draft', 'active', 'paused', 'archived']

type SortKey = 'created' | 'lastUsed' | 'runs'

/** The listed workflows in the chosen order (the API pages newest first; usage sorts are of what is loaded). */
export function sortWorkflows(workflows: readonly WorkflowSummary[], sort: SortKey): WorkflowSummary[] {
  const copy = [...workflows]
  if (sort === 'lastUsed') copy.sort((a, b) => (b.lastUsed ?? '').localeCompare(a.lastUsed ?? ''))
  if (sort === 'runs') copy.sort((a, b) => b.executionCount - a.executionCount)
  return copy
}

/** `/orgs/:orgId/workflows?project=&q=&status=&starred=1&sort=`: search, star, create, duplicate, archive. */
export function WorkflowsPage() {
  const { org, permissions } = useOrg()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const projectId = params.get('project') ?? ''
  const status = (params.get('status') ?? '') as WorkflowStatus | ''
  const starred = params.get('starred') === '1'
  const sort = (['lastUsed', 'runs'].includes(params.get('sort') ?? '') ? params.get('sort') : 'created') as SortKey
  const [searchText, setSearchText] = useState(params.get('q') ?? '')
  const search = useDebouncedValue(searchText.trim(), 300)

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params)
    if (value === '') next.delete(key)
    else next.set(key, value)
    setParams(next, { replace: true })
  }
  useEffect(() => {
    if (search !== (params.get('q') ?? '')) setParam('q', search)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced text settles
  }, [search])

  const projects = useAsync((signal) => collectPages((cursor) => listProjects(org.id, { cursor, limit: 100 }, signal)), [org.id])
  const [pages, setPages] = useState<WorkflowSummary[][]>([])
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [moreError, setMoreError] = useState<unknown>(undefined)
  const query = { projectId: projectId || undefined, status: status || undefined, search: search || undefined, favorite: starred ? true : undefined }
  const first = useAsync(
    (signal) => listWorkflows(org.id, { ...query, limit: 50 }, signal),
    [org.id, projectId, status, search, starred],
  )
  useEffect(() => {
    if (first.data !== undefined) {
      setPages([first.data.items])
      setNextCursor(first.data.nextCursor)
    }
  }, [first.data])

  const loadMore = async () => {
    if (nextCursor === null) return
    setLoadingMore(true)
    setMoreError(undefined)
    try {
      const page = await listWorkflows(org.id, { ...query, limit: 50, cursor: nextCursor })
      setPages((current) => [...current, page.items])
      setNextCursor(page.nextCursor)
    } catch (error) {
      setMoreError(error)
    } finally {
      setLoadingMore(false)
    }
  }

  const [creating, setCreating] = useState(false)
  const [fromTemplate, setFromTemplate] = useState(false)
  const [creatingProject, setCreatingProject] = useState(false)
  const [archiving, setArchiving] = useState<WorkflowSummary | undefined>(undefined)
  const [actionError, setActionError] = useState<unknown>(undefined)
  const [busyId, setBusyId] = useState<string | undefined>(undefined)

  const projectName = (id: string) => projects.data?.find((p) => p.id === id)?.name ?? '—'
  const workflows = sortWorkflows(pages.flat(), sort)

  const toggleFavorite = async (workflow: WorkflowSummary) => {
    setBusyId(workflow.id)
    setActionError(undefined)
    try {
      await setFavorite(org.id, workflow.id, !workflow.isFavorite)
      setPages((current) => current.map((page) => page.map((w) => (w.id === workflow.id ? { ...w, isFavorite: !workflow.isFavorite } : w))))
    } catch (error) {
      setActionError(error)
    } finally {
      setBusyId(undefined)
    }
  }

  const duplicate = async (workflow: WorkflowSummary) => {
    setBusyId(workflow.id)
    setActionError(undefined)
    try {
      const copy = await duplicateWorkflow(org.id, workflow.id)
      navigate(`/orgs/${org.id}/workflows/${copy.id}`)
    } catch (error) {
      setActionError(error)
    } finally {
      setBusyId(undefined)
    }
  }

  const restore = async (workflow: WorkflowSummary) => {
    setBusyId(workflow.id)
    setActionError(undefined)
    try {
      await setWorkflowStatus(org.id, workflow.id, 'draft')
      first.reload()
    } catch (error) {
      setActionError(error)
    } finally {
      setBusyId(undefined)
    }
  }

  return (
    <main className="page">
      <header className="page-header">
        <h1>Workflows</h1>
        <span className="spacer" />
        {permissions.canWrite && (
          <>
            <button type="button" onClick={() => setCreatingProject(true)}>
              New project
            </button>
            <button type="button" onClick={() => setFromTemplate(true)} disabled={projects.data === undefined}>
              Start from a template
            </button>
            <button type="button" className="primary" onClick={() => setCreating(true)} disabled={projects.data === undefined}>
              New workflow
            </button>
          </>
        )}
      </header>

      <div className="filters" role="search" aria-label="Filter workflows">
        <label>
          Search
          <input type="search" value={searchText} placeholder="Name…" onChange={(event) => setSearchText(event.target.value)} />
        </label>
        <label>
          Project
          <select value={projectId} onChange={(event) => setParam('project', event.target.value)} disabled={projects.data === undefined}>
            <option value="">All projects</option>
            {projects.data?.map((project) => (
              <option key={project.id} value={project.id}>
                {project.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(event) => setParam('status', event.target.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={starred} onChange={(event) => setParam('starred', event.target.checked ? '1' : '')} />
          Starred only
        </label>
        <label>
          Sort by
          <select value={sort} onChange={(event) => setParam('sort', event.target.value === 'created' ? '' : event.target.value)}>
            <option value="created">Newest</option>
            <option value="lastUsed">Last used</option>
            <option value="runs">Most runs</option>
          </select>
        </label>
      </div>

      {projects.error !== undefined && <ErrorState error={projects.error} title="Cannot load projects" onRetry={projects.reload} />}
      <InlineError error={actionError} />

      {first.loading && pages.length === 0 ? (
        <Loading label="Loading workflows…" />
      ) : first.error !== undefined ? (
        <ErrorState error={first.error} title="Cannot load workflows" onRetry={first.reload} />
      ) : workflows.length === 0 ? (
        <EmptyState title={search || projectId || status || starred ? 'No workflow matches these filters' : 'No workflows yet'}>
          {permissions.canWrite && !search && !status && (
            <p>{projects.data?.length === 0 ? 'Create a project, then a workflow in it.' : 'Create one to start drawing on the canvas.'}</p>
          )}
        </EmptyState>
      ) : (
        <>
          <table className="table" aria-label="Workflows">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Starred</span>
                </th>
                <th scope="col">Name</th>
                <th scope="col">Project</th>
                <th scope="col">Status</th>
                <th scope="col">Nodes</th>
                <th scope="col">Updated</th>
                <th scope="col">Deployed</th>
                <th scope="col">Last used</th>
                <th scope="col">Runs</th>
                {permissions.canWrite && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {workflows.map((workflow) => (
                <tr key={workflow.id}>
                  <td>
                    <button
                      type="button"
                      className={`star-toggle${workflow.isFavorite ? ' starred' : ''}`}
                      aria-pressed={workflow.isFavorite}
                      aria-label={`${workflow.isFavorite ? 'Unstar' : 'Star'} ${workflow.name}`}
                      disabled={!permissions.canWrite || busyId === workflow.id}
                      title={permissions.canWrite ? (workflow.isFavorite ? 'Unstar' : 'Star') : 'Starred by your team'}
                      onClick={() => void toggleFavorite(workflow)}
                    >
                      {workflow.isFavorite ? '★' : '☆'}
                    </button>
                  </td>
                  <td>
                    <Link to={`/orgs/${org.id}/workflows/${workflow.id}`}>{workflow.displayName ?? workflow.name}</Link>
                    <div className="muted small-text">{workflow.kebabName}</div>
                  </td>
                  <td>{projectName(workflow.projectId)}</td>
                  <td>
                    <span className={`pill pill-${workflow.status}`}>{workflow.status}</span>
                  </td>
                  <td title={`${workflow.edgeCount} connection${workflow.edgeCount === 1 ? '' : 's'}`}>{workflow.nodeCount}</td>
                  <td>{formatDateTime(workflow.updatedAt)}</td>
                  <td>{workflow.deployedAt === null ? 'Never' : formatDateTime(workflow.deployedAt)}</td>
                  <td>{workflow.lastUsed === null ? 'Never' : formatDateTime(workflow.lastUsed)}</td>
                  <td>{workflow.executionCount}</td>
                  {permissions.canWrite && (
                    <td>
                      <div className="row-actions">
                      <button type="button" className="small" disabled={busyId === workflow.id} onClick={() => void duplicate(workflow)} aria-label={`Duplicate ${workflow.name}`}>
                        Duplicate
                      </button>
                      {workflow.status === 'archived' ? (
                        <button type="button" className="small" disabled={busyId === workflow.id} onClick={() => void restore(workflow)} aria-label={`Restore ${workflow.name}`}>
                          Restore
                        </button>
                      ) : (
                        <button type="button" className="small" disabled={busyId === workflow.id} onClick={() => setArchiving(workflow)} aria-label={`Archive ${workflow.name}`}>
                          Archive
                        </button>
                      )}
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {nextCursor !== null && (
            <div className="load-more">
              <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
              <InlineError error={moreError} />
            </div>
          )}
        </>
      )}

      {creating && (
        <CreateWorkflowDialog
          projects={projects.data ?? []}
          defaultProjectId={projectId}
          onClose={() => setCreating(false)}
          onCreate={async (body) => {
            const workflow = await createWorkflow(org.id, body)
            navigate(`/orgs/${org.id}/workflows/${workflow.id}`)
          }}
          onNewProject={() => {
            setCreating(false)
            setCreatingProject(true)
          }}
        />
      )}
      {fromTemplate && permissions.canWrite && (
        <TemplatesDialog
          orgId={org.id}
          projects={projects.data ?? []}
          defaultProjectId={projectId}
          onClose={() => setFromTemplate(false)}
          onCreated={(workflow) => navigate(`/orgs/${org.id}/workflows/${workflow.id}`)}
          onNewProject={() => {
            setFromTemplate(false)
            setCreatingProject(true)
          }}
        />
      )}
      {creatingProject && (
        <CreateProjectDialog
          onClose={() => setCreatingProject(false)}
          onCreate={async (name) => {
            const project = await createProject(org.id, { name })
            projects.setData((current) => [...(current ?? []), project])
            setParam('project', project.id)
            setCreatingProject(false)
          }}
        />
      )}
      <ConfirmDialog
        open={archiving !== undefined}
        title="Archive workflow?"
        confirmLabel="Archive"
        danger
        onClose={() => setArchiving(undefined)}
        onConfirm={async () => {
          if (archiving === undefined) return
          await setWorkflowStatus(org.id, archiving.id, 'archived')
          first.reload()
        }}
      >
        <p>
          “{archiving?.name}” becomes read-only and starts no new runs. You can restore it to draft later; its run history is kept.
        </p>
      </ConfirmDialog>
    </main>
  )
}

function CreateWorkflowDialog({
  projects,
  defaultProjectId,
  onClose,
  onCreate,
  onNewProject,
}: {
  projects: readonly Project[]
  defaultProjectId: string
  onClose: () => void
  onCreate: (body: { projectId: string; name: string; description?: string }) => Promise<void>
  onNewProject: () => void
}) {
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [projectId, setProjectId] = useState(defaultProjectId || projects[0]?.id || '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await onCreate({ projectId, name: name.trim(), ...(description.trim() === '' ? {} : { description: description.trim() }) })
    } catch (reason) {
      setError(reason)
      setBusy(false)
    }
  }
  return (
    <Dialog open title="New workflow" onClose={onClose}>
      {projects.length === 0 ? (
        <>
          <p>Workflows live in a project. This organisation has none yet.</p>
          <button type="button" className="primary" onClick={onNewProject}>
            Create a project
          </button>
        </>
      ) : (
        <form onSubmit={submit} className="stack">
          <label>
            Name
            <input value={name} onChange={(event) => setName(event.target.value)} required autoFocus maxLength={255} />
          </label>
          <label>
            Project
            <select value={projectId} onChange={(event) => setProjectId(event.target.value)}>
              {projects.map((project) => (
                <option key={project.id} value={project.id}>
                  {project.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Description (optional)
            <textarea value={description} onChange={(event) => setDescription(event.target.value)} rows={3} />
          </label>
          <InlineError error={error} />
          <div className="dialog-footer">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy || name.trim() === '' || projectId === ''}>
              {busy ? 'Creating…' : 'Create workflow'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  )
}

function CreateProjectDialog({ onClose, onCreate }: { onClose: () => void; onCreate: (name: string) => Promise<void> }) {
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  return (
    <Dialog open title="New project" onClose={onClose}>
      <form
        className="stack"
        onSubmit={async (event) => {
          event.preventDefault()
          setBusy(true)
          setError(undefined)
          try {
            await onCreate(name.trim())
          } catch (reason) {
            setError(reason)
            setBusy(false)
          }
        }}
      >
        <label>
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} required autoFocus maxLength={255} />
        </label>
        <p className="muted">Each project gets its own Temporal task queue and workers.</p>
        <InlineError error={error} />
        <div className="dialog-footer">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || name.trim() === ''}>
            {busy ? 'Creating…' : 'Create project'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
