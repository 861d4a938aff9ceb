import type { ReactNode } from 'react'
import Form from '@rjsf/core'
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils'
import validator from '@rjsf/validator-ajv8'
import { formTemplates } from './button-templates.tsx'

export interface SchemaFormProps {
  schema: RJSFSchema
  formData: unknown
  onChange?: (value: unknown) => void
  /** Called with valid data only (the form validates against the schema first). */
  onSubmit?: (value: unknown) => void
  uiSchema?: UiSchema
  extraErrors?: ErrorSchema
  idPrefix: string
  disabled?: boolean
  readOnly?: boolean
  /** Replaces the submit button (pass a fragment for none). */
  children?: ReactNode
  /** Accessible name of the form. */
  label: string
}

/**
 * A plain JSON Schema form (run input, signal payload, retry policy) validated with Ajv before
 * submit.
 */
export function SchemaForm({ schema, formData, onChange, onSubmit, uiSchema, extraErrors, idPrefix, disabled, readOnly, children, label }: SchemaFormProps) {
  return (
    <Form
      className="schema-form"
      aria-label={label}
      schema={schema}
      uiSchema={uiSchema}
      formData={formData}
      validator={validator}
      templates={formTemplates}
      extraErrors={extraErrors}
      showErrorList={false}
      noHtml5Validate
      idPrefix={idPrefix}
      disabled={disabled}
      readonly={readOnly}
      onChange={(event) => onChange?.(event.formData)}
      onSubmit={(event) => onSubmit?.(event.formData)}
    >
      {children}
    </Form>
  )
}
