import { useId, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { createRegistryEntry, deleteRegistryEntry, listRegistry, updateRegistryEntry, type RegistryEntry } from '../api/batches.ts'
import { listProjects, listWorkflows, type Project, type WorkflowSummary } from '../api/client.ts'
import { collectPages } from '../api/paging.ts'
import { useOrg } from '../auth/org-context.tsx'
import { apiFieldErrors, emptyStepForm, stepBody, stepFormOf, type StepFormValues } from '../batches/step-form.ts'
import { useAsync } from '../hooks/useAsync.ts'
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx'
import { Dialog } from '../ui/Dialog.tsx'
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states.tsx'

/**
 * `/orgs/:orgId/steps`: the organisation's workstream steps (enrichment registry), per workstream
 * (project). A sync step runs a workflow of its project; an async step calls an endpoint and waits
 * for its callback. Developers and admins create, edit and delete.
 */
export function WorkstreamStepsPage() {
  const { org, permissions } = useOrg()
  const data = useAsync(
    async (signal) => {
      const [projects, workflows, entries] = await Promise.all([
        collectPages((cursor) => listProjects(org.id, { cursor, limit: 100 }, signal), 5),
        collectPages((cursor) => listWorkflows(org.id, { cursor, limit: 100 }, signal), 10),
        collectPages((cursor) => listRegistry(org.id, { cursor, limit: 100 }, signal), 20),
      ])
      return { projects, workflows, entries }
    },
    [org.id],
  )
  const [editing, setEditing] = useState<{ entry?: RegistryEntry; workstreamSlug: string } | undefined>(undefined)
  const [deleting, setDeleting] = useState<RegistryEntry | undefined>(undefined)

  if (data.data === undefined) {
    return (
      <main className="page">
        {data.error !== undefined ? <ErrorState error={data.error} title="Cannot load the workstream steps" onRetry={data.reload} /> : <Loading label="Loading steps…" />}
      </main>
    )
  }
  const { projects, workflows, entries } = data.data
  const workflowName = (id: string | null) => {
    const w = workflows.find((x) => x.id === id)
    return w === undefined ? undefined : (w.displayName ?? w.name)
  }

  return (
    <main className="page">
      <header className="page-header">
        <h1>Workstream steps</h1>
        <span className="spacer" />
        {permissions.canWrite && projects.length > 0 && (
          <button type="button" className="primary" onClick={() => setEditing({ workstreamSlug: projects[0]!.workstreamSlug })}>
            New step
          </button>
        )}
      </header>
      <p className="muted">
        The steps a batch can run, per workstream (project). A blueprint lists them in order; each item of the batch runs through them.
      </p>
      {data.error !== undefined && <InlineError error={data.error} />}
      {projects.length === 0 ? (
        <EmptyState title="No projects yet">
          <p>
            Each project is a workstream. <Link to={`/orgs/${org.id}/workflows`}>Create a project</Link> first.
          </p>
        </EmptyState>
      ) : (
        projects.map((project) => {
          const steps = entries.filter((e) => e.workstreamSlug === project.workstreamSlug).sort((a, b) => a.slug.localeCompare(b.slug))
          return (
            <section key={project.id} className="workstream" aria-label={`Workstream ${project.name}`}>
              <header className="page-header">
                <h2>
                  {project.name} <code className="muted">{project.workstreamSlug}</code>
                </h2>
                <span className="spacer" />
                {permissions.canWrite && (
                  <button type="button" className="small" onClick={() => setEditing({ workstreamSlug: project.workstreamSlug })}>
                    Add step to {project.name}
                  </button>
                )}
              </header>
              {steps.length === 0 ? (
                <p className="muted">No steps in this workstream.</p>
              ) : (
                <table className="table" aria-label={`Steps of ${project.name}`}>
                  <thead>
                    <tr>
                      <th scope="col">Slug</th>
                      <th scope="col">Name</th>
                      <th scope="col">Type</th>
                      <th scope="col">Runs</th>
                      <th scope="col">Description</th>
                      {permissions.canWrite && <th scope="col">Actions</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {steps.map((entry) => (
                      <tr key={entry.id} data-testid={`step-row-${entry.slug}`}>
                        <td>
                          <code>{entry.slug}</code>
                        </td>
                        <td>{entry.name}</td>
                        <td>{entry.type}</td>
                        <td>
                          {entry.type === 'sync' ? (
                            entry.workflowId === null ? (
                              '—'
                            ) : (
                              <Link to={`/orgs/${org.id}/workflows/${entry.workflowId}`}>{workflowName(entry.workflowId) ?? entry.workflowId}</Link>
                            )
                          ) : (
                            <>
                              <code>{entry.asyncEndpointUrl}</code>
                              <span className="muted"> · callback within {entry.callbackTimeoutSeconds ?? 3600} s</span>
                            </>
                          )}
                        </td>
                        <td>{entry.description ?? ''}</td>
                        {permissions.canWrite && (
                          <td>
                            <div className="row-actions">
                              <button type="button" className="small" onClick={() => setEditing({ entry, workstreamSlug: entry.workstreamSlug })} aria-label={`Edit ${entry.slug}`}>
                                Edit
                              </button>
                              <button type="button" className="small danger" onClick={() => setDeleting(entry)} aria-label={`Delete ${entry.slug}`}>
                                Delete
                              </button>
                            </div>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          )
        })
      )}
      {editing !== undefined && (
        <StepFormDialog
          entry={editing.entry}
          initialWorkstream={editing.workstreamSlug}
          projects={projects}
          workflows={workflows}
          onClose={() => setEditing(undefined)}
          onSave={async (values) => {
            const body = stepBody(values)
            if (editing.entry === undefined) await createRegistryEntry(org.id, body)
            else {
              const { slug: _slug, workstreamSlug: _ws, ...patch } = body
              await updateRegistryEntry(org.id, editing.entry.id, patch)
            }
            setEditing(undefined)
            data.reload()
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== undefined}
        title="Delete step"
        confirmLabel="Delete step"
        danger
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await deleteRegistryEntry(org.id, deleting!.id)
          data.reload()
        }}
      >
        <p>
          Delete the step <code>{deleting?.slug}</code> of workstream <code>{deleting?.workstreamSlug}</code>? Client configurations of the step go with it. A step with
          batch results cannot be deleted.
        </p>
      </ConfirmDialog>
    </main>
  )
}

function StepFormDialog({ entry, initialWorkstream, projects, workflows, onSave, onClose }: {
  entry: RegistryEntry | undefined
  initialWorkstream: string
  projects: readonly Project[]
  workflows: readonly WorkflowSummary[]
  onSave: (values: StepFormValues) => Promise<void>
  onClose: () => void
}) {
  const [values, setValues] = useState<StepFormValues>(() => (entry === undefined ? emptyStepForm(initialWorkstream) : stepFormOf(entry)))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const errors = apiFieldErrors(error)
  const id = useId()
  const set = (patch: Partial<StepFormValues>) => setValues((v) => ({ ...v, ...patch }))
  const project = projects.find((p) => p.workstreamSlug === values.workstreamSlug)
  const projectWorkflows = workflows.filter((w) => w.workstreamSlug === values.workstreamSlug || w.projectId === project?.id)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await onSave(values)
    } catch (reason) {
      setError(reason)
      setBusy(false)
    }
  }
  // Each input shows the API's message about it underneath.
  const fieldProps = (field: keyof StepFormValues) => ({
    id: `${id}-${field}`,
    'aria-invalid': errors[field] !== undefined,
    'aria-describedby': errors[field] !== undefined ? `${id}-${field}-error` : undefined,
  })
  const fieldError = (field: keyof StepFormValues) =>
    errors[field] !== undefined && (
      <small id={`${id}-${field}-error`} className="error-text" data-testid={`error-${field}`}>
        {errors[field]}
      </small>
    )
  return (
    <Dialog open title={entry === undefined ? 'New workstream step' : `Edit step ${entry.slug}`} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label>
          Workstream
          <select {...fieldProps('workstreamSlug')} value={values.workstreamSlug} disabled={entry !== undefined} onChange={(e) => set({ workstreamSlug: e.target.value, workflowId: '' })}>
            {projects.map((p) => (
              <option key={p.id} value={p.workstreamSlug}>
                {p.name} ({p.workstreamSlug})
              </option>
            ))}
          </select>
          {fieldError('workstreamSlug')}
        </label>
        <label>
          Slug
          <input
            {...fieldProps('slug')}
            value={values.slug}
            onChange={(e) => set({ slug: e.target.value })}
            disabled={entry !== undefined}
            required
            maxLength={255}
            placeholder="normalize_company"
            spellCheck={false}
          />
          {fieldError('slug')}
        </label>
        <label>
          Name
          <input {...fieldProps('name')} value={values.name} onChange={(e) => set({ name: e.target.value })} required maxLength={255} />
          {fieldError('name')}
        </label>
        <label>
          Description (optional)
          <textarea {...fieldProps('description')} value={values.description} onChange={(e) => set({ description: e.target.value })} rows={2} />
          {fieldError('description')}
        </label>
        <fieldset className="radio-row">
          <legend>Type</legend>
          <label className="checkbox">
            <input type="radio" name={`${id}-type`} value="sync" checked={values.type === 'sync'} onChange={() => set({ type: 'sync' })} /> Sync: runs a workflow of
            the workstream
          </label>
          <label className="checkbox">
            <input type="radio" name={`${id}-type`} value="async" checked={values.type === 'async'} onChange={() => set({ type: 'async' })} /> Async: calls an
            endpoint and waits for its callback
          </label>
          {fieldError('type')}
        </fieldset>
        {values.type === 'sync' ? (
          <label>
            Workflow
            <select {...fieldProps('workflowId')} value={values.workflowId} onChange={(e) => set({ workflowId: e.target.value })}>
              <option value="">Choose a workflow…</option>
              {projectWorkflows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.displayName ?? w.name}
                  {w.deployedAt === null ? ' (not deployed)' : ''}
                </option>
              ))}
            </select>
            {projectWorkflows.length === 0 && <small className="muted">This project has no workflows yet.</small>}
            {fieldError('workflowId')}
          </label>
        ) : (
          <>
            <label>
              Endpoint URL
              <input
                {...fieldProps('asyncEndpointUrl')}
                type="url"
                value={values.asyncEndpointUrl}
                onChange={(e) => set({ asyncEndpointUrl: e.target.value })}
                placeholder="https://enrich.example.com/score"
              />
              <small className="muted">Receives POST {'{ batchId, itemId, step, data, callbackUrl }'}; answers 2xx, then POSTs {'{ result }'} or {'{ error }'} to callbackUrl.</small>
              {fieldError('asyncEndpointUrl')}
            </label>
            <label>
              Callback timeout (seconds, empty: 3600)
              <input
                {...fieldProps('callbackTimeoutSeconds')}
                type="number"
                min={1}
                max={604800}
                step={1}
                value={values.callbackTimeoutSeconds}
                onChange={(e) => set({ callbackTimeoutSeconds: e.target.value })}
              />
              {fieldError('callbackTimeoutSeconds')}
            </label>
          </>
        )}
        {errors.other !== undefined ? <p className="inline-error" role="alert">{errors.other}</p> : isOnlyGeneral(error, errors) && <InlineError error={error} />}
        <div className="dialog-footer">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || values.slug.trim() === '' || values.name.trim() === ''}>
            {busy ? 'Saving…' : entry === undefined ? 'Create step' : 'Save step'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

/** An error that no field shows (network, 403, 5xx): shown under the form instead. */
const isOnlyGeneral = (error: unknown, errors: object) => error !== undefined && Object.keys(errors).length === 0
