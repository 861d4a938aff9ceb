import { useEffect, useRef, useState } from 'react'
import { jsonEquals } from '@workflow-builder/definition'

/**
 * A JSON text area: reports a value only when the text parses and `check` accepts it, and
 * shows why not otherwise. Follows outside changes to the value (undo) without losing typing.
 */
export function JsonTextEditor({
  id,
  label,
  value,
  onChange,
  check,
  readOnly,
  rows = 8,
  description,
}: {
  id: string
  label: string
  value: unknown
  onChange: (value: unknown) => void
  /** Returns an error message for values that parse but are not acceptable. */
  check?: (value: unknown) => string | undefined
  readOnly?: boolean
  rows?: number
  description?: string
}) {
  const format = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2))
  const [text, setText] = useState(() => format(value))
  const [error, setError] = useState<string | undefined>(undefined)
  const lastSent = useRef<unknown>(value)

  useEffect(() => {
    if (!jsonEquals(value, lastSent.current)) {
      lastSent.current = value
      setText(format(value))
      setError(undefined)
    }
  }, [value])

  const update = (next: string) => {
    setText(next)
    if (next.trim() === '') {
      setError(undefined)
      lastSent.current = undefined
      onChange(undefined)
      return
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(next)
    } catch (reason) {
      setError(`Not valid JSON: ${reason instanceof Error ? reason.message : String(reason)}`)
      return
    }
    const problem = check?.(parsed)
    setError(problem)
    if (problem === undefined) {
      lastSent.current = parsed
      onChange(parsed)
    }
  }

  return (
    <div className="json-text-editor">
      <label htmlFor={id}>{label}</label>
      {description !== undefined && <p className="field-description">{description}</p>}
      <textarea
        id={id}
        className="form-control code"
        rows={rows}
        spellCheck={false}
        value={text}
        readOnly={readOnly}
        aria-invalid={error !== undefined}
        aria-describedby={error === undefined ? undefined : `${id}-error`}
        onChange={(event) => update(event.target.value)}
      />
      {error !== undefined && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
