import { useEffect, useRef, useState } from 'react'
import { ariaDescribedByIds, descriptionId, type FieldProps } from '@rjsf/utils'
import { jsonEquals } from '@workflow-builder/definition'
import { formatJsonOrText, parseJsonOrText } from './json-value.ts'

/**
 * Field for schemas that accept any JSON value (switch case `equals`, HTTP `body`): one text
 * area whose text is parsed as JSON when it is valid JSON and kept as text otherwise.
 */
export function JsonValueField(props: FieldProps) {
  const { formData, onChange, fieldPathId, schema, name, required, readonly, disabled, uiSchema } = props
  const id = fieldPathId.$id
  const [text, setText] = useState(() => formatJsonOrText(formData))
  const lastSent = useRef<unknown>(formData)

  // Follow changes made elsewhere (undo, another field), not the echo of our own edits.
  useEffect(() => {
    if (!jsonEquals(formData, lastSent.current)) {
      lastSent.current = formData
      setText(formatJsonOrText(formData))
    }
  }, [formData])

  const title = typeof schema.title === 'string' ? schema.title : name
  const acceptsTemplates = (uiSchema?.['ui:options'] as { expressions?: boolean } | undefined)?.expressions === true
  const parsed = parseJsonOrText(text)
  const kind = parsed === undefined ? 'empty' : typeof parsed === 'string' ? 'text' : Array.isArray(parsed) ? 'JSON array' : parsed === null ? 'JSON null' : `JSON ${typeof parsed}`

  return (
    <div className="json-value-field">
      <label className="control-label" htmlFor={id}>
        {title}
        {required ? <span className="required">*</span> : null}
      </label>
      {typeof schema.description === 'string' && (
        <p id={descriptionId(id)} className="field-description">
          {schema.description}
        </p>
      )}
      <textarea
        id={id}
        name={id}
        className="form-control"
        rows={3}
        spellCheck={false}
        value={text}
        readOnly={readonly}
        disabled={disabled}
        aria-describedby={ariaDescribedByIds(id)}
        placeholder={acceptsTemplates ? 'JSON, text or {{ expression }}' : 'JSON or text'}
        onChange={(event) => {
          setText(event.target.value)
          const value = parseJsonOrText(event.target.value)
          lastSent.current = value
          onChange(value, fieldPathId.path)
        }}
      />
      <p className="field-hint" aria-live="polite">
        Read as: {kind}
      </p>
    </div>
  )
}
