import { useRef } from 'react'
import { ariaDescribedByIds, type WidgetProps } from '@rjsf/utils'
import type { DeclaredNames } from './declared-names.ts'
import type { ExpressionReference } from './expression-references.ts'

/** What the config form hands its widgets through `formContext`. */
export interface ConfigFormContext {
  references: readonly ExpressionReference[]
  /** Names declared on the workflow, for fields that name one (see `DeclaredNameWidget`). */
  declarations?: DeclaredNames
}

function referencesOf(registry: WidgetProps['registry']): readonly ExpressionReference[] {
  const context = registry.formContext as Partial<ConfigFormContext> | undefined
  return context?.references ?? []
}

/**
 * Inserts `{{ expression }}` into `text` at the selection of `element` (or at the end), and
 * returns the new text and caret position.
 */
export function insertAtSelection(
  text: string,
  expression: string,
  selection: { start: number; end: number } | undefined,
): { text: string; caret: number } {
  const snippet = `{{ ${expression} }}`
  const start = selection?.start ?? text.length
  const end = selection?.end ?? text.length
  return { text: text.slice(0, start) + snippet + text.slice(end), caret: start + snippet.length }
}

/**
 * Text field for a template (`Hello {{ input.name }}`), with an "Insert reference" menu listing
 * what the node can read: run input, loop item, upstream steps' outputs.
 */
export function ExpressionWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, disabled, readonly, label, options, registry, autofocus, placeholder, required } = props
  const ref = useRef<HTMLTextAreaElement>(null)
  const references = referencesOf(registry)
  const text = typeof value === 'string' ? value : ''
  const rows = typeof options['rows'] === 'number' ? options['rows'] : 2
  const groups = [...new Set(references.map((reference) => reference.group))]

  const insert = (expression: string) => {
    const element = ref.current
    const selection = element === null ? undefined : { start: element.selectionStart, end: element.selectionEnd }
    const next = insertAtSelection(text, expression, selection)
    onChange(next.text)
    requestAnimationFrame(() => {
      element?.focus()
      element?.setSelectionRange(next.caret, next.caret)
    })
  }

  return (
    <div className="expression-widget">
      <textarea
        ref={ref}
        id={id}
        name={id}
        className="form-control expression-input"
        value={text}
        rows={rows}
        spellCheck={false}
        required={required}
        disabled={disabled}
        readOnly={readonly}
        autoFocus={autofocus}
        placeholder={placeholder || 'Text or {{ expression }}'}
        aria-describedby={ariaDescribedByIds(id)}
        onChange={(event) => onChange(event.target.value === '' ? options.emptyValue : event.target.value)}
        onBlur={(event) => onBlur(id, event.target.value)}
        onFocus={(event) => onFocus(id, event.target.value)}
      />
      {references.length > 0 && !readonly && !disabled && (
        <select
          className="expression-insert"
          aria-label={`Insert reference into ${label || id}`}
          value=""
          onChange={(event) => {
            if (event.target.value !== '') insert(event.target.value)
          }}
        >
          <option value="">Insert reference…</option>
          {groups.map((group) => (
            <optgroup key={group} label={group}>
              {references
                .filter((reference) => reference.group === group)
                .map((reference) => (
                  <option key={reference.expression} value={reference.expression}>
                    {reference.label} — {reference.expression}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      )}
    </div>
  )
}
