import { useMemo } from 'react'
import Form from '@rjsf/core'
import type { RegistryFieldsType, RegistryWidgetsType, RJSFSchema, UiSchema } from '@rjsf/utils'
import validator from '@rjsf/validator-ajv8'
import { formTemplates } from './button-templates.tsx'
import { applyConfigDefaults, jsonEquals, type NodeKindDescriptor } from '@workflow-builder/definition'
import { configFormSchema, configUiSchema, DECLARED_NAME_WIDGET, EXPRESSION_WIDGET, JSON_VALUE_FIELD } from './config-ui-schema.ts'
import { DeclaredNameWidget } from './DeclaredNameWidget.tsx'
import type { DeclaredNames } from './declared-names.ts'
import type { ExpressionReference } from './expression-references.ts'
import { ExpressionWidget, type ConfigFormContext } from './ExpressionWidget.tsx'
import { JsonValueField } from './JsonValueField.tsx'
import { problemsToErrorSchema, type FieldMessage } from './problem-errors.ts'

const widgets: RegistryWidgetsType = { [EXPRESSION_WIDGET]: ExpressionWidget, [DECLARED_NAME_WIDGET]: DeclaredNameWidget }
const fields: RegistryFieldsType = { [JSON_VALUE_FIELD]: JsonValueField }

const schemas = new WeakMap<object, { schema: RJSFSchema; uiSchema: UiSchema }>()
function formSchemasOf(descriptor: NodeKindDescriptor): { schema: RJSFSchema; uiSchema: UiSchema } {
  let cached = schemas.get(descriptor)
  if (cached === undefined) {
    cached = { schema: configFormSchema(descriptor), uiSchema: configUiSchema(descriptor) }
    schemas.set(descriptor, cached)
  }
  return cached
}

export interface ConfigFormProps {
  descriptor: NodeKindDescriptor
  config: Record<string, unknown>
  onChange: (config: Record<string, unknown>) => void
  /** What expression fields can insert (see `expressionReferences`). */
  references: readonly ExpressionReference[]
  /** Names declared on the workflow (signals, work queues), offered by fields that name one. */
  declarations?: DeclaredNames
  /** Problems of this node; those under `config.` are shown on their fields. */
  problems?: readonly FieldMessage[]
  readOnly?: boolean
  /** Prefix of the generated input ids; give each node its own. */
  idPrefix: string
}

/**
 * The config form of one node, generated from its kind's `configSchema` with rjsf. Defaults
 * are shown filled in; a change that only adds defaults is not reported, so selecting a node
 * never marks the workflow as changed.
 */
export function ConfigForm({ descriptor, config, onChange, references, declarations, problems = [], readOnly = false, idPrefix }: ConfigFormProps) {
  const { schema, uiSchema } = formSchemasOf(descriptor)
  const withDefaults = useMemo(() => applyConfigDefaults(descriptor, config), [descriptor, config])
  const extraErrors = useMemo(() => problemsToErrorSchema(problems, 'config').errorSchema, [problems])
  const formContext = useMemo<ConfigFormContext>(() => ({ references, ...(declarations === undefined ? {} : { declarations }) }), [references, declarations])
  const isEmpty = Object.keys((schema.properties as object | undefined) ?? {}).length === 0 && schema.additionalProperties === false

  if (isEmpty) return <p className="muted">This node has no settings.</p>

  return (
    <Form
      className="config-form"
      schema={schema}
      uiSchema={uiSchema}
      formData={withDefaults}
      validator={validator}
      templates={formTemplates}
      widgets={widgets}
      fields={fields}
      formContext={formContext}
      extraErrors={extraErrors}
      showErrorList={false}
      noHtml5Validate
      idPrefix={idPrefix}
      readonly={readOnly}
      experimental_defaultFormStateBehavior={{ emptyObjectFields: 'skipEmptyDefaults' }}
      onChange={(event) => {
        const next = (event.formData ?? {}) as Record<string, unknown>
        if (!jsonEquals(next, withDefaults)) onChange(next)
      }}
      onSubmit={() => undefined}
    />
  )
}
