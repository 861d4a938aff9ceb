import { useId, useState, type KeyboardEvent } from 'react'
import { KindIcon } from '../ui/KindIcon.tsx'
import { EmptyState } from '../ui/states.tsx'
import { groupPalette, type PaletteEntry } from './palette.ts'

/** Drag-and-drop payload type carrying a node kind id. */
export const KIND_DRAG_TYPE = 'application/x-workflow-node-kind'

/**
 * The node palette: kinds grouped by category, searchable. Each entry is a button named by the
 * kind's label: click (or Enter) adds the node in the middle of the canvas, dragging drops it
 * where it lands.
 */
export function Palette({ entries, onAdd }: { entries: readonly PaletteEntry[]; onAdd: (kind: string) => void }) {
  const [search, setSearch] = useState('')
  const groups = groupPalette(entries, search)
  const headingId = useId()
  const onKeyDown = (event: KeyboardEvent, kind: string) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      onAdd(kind)
    }
  }
  return (
    <aside className="palette" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel-title">
        Add a node
      </h2>
      <input
        type="search"
        className="palette-search"
        placeholder="Search nodes…"
        aria-label="Search nodes"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      {entries.length === 0 ? (
        <EmptyState title="No components available" />
      ) : groups.length === 0 ? (
        <p className="muted">No node matches “{search}”.</p>
      ) : (
        groups.map((group) => (
          <section key={group.category} className="palette-group" aria-label={group.label}>
            <h3>{group.label}</h3>
            <ul>
              {group.entries.map((entry) => (
                <li key={entry.kind}>
                  <div
                    role="button"
                    tabIndex={0}
                    className="palette-item"
                    aria-label={entry.label}
                    title={entry.description}
                    draggable
                    data-kind={entry.kind}
                    onClick={() => onAdd(entry.kind)}
                    onKeyDown={(event) => onKeyDown(event, entry.kind)}
                    onDragStart={(event) => {
                      event.dataTransfer.setData(KIND_DRAG_TYPE, entry.kind)
                      event.dataTransfer.setData('text/plain', entry.kind)
                      event.dataTransfer.effectAllowed = 'copy'
                    }}
                  >
                    <KindIcon icon={entry.icon} />
                    <span>{entry.label}</span>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </aside>
  )
}
