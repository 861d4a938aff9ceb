import { useId, useState } from 'react'
import { addStep, availableSteps, MAX_BLUEPRINT_STEPS, moveStep, removeStep } from './blueprint.ts'

/**
 * The ordered steps each item of a batch runs through: add a registered step of the workstream,
 * move it up or down, remove it. `errors` are the API's messages about the blueprint.
 */
export function BlueprintEditor({ steps, value, onChange, errors = [] }: {
  /** The workstream's registered steps, by slug. */
  steps: ReadonlyArray<{ slug: string; name: string }>
  value: readonly string[]
  onChange: (blueprint: string[]) => void
  errors?: readonly string[]
}) {
  const left = availableSteps(steps.map((s) => s.slug), value)
  const [choice, setChoice] = useState('')
  const pick = left.includes(choice) ? choice : (left[0] ?? '')
  const selectId = useId()
  const nameOf = (slug: string) => steps.find((s) => s.slug === slug)?.name
  return (
    <fieldset className="blueprint-editor" aria-describedby={errors.length > 0 ? `${selectId}-errors` : undefined}>
      <legend>Blueprint (steps in order)</legend>
      {value.length === 0 ? (
        <p className="muted">No steps yet: add the first step each item runs through.</p>
      ) : (
        <ol className="blueprint-steps" aria-label="Blueprint steps">
          {value.map((slug, index) => (
            <li key={slug} data-testid={`blueprint-step-${slug}`}>
              <code>{slug}</code>
              {nameOf(slug) !== undefined && nameOf(slug) !== slug && <span className="muted"> {nameOf(slug)}</span>}
              <span className="spacer" />
              <button type="button" className="small" aria-label={`Move ${slug} up`} disabled={index === 0} onClick={() => onChange(moveStep(value, index, -1))}>
                ↑
              </button>
              <button
                type="button"
                className="small"
                aria-label={`Move ${slug} down`}
                disabled={index === value.length - 1}
                onClick={() => onChange(moveStep(value, index, 1))}
              >
                ↓
              </button>
              <button type="button" className="small" aria-label={`Remove ${slug}`} onClick={() => onChange(removeStep(value, index))}>
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      {steps.length === 0 ? (
        <p className="muted">This workstream has no registered steps: add them on the Workstream steps page.</p>
      ) : (
        <div className="blueprint-add">
          <label htmlFor={selectId}>Step to add</label>
          <select id={selectId} value={pick} onChange={(event) => setChoice(event.target.value)} disabled={left.length === 0}>
            {left.length === 0 && <option value="">All steps added</option>}
            {left.map((slug) => (
              <option key={slug} value={slug}>
                {slug}
                {nameOf(slug) !== slug ? ` (${nameOf(slug)})` : ''}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => onChange(addStep(value, pick))} disabled={pick === '' || value.length >= MAX_BLUEPRINT_STEPS}>
            Add step
          </button>
        </div>
      )}
      {errors.length > 0 && (
        <ul id={`${selectId}-errors`} className="field-errors" role="alert" data-testid="blueprint-errors">
          {errors.map((message) => (
            <li key={message} className="error-text">
              {message}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  )
}
