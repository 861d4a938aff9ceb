import { useState } from 'react'
import { collectPages } from '../api/paging.ts'
import {
  createClient, deleteClient, deleteClientConfig, getClientConfig, listClientConfigs, listClientsPage, saveClientConfig, updateClient,
  type Client, type ClientStepConfig,
} from '../api/configs.ts'
import { useOrg } from '../auth/org-context.tsx'
import { OverridesForm } from '../forms/OverridesForm.tsx'
import { pruneOverrides } from '../forms/overrides-form.ts'
import { useAsync } from '../hooks/useAsync.ts'
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts'
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx'
import { formatDateTime } from '../ui/format.ts'
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states.tsx'

/**
 * `/orgs/:orgId/clients`: the customers runs and batches are for. Developers and admins create,
 * rename and delete them, and edit each client's config of each workstream step (per-node
 * overrides of the step's workflow, in a form generated from that workflow).
 */
export function ClientsPage() {
  const { org, permissions } = useOrg()
  const [searchText, setSearchText] = useState('')
  const search = useDebouncedValue(searchText.trim(), 300)
  const clients = useAsync((signal) => collectPages((cursor) => listClientsPage(org.id, { cursor, limit: 100, ...(search ? { search } : {}) }, signal), 10), [org.id, search])
  const [name, setName] = useState('')
  const [createError, setCreateError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const [selected, setSelected] = useState<Client | undefined>(undefined)
  const [renaming, setRenaming] = useState<{ client: Client; name: string } | undefined>(undefined)
  const [renameError, setRenameError] = useState<unknown>(undefined)
  const [deleting, setDeleting] = useState<Client | undefined>(undefined)

  const create = async () => {
    setBusy(true)
    setCreateError(undefined)
    try {
      const created = await createClient(org.id, { name: name.trim() })
      setName('')
      clients.setData((current) => [created, ...(current ?? [])])
    } catch (error) {
      setCreateError(error)
    } finally {
      setBusy(false)
    }
  }

  const rename = async () => {
    if (renaming === undefined) return
    setRenameError(undefined)
    try {
      const updated = await updateClient(org.id, renaming.client.id, { name: renaming.name.trim() })
      clients.setData((current) => (current ?? []).map((c) => (c.id === updated.id ? updated : c)))
      if (selected?.id === updated.id) setSelected(updated)
      setRenaming(undefined)
    } catch (error) {
      setRenameError(error)
    }
  }

  return (
    <main className="page">
      <header className="page-header">
        <h1>Clients</h1>
      </header>
      <div className="filters" role="search" aria-label="Filter clients">
        <label>
          Search
          <input type="search" value={searchText} placeholder="Name…" onChange={(event) => setSearchText(event.target.value)} />
        </label>
        {permissions.canWrite && (
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault()
              void create()
            }}
          >
            <label>
              New client
              <input value={name} placeholder="Client name" onChange={(event) => setName(event.target.value)} />
            </label>
            <button type="submit" className="primary" disabled={busy || name.trim() === ''}>
              Create client
            </button>
          </form>
        )}
      </div>
      <InlineError error={createError} />

      {clients.loading && clients.data === undefined ? (
        <Loading label="Loading clients…" />
      ) : clients.error !== undefined ? (
        <ErrorState error={clients.error} title="Cannot load clients" onRetry={clients.reload} />
      ) : (clients.data ?? []).length === 0 ? (
        <EmptyState title={search ? 'No client matches' : 'No clients yet'}>
          {permissions.canWrite && !search && <p>Create one to give it its own step configs.</p>}
        </EmptyState>
      ) : (
        <table className="table" aria-label="Clients">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">External reference</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(clients.data ?? []).map((client) => (
              <tr key={client.id} className={selected?.id === client.id ? 'selected' : undefined}>
                <td>
                  {renaming?.client.id === client.id ? (
                    <form
                      className="inline-form"
                      onSubmit={(event) => {
                        event.preventDefault()
                        void rename()
                      }}
                    >
                      <input aria-label={`New name of ${client.name}`} value={renaming.name} onChange={(event) => setRenaming({ client, name: event.target.value })} />
                      <button type="submit" className="small primary" disabled={renaming.name.trim() === ''}>
                        Save
                      </button>
                      <button type="button" className="small" onClick={() => { setRenaming(undefined); setRenameError(undefined) }}>
                        Cancel
                      </button>
                      <InlineError error={renameError} />
                    </form>
                  ) : (
                    client.name
                  )}
                </td>
                <td>{client.externalRef ?? <span className="muted">—</span>}</td>
                <td>{formatDateTime(client.createdAt)}</td>
                <td>
                  <div className="row-actions">
                    <button type="button" className="small" onClick={() => setSelected(client)} aria-label={`Step configs of ${client.name}`}>
                      Step configs
                    </button>
                    {permissions.canWrite && (
                      <>
                        <button type="button" className="small" onClick={() => { setRenaming({ client, name: client.name }); setRenameError(undefined) }} aria-label={`Rename ${client.name}`}>
                          Rename
                        </button>
                        <button type="button" className="small danger" onClick={() => setDeleting(client)} aria-label={`Delete ${client.name}`}>
                          Delete
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {selected !== undefined && <ClientStepConfigs key={selected.id} client={selected} />}

      <ConfirmDialog
        open={deleting !== undefined}
        title="Delete client?"
        confirmLabel="Delete"
        danger
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          if (deleting === undefined) return
          await deleteClient(org.id, deleting.id)
          clients.setData((current) => (current ?? []).filter((c) => c.id !== deleting.id))
          if (selected?.id === deleting.id) setSelected(undefined)
        }}
      >
        <p>“{deleting?.name}” and its step configs are deleted; its past runs are kept without a client. A client with batches cannot be deleted.</p>
      </ConfirmDialog>
    </main>
  )
}

/** The client's config of every workstream step, and the editor of one. */
function ClientStepConfigs({ client }: { client: Client }) {
  const { org, permissions } = useOrg()
  const steps = useAsync((signal) => listClientConfigs(org.id, client.id, signal), [org.id, client.id])
  const [editing, setEditing] = useState<ClientStepConfig | undefined>(undefined)

  return (
    <section className="panel" aria-label={`Step configs of ${client.name}`}>
      <h2>Step configs of {client.name}</h2>
      <p className="muted">
        A step config overrides node settings of the step's workflow when it runs for this client (node config &lt; named config &lt; client config).
      </p>
      {steps.loading && steps.data === undefined ? (
        <Loading label="Loading steps…" />
      ) : steps.error !== undefined ? (
        <ErrorState error={steps.error} title="Cannot load steps" onRetry={steps.reload} />
      ) : (steps.data?.items ?? []).length === 0 ? (
        <EmptyState title="No workstream steps yet">
          <p>Register steps of a workstream (the enrichment registry) to configure them per client.</p>
        </EmptyState>
      ) : (
        <table className="table" aria-label="Steps">
          <thead>
            <tr>
              <th scope="col">Workstream</th>
              <th scope="col">Step</th>
              <th scope="col">Config</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {steps.data?.items.map((step) => (
              <tr key={`${step.workstreamSlug}/${step.workflowSlug}`}>
                <td>{step.workstreamSlug}</td>
                <td>
                  {step.stepName} <span className="muted small-text">{step.workflowSlug}</span>
                </td>
                <td>{step.config === null ? <span className="muted">Workflow defaults</span> : `Customised ${step.updatedAt === null ? '' : formatDateTime(step.updatedAt)}`}</td>
                <td>
                  <button type="button" className="small" onClick={() => setEditing(step)} aria-label={`Configure ${step.workflowSlug} (${step.workstreamSlug})`}>
                    {permissions.canWrite ? 'Configure' : 'View'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing !== undefined && (
        <StepConfigEditor
          key={`${editing.workstreamSlug}/${editing.workflowSlug}`}
          client={client}
          step={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => steps.reload()}
        />
      )}
    </section>
  )
}

function StepConfigEditor({ client, step, onClose, onSaved }: { client: Client; step: ClientStepConfig; onClose: () => void; onSaved: () => void }) {
  const { org, permissions } = useOrg()
  const detail = useAsync((signal) => getClientConfig(org.id, client.id, step.workstreamSlug, step.workflowSlug, signal), [org.id, client.id, step.workstreamSlug, step.workflowSlug])
  const [value, setValue] = useState<unknown>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState(false)
  const current = value ?? detail.data?.config ?? {}

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true)
    setError(undefined)
    setSaved(false)
    try {
      await action()
      setSaved(true)
      onSaved()
    } catch (reason) {
      setError(reason)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="panel step-config-editor" role="region" aria-label={`Config of ${step.workflowSlug}`}>
      <h3>
        {step.stepName} <span className="muted">({step.workstreamSlug}/{step.workflowSlug})</span>
      </h3>
      {detail.loading && detail.data === undefined ? (
        <Loading label="Loading the step's form…" />
      ) : detail.error !== undefined ? (
        <ErrorState error={detail.error} title="Cannot load the step" onRetry={detail.reload} />
      ) : detail.data !== undefined ? (
        <OverridesForm
          schema={detail.data.schema}
          value={current}
          onChange={setValue}
          error={error}
          readOnly={!permissions.canWrite || busy}
          idPrefix={`client-config-${step.workflowSlug}`}
          label={`Config of ${step.workflowSlug} for ${client.name}`}
        />
      ) : null}
      <InlineError error={error} />
      {saved && <p role="status" className="success">Saved.</p>}
      <div className="dialog-footer">
        <button type="button" onClick={onClose}>
          Close
        </button>
        {permissions.canWrite && (
          <>
            <button
              type="button"
              className="danger"
              disabled={busy || detail.data?.config === null}
              onClick={() => void run(async () => {
                await deleteClientConfig(org.id, client.id, step.workstreamSlug, step.workflowSlug)
                setValue({})
                detail.reload()
              })}
            >
              Remove config
            </button>
            <button
              type="button"
              className="primary"
              disabled={busy || detail.data === undefined}
              onClick={() => void run(async () => {
                const updated = await saveClientConfig(org.id, client.id, step.workstreamSlug, step.workflowSlug, pruneOverrides(current))
                detail.setData(updated)
                setValue(undefined)
              })}
            >
              {busy ? 'Saving…' : 'Save config'}
            </button>
          </>
        )}
      </div>
    </div>
  )
}
