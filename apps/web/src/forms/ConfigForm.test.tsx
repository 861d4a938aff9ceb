// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { getNodeKind, linearDefinition } from '@workflow-builder/definition'
import { ConfigForm } from './ConfigForm.tsx'
import { expressionReferences } from './expression-references.ts'

afterEach(cleanup)

const http = getNodeKind('http.request')
const references = expressionReferences(linearDefinition, 'shape')

describe('ConfigForm', () => {
  it('renders fields from the config schema with defaults, without reporting a change', () => {
    const onChange = vi.fn()
    render(<ConfigForm descriptor={http} config={{ url: 'https://example.com' }} onChange={onChange} references={references} idPrefix="n1" />)
    expect((screen.getByLabelText(/^URL/) as HTMLTextAreaElement).value).toBe('https://example.com')
    const method = screen.getByLabelText(/^Method/) as HTMLSelectElement
    expect(method.selectedOptions[0]?.textContent).toBe('GET')
    expect((screen.getByLabelText(/^Timeout \(ms\)/) as HTMLInputElement).value).toBe('10000')
    expect(onChange).not.toHaveBeenCalled()
    expect(screen.queryByRole('button', { name: /submit/i })).toBeNull()
  })

  it('reports edits as the whole config', () => {
    const onChange = vi.fn()
    render(<ConfigForm descriptor={http} config={{ url: 'https://example.com' }} onChange={onChange} references={references} idPrefix="n1" />)
    fireEvent.change(screen.getByLabelText(/^URL/), { target: { value: 'https://example.org/x' } })
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ url: 'https://example.org/x', method: 'GET' }))
  })

  it('inserts an upstream reference into an expression field', () => {
    const onChange = vi.fn()
    render(<ConfigForm descriptor={http} config={{ url: 'https://x.test/' }} onChange={onChange} references={references} idPrefix="n1" />)
    const picker = screen.getByRole('combobox', { name: 'Insert reference into URL' })
    const options = within(picker).getAllByRole('option').map((option) => (option as HTMLOptionElement).value)
    expect(options).toContain('steps.fetch_user.output.body')
    fireEvent.change(picker, { target: { value: 'input.userId' } })
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ url: 'https://x.test/{{ input.userId }}' }))
  })

  it('shows API problems on the fields they name', () => {
    render(
      <ConfigForm
        descriptor={http}
        config={{ url: 'nope' }}
        onChange={() => undefined}
        references={references}
        idPrefix="n1"
        problems={[{ field: 'config.url', message: 'must be an http:// or https:// URL or contain an expression' }]}
      />,
    )
    expect(screen.getByText('must be an http:// or https:// URL or contain an expression')).toBeTruthy()
  })

  it('edits any-JSON values as JSON or text', () => {
    const onChange = vi.fn()
    const switchKind = getNodeKind('branch.switch')
    render(
      <ConfigForm
        descriptor={switchKind}
        config={{ value: '{{ input.tier }}', cases: [{ id: 'gold', label: 'Gold', equals: 'gold' }] }}
        onChange={onChange}
        references={references}
        idPrefix="sw"
      />,
    )
    const equals = screen.getByLabelText(/^Equals/) as HTMLTextAreaElement
    expect(equals.value).toBe('gold')
    fireEvent.change(equals, { target: { value: '{"tier": 1}' } })
    expect(onChange).toHaveBeenLastCalledWith({ value: '{{ input.tier }}', cases: [{ id: 'gold', label: 'Gold', equals: { tier: 1 } }] })
  })

  it('says so when a kind has no settings', () => {
    render(<ConfigForm descriptor={getNodeKind('flow.parallel')} config={{}} onChange={() => undefined} references={[]} idPrefix="p" />)
    expect(screen.getByText('This node has no settings.')).toBeTruthy()
  })
})
