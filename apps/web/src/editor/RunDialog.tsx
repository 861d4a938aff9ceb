import { useMemo, useState } from 'react'
import type { RJSFSchema } from '@rjsf/utils'
import type { InputSchema } from '@workflow-builder/definition'
import { isApiError } from '../api/http.ts'
import type { RunOptions } from '../api/configs.ts'
import { RunOptionsFields } from './RunOptionsFields.tsx'
import { problemsToErrorSchema } from '../forms/problem-errors.ts'
import { SchemaForm } from '../forms/SchemaForm.tsx'
import { Dialog } from '../ui/Dialog.tsx'
import { InlineError } from '../ui/states.tsx'

/** `/input/a/0/b` → `input.a[0].b`, so API input errors land on their form fields. */
export function inputPointerToField(pointer: string): string {
  const parts = pointer.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
  return parts.map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`)).join('')
}

/**
 * The Run form, generated from the workflow's input schema (or a plain confirmation when the
 * workflow takes no input), with the client and named config the run uses. Input errors from
 * the API are shown on their fields.
 */
export function RunDialog({
  orgId,
  workflowId,
  inputSchema,
  hasUnsavedChanges,
  onStart,
  onClose,
}: {
  orgId: string
  workflowId: string
  inputSchema: InputSchema | undefined
  hasUnsavedChanges: boolean
  onStart: (input: unknown, options: RunOptions) => Promise<void>
  onClose: () => void
}) {
  const [formData, setFormData] = useState<unknown>({})
  const [options, setOptions] = useState<RunOptions>({})
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const schema = useMemo(() => (inputSchema === undefined ? undefined : (JSON.parse(JSON.stringify(inputSchema)) as RJSFSchema)), [inputSchema])
  const extraErrors = useMemo(() => {
    if (!isApiError(error)) return undefined
    const messages = error.errors.filter((e) => e.field.startsWith('/input')).map((e) => ({ field: inputPointerToField(e.field), message: e.message }))
    return problemsToErrorSchema(messages, 'input').errorSchema
  }, [error])

  const start = async (input: unknown) => {
    setBusy(true)
    setError(undefined)
    try {
      await onStart(input, options)
    } catch (reason) {
      setError(reason)
      setBusy(false)
    }
  }

  return (
    <Dialog open title="Run workflow" onClose={onClose} wide>
      <p className="muted">Runs start the deployed version{hasUnsavedChanges ? '; your unsaved changes are not part of it' : ''}.</p>
      <RunOptionsFields orgId={orgId} workflowId={workflowId} value={options} onChange={setOptions} disabled={busy} />
      {schema === undefined || Object.keys((schema.properties as object | undefined) ?? {}).length === 0 ? (
        <>
          <p>This workflow takes no input.</p>
          <InlineError error={error} />
          <div className="dialog-footer">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="primary" disabled={busy} onClick={() => void start({})}>
              {busy ? 'Starting…' : 'Start run'}
            </button>
          </div>
        </>
      ) : (
        <SchemaForm
          label="Run input"
          schema={schema}
          formData={formData}
          idPrefix="run-input"
          onChange={setFormData}
          onSubmit={(value) => void start(value ?? {})}
          disabled={busy}
          {...(extraErrors === undefined ? {} : { extraErrors })}
        >
          <InlineError error={error} />
          <div className="dialog-footer">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Starting…' : 'Start run'}
            </button>
          </div>
        </SchemaForm>
      )}
    </Dialog>
  )
}
