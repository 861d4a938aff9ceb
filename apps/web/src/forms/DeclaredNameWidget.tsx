import { ariaDescribedByIds, type WidgetProps } from '@rjsf/utils'
import type { DeclarationCollection } from '@workflow-builder/definition'
import type { ConfigFormContext } from './ExpressionWidget.tsx'
import { COLLECTION_LABELS } from './declared-names.ts'

/**
 * Select of the names declared on the workflow for a config field that names one (a
 * `queue.process` node's queue, a `signal.wait` node's signal). A name that is no longer
 * declared stays selected and is marked `(not declared)` (the validator's problem shows under
 * the field), so it is not silently replaced.
 */
export function DeclaredNameWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, disabled, readonly, options, registry, autofocus, required } = props
  const collection = options['collection'] as DeclarationCollection
  const context = registry.formContext as Partial<ConfigFormContext> | undefined
  const names = context?.declarations?.[collection] ?? []
  const labels = COLLECTION_LABELS[collection]
  const current = typeof value === 'string' ? value : ''
  const stale = current !== '' && !names.includes(current)
  const hintId = `${id}__declared`

  return (
    <div className="declared-name-widget">
      <select
        id={id}
        name={id}
        className="form-control"
        value={current}
        required={required}
        disabled={disabled || readonly}
        autoFocus={autofocus}
        aria-describedby={`${ariaDescribedByIds(id)} ${hintId}`}
        aria-invalid={stale || undefined}
        onChange={(event) => onChange(event.target.value === '' ? options.emptyValue : event.target.value)}
        onBlur={(event) => onBlur(id, event.target.value)}
        onFocus={(event) => onFocus(id, event.target.value)}
      >
        <option value="">Choose a {labels.one}…</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
        {stale && <option value={current}>{current} (not declared)</option>}
      </select>
      {names.length === 0 ? (
        <p id={hintId} className="field-error">
          No {labels.many} are declared on this workflow: add one under {capitalized(labels.many)} in the workflow settings (shown when nothing is selected).
        </p>
      ) : (
        <span id={hintId} hidden />
      )}
    </div>
  )
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)
