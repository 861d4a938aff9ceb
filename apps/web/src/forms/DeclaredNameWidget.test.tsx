// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { getNodeKind, workQueueDefinition } from '@workflow-builder/definition'
import { ConfigForm } from './ConfigForm.tsx'
import { configUiSchema, DECLARED_NAME_WIDGET } from './config-ui-schema.ts'
import { declaredNames } from './declared-names.ts'

afterEach(cleanup)

const queueKind = getNodeKind('queue.process')
const waitKind = getNodeKind('signal.wait')
const definition = {
  ...workQueueDefinition({ approval: true }),
  workQueues: [{ name: 'orders' }, { name: 'refunds' }, { name: '' }],
  signals: [{ name: 'approve' }, { name: 'cancel' }, { name: 'approve' }],
}
const declarations = declaredNames(definition)

const optionTexts = (select: HTMLElement) => within(select).getAllByRole('option').map((option) => option.textContent)

describe('declared-name fields', () => {
  it('declaredNames lists each declared name once, blank names left out', () => {
    expect(declarations).toEqual({ signals: ['approve', 'cancel'], queries: ['lastHandled', 'orders_contents'], workQueues: ['orders', 'refunds'] })
  })

  it("the kinds' naming fields get the declared-name widget, other fields do not", () => {
    expect(configUiSchema(queueKind)['queue']).toMatchObject({ 'ui:widget': DECLARED_NAME_WIDGET, 'ui:options': { collection: 'workQueues' } })
    expect(configUiSchema(waitKind)['signalName']).toMatchObject({ 'ui:widget': DECLARED_NAME_WIDGET, 'ui:options': { collection: 'signals' } })
    expect(configUiSchema(getNodeKind('signal.parent'))['signalName']?.['ui:widget']).not.toBe(DECLARED_NAME_WIDGET)
  })

  it('queue.process: the queue is a select of the declared queues; choosing one reports the config', () => {
    const onChange = vi.fn()
    render(<ConfigForm descriptor={queueKind} config={{ queue: 'orders' }} onChange={onChange} references={[]} declarations={declarations} idPrefix="q" />)
    const select = screen.getByLabelText(/^Work queue/) as HTMLSelectElement
    expect(select.tagName).toBe('SELECT')
    expect(optionTexts(select)).toEqual(['Choose a work queue…', 'orders', 'refunds'])
    expect(select.value).toBe('orders')
    expect(onChange).not.toHaveBeenCalled()
    fireEvent.change(select, { target: { value: 'refunds' } })
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ queue: 'refunds' }))
  })

  it('signal.wait: the signal is a select of the declared signals; a name no longer declared stays, marked', () => {
    const onChange = vi.fn()
    render(<ConfigForm descriptor={waitKind} config={{ signalName: 'gone' }} onChange={onChange} references={[]} declarations={declarations} idPrefix="w" />)
    const select = screen.getByLabelText(/^Signal/) as HTMLSelectElement
    expect(optionTexts(select)).toEqual(['Choose a signal…', 'approve', 'cancel', 'gone (not declared)'])
    expect(select.value).toBe('gone')
    expect(select.getAttribute('aria-invalid')).toBe('true')
    fireEvent.change(select, { target: { value: 'approve' } })
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ signalName: 'approve' }))
  })

  it('with nothing declared, says where to declare one; read-only disables the select', () => {
    render(
      <ConfigForm
        descriptor={queueKind}
        config={{}}
        onChange={() => undefined}
        references={[]}
        declarations={declaredNames({})}
        readOnly
        idPrefix="e"
      />,
    )
    const select = screen.getByLabelText(/^Work queue/) as HTMLSelectElement
    expect(optionTexts(select)).toEqual(['Choose a work queue…'])
    expect(select.disabled).toBe(true)
    expect(screen.getByText(/No work queues are declared on this workflow: add one under Work queues/)).toBeTruthy()
  })
})
