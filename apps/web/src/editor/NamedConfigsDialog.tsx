import { useState } from 'react'
import { getConfigSchema, listNamedConfigs, saveNamedConfig, setNamedConfigActive, type NamedConfig } from '../api/configs.ts'
import { OverridesForm } from '../forms/OverridesForm.tsx'
import { pruneOverrides } from '../forms/overrides-form.ts'
import { useAsync } from '../hooks/useAsync.ts'
import { Dialog } from '../ui/Dialog.tsx'
import { formatDateTime } from '../ui/format.ts'
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states.tsx'

/**
 * Named configs of a workflow: named, versioned sets of node settings a run can choose (under
 * the client's config). Saving creates the next version; a version is activated or
 * deactivated, never changed. The form is generated from the saved definition's nodes.
 */
export function NamedConfigsDialog({ orgId, workflowId, canWrite, onClose }: { orgId: string; workflowId: string; canWrite: boolean; onClose: () => void }) {
  const configs = useAsync((signal) => listNamedConfigs(orgId, workflowId, signal), [orgId, workflowId])
  const schema = useAsync((signal) => getConfigSchema(orgId, workflowId, signal), [orgId, workflowId])
  const [draft, setDraft] = useState<{ name: string; value: unknown } | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true)
    setError(undefined)
    try {
      await action()
      configs.reload()
    } catch (reason) {
      setError(reason)
    } finally {
      setBusy(false)
    }
  }
  const editFrom = (config: NamedConfig) => setDraft({ name: config.name, value: config.config })

  return (
    <Dialog open title="Named configs" onClose={onClose} wide>
      <p className="muted">A run can use a named config (its newest active version, or one you pick); a client's step config still wins over it.</p>
      {configs.loading && configs.data === undefined ? (
        <Loading label="Loading configs…" />
      ) : configs.error !== undefined ? (
        <ErrorState error={configs.error} title="Cannot load configs" onRetry={configs.reload} />
      ) : (configs.data?.items ?? []).length === 0 ? (
        <EmptyState title="No named configs yet" />
      ) : (
        <table className="table compact" aria-label="Named config versions">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Version</th>
              <th scope="col">Saved</th>
              <th scope="col">State</th>
              {canWrite && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {configs.data?.items.map((config) => (
              <tr key={config.id}>
                <td>{config.name}</td>
                <td>v{config.version}</td>
                <td>{formatDateTime(config.createdAt)}</td>
                <td>{config.isActive ? 'Active' : 'Deactivated'}</td>
                {canWrite && (
                  <td>
                    <div className="row-actions">
                      <button type="button" className="small" disabled={busy} onClick={() => editFrom(config)} aria-label={`New version of ${config.name} from v${config.version}`}>
                        New version from this
                      </button>
                      <button
                        type="button"
                        className="small"
                        disabled={busy}
                        onClick={() => void act(() => setNamedConfigActive(orgId, workflowId, config.name, config.version, !config.isActive))}
                        aria-label={`${config.isActive ? 'Deactivate' : 'Activate'} ${config.name} v${config.version}`}
                      >
                        {config.isActive ? 'Deactivate' : 'Activate'}
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <InlineError error={draft === undefined ? error : undefined} />
      {canWrite && draft === undefined && (
        <div className="dialog-footer">
          <button type="button" className="primary" onClick={() => setDraft({ name: '', value: {} })}>
            New config
          </button>
        </div>
      )}
      {draft !== undefined && (
        <section className="panel" aria-label="Save a config version">
          <label>
            Name
            <input value={draft.name} placeholder="e.g. staging" onChange={(event) => setDraft({ ...draft, name: event.target.value })} />
          </label>
          {schema.error !== undefined ? (
            <ErrorState error={schema.error} title="Cannot load the form" onRetry={schema.reload} />
          ) : schema.data === undefined ? (
            <Loading label="Loading the form…" />
          ) : (
            <OverridesForm
              schema={schema.data.schema}
              value={draft.value}
              onChange={(value) => setDraft((current) => (current === undefined ? current : { ...current, value }))}
              error={error}
              readOnly={busy}
              idPrefix="named-config"
              label="Named config"
            />
          )}
          <InlineError error={error} />
          <div className="dialog-footer">
            <button type="button" onClick={() => { setDraft(undefined); setError(undefined) }}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              disabled={busy || draft.name.trim() === ''}
              onClick={() => void act(async () => {
                await saveNamedConfig(orgId, workflowId, draft.name.trim(), pruneOverrides(draft.value))
                setDraft(undefined)
              })}
            >
              Save version
            </button>
          </div>
        </section>
      )}
    </Dialog>
  )
}
