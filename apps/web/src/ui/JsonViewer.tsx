import { CopyButton } from './CopyButton.tsx'

const MAX_CHILDREN = 200

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>
  if (value === undefined) return <span className="json-null">undefined</span>
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>
  return <span>{String(value)}</span>
}

function JsonNode({ name, value, depth, openDepth }: { name: string | undefined; value: unknown; depth: number; openDepth: number }) {
  const label = name === undefined ? null : <span className="json-key">{name}: </span>
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-row">
        {label}
        <Scalar value={value} />
      </div>
    )
  }
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value)
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`
  if (entries.length === 0) {
    return (
      <div className="json-row">
        {label}
        <span className="json-null">{Array.isArray(value) ? '[]' : '{}'}</span>
      </div>
    )
  }
  return (
    <details className="json-node" open={depth < openDepth}>
      <summary>
        {label}
        <span className="json-summary">{summary}</span>
      </summary>
      <div className="json-children">
        {entries.slice(0, MAX_CHILDREN).map(([key, item]) => (
          <JsonNode key={key} name={key} value={item} depth={depth + 1} openDepth={openDepth} />
        ))}
        {entries.length > MAX_CHILDREN && <div className="json-row muted">… {entries.length - MAX_CHILDREN} more (copy to see all)</div>}
      </div>
    </details>
  )
}

/**
 * A collapsible, read-only JSON tree (native `<details>`, so keyboard and screen readers work)
 * with a copy button. Values are rendered as text, never as HTML.
 */
export function JsonViewer({ value, label, openDepth = 2 }: { value: unknown; label: string; openDepth?: number }) {
  const text = value === undefined ? '' : JSON.stringify(value, null, 2)
  return (
    <section className="json-viewer" aria-label={label}>
      <header className="json-viewer-header">
        <h4>{label}</h4>
        {value !== undefined && <CopyButton text={text} label={`Copy ${label.toLowerCase()}`} />}
      </header>
      {value === undefined ? <p className="muted">None</p> : <JsonNode name={undefined} value={value} depth={0} openDepth={openDepth} />}
    </section>
  )
}
