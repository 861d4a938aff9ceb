// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render } from '@testing-library/react'
import type { RJSFSchema } from '@rjsf/utils'
import { configOverridesSchema, linearDefinition } from '@workflow-builder/definition'
import { ApiError } from '../api/http.ts'
import { OverridesForm } from './OverridesForm.tsx'
import { pruneOverrides } from './overrides-form.ts'

afterEach(cleanup)
const schema = configOverridesSchema(linearDefinition) as RJSFSchema

describe('OverridesForm', () => {
  it('renders a section per node and reports only what the user set (no kind defaults)', () => {
    const onChange = vi.fn()
    const { container } = render(<OverridesForm schema={schema} value={{}} onChange={onChange} idPrefix="cc" label="Config" />)
    const url = container.querySelector('#cc_fetch_user_url') as HTMLInputElement
    expect(url.value).toBe('')
    expect((container.querySelector('#cc_fetch_user_method') as HTMLSelectElement).value).toBe('')
    fireEvent.change(url, { target: { value: 'https://client.test/users' } })
    expect(pruneOverrides(onChange.mock.lastCall?.[0])).toEqual({ fetch_user: { url: 'https://client.test/users' } })
  })

  it('shows the API\'s field errors on their fields', () => {
    const error = new ApiError(400, {
      code: 'validation_failed', detail: 'bad', errors: [{ field: '/config/fetch_user/url', code: 'invalid_config', message: 'must be string' }],
    })
    const { container } = render(<OverridesForm schema={schema} value={{ fetch_user: { url: 'x' } }} onChange={() => undefined} error={error} idPrefix="cc" label="Config" />)
    expect(container.textContent).toContain('must be string')
  })
})
