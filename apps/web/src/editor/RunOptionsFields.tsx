import { collectPages } from '../api/paging.ts'
import { listClientsPage, listNamedConfigs, type RunOptions } from '../api/configs.ts'
import { useAsync } from '../hooks/useAsync.ts'
import { InlineError } from '../ui/states.tsx'

/**
 * The client a run is for (its step config applies) and the named config it uses: newest
 * active version by default, or a chosen one. Precedence: node config < named config < client config.
 */
export function RunOptionsFields({ orgId, workflowId, value, onChange, disabled }: {
  orgId: string
  workflowId: string
  value: RunOptions
  onChange: (value: RunOptions) => void
  disabled?: boolean
}) {
  const clients = useAsync((signal) => collectPages((cursor) => listClientsPage(orgId, { cursor, limit: 100 }, signal), 10), [orgId])
  const configs = useAsync((signal) => listNamedConfigs(orgId, workflowId, signal), [orgId, workflowId])
  const active = (configs.data?.items ?? []).filter((c) => c.isActive)
  const names = [...new Set(active.map((c) => c.name))]
  const versions = active.filter((c) => c.name === value.configName)

  return (
    <div className="run-options">
      <label>
        Client
        <select value={value.clientId ?? ''} disabled={disabled} onChange={(event) => onChange({ ...value, clientId: event.target.value || undefined })}>
          <option value="">No client</option>
          {clients.data?.map((client) => (
            <option key={client.id} value={client.id}>
              {client.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Named config
        <select
          value={value.configName ?? ''}
          disabled={disabled || names.length === 0}
          onChange={(event) => onChange({ ...value, configName: event.target.value || undefined, configVersion: undefined })}
        >
          <option value="">{names.length === 0 ? 'None saved' : 'None'}</option>
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {value.configName !== undefined && (
        <label>
          Version
          <select
            value={value.configVersion === undefined ? '' : String(value.configVersion)}
            disabled={disabled}
            onChange={(event) => onChange({ ...value, configVersion: event.target.value === '' ? undefined : Number(event.target.value) })}
          >
            <option value="">Newest active{versions[0] === undefined ? '' : ` (v${versions[0].version})`}</option>
            {versions.map((c) => (
              <option key={c.version} value={c.version}>
                v{c.version}
              </option>
            ))}
          </select>
        </label>
      )}
      <InlineError error={clients.error ?? configs.error} />
    </div>
  )
}
