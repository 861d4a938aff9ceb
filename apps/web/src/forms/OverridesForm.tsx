import { useMemo, type ReactNode } from 'react'
import Form from '@rjsf/core'
import type { RegistryFieldsType, RJSFSchema } from '@rjsf/utils'
import validator from '@rjsf/validator-ajv8'
import { isApiError } from '../api/http.ts'
import { formTemplates } from './button-templates.tsx'
import { JSON_VALUE_FIELD } from './config-ui-schema.ts'
import { JsonValueField } from './JsonValueField.tsx'
import { configPointerToField, overridesUiSchema } from './overrides-form.ts'
import { problemsToErrorSchema } from './problem-errors.ts'

const fields: RegistryFieldsType = { [JSON_VALUE_FIELD]: JsonValueField }

export interface OverridesFormProps {
  /** The workflow's overrides schema (from the API): one optional object per node. */
  schema: RJSFSchema
  value: unknown
  onChange: (value: unknown) => void
  /** The last save's error: its `/config/...` fields are shown on the form. */
  error?: unknown
  readOnly?: boolean
  idPrefix: string
  label: string
  children?: ReactNode
}

/**
 * Per-node config overrides (client configs, named configs), generated from the step
 * workflow's overrides schema with the SchemaForm machinery (rjsf). Empty fields mean "keep the
 * node's own value".
 */
export function OverridesForm({ schema, value, onChange, error, readOnly = false, idPrefix, label, children }: OverridesFormProps) {
  const uiSchema = useMemo(() => overridesUiSchema(schema), [schema])
  const extraErrors = useMemo(() => {
    if (!isApiError(error)) return undefined
    const messages = error.errors.filter((e) => e.field.startsWith('/config')).map((e) => ({ field: configPointerToField(e.field), message: e.message }))
    return problemsToErrorSchema(messages, 'config').errorSchema
  }, [error])
  return (
    <Form
      className="schema-form overrides-form"
      aria-label={label}
      schema={schema}
      uiSchema={uiSchema}
      formData={value ?? {}}
      validator={validator}
      templates={formTemplates}
      fields={fields}
      {...(extraErrors === undefined ? {} : { extraErrors })}
      showErrorList={false}
      noHtml5Validate
      idPrefix={idPrefix}
      readonly={readOnly}
      experimental_defaultFormStateBehavior={{ emptyObjectFields: 'skipEmptyDefaults' }}
      onChange={(event) => onChange(event.formData)}
      onSubmit={() => undefined}
    >
      {children ?? <></>}
    </Form>
  )
}
