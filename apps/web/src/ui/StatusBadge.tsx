import type { StatusStyle } from '../runs/step-status.ts'

/** A coloured status pill; the text is the label, so colour is never the only cue. */
export function StatusBadge({ style, status }: { style: StatusStyle; status: string }) {
  return (
    <span className="status-badge" data-status={status} style={{ color: style.color, background: style.background, borderColor: style.color }}>
      {style.label}
    </span>
  )
}
