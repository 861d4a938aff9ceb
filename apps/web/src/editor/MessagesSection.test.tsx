// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { validateWorkflow, workQueueDefinition, type WorkflowDefinition } from '@workflow-builder/definition'
import { MessagesSection } from './MessagesSection.tsx'

afterEach(cleanup)

const base = (definition: WorkflowDefinition): WorkflowDefinition => ({ ...definition, nodes: [], edges: [] })

describe('MessagesSection', () => {
  it('adds, edits and removes signals, queries and work queues as definition patches', () => {
    const onBaseChange = vi.fn()
    const definition = workQueueDefinition({ approval: true })
    render(<MessagesSection base={base(definition)} problems={[]} readOnly={false} onBaseChange={onBaseChange} />)
    const queues = screen.getByLabelText('Work queues')
    expect((within(queues).getByLabelText('Name') as HTMLInputElement).value).toBe('orders')
    expect(queues.textContent).toContain('orders_add')

    fireEvent.click(screen.getByRole('button', { name: 'Add work queue' }))
    expect(onBaseChange).toHaveBeenLastCalledWith({ workQueues: [definition.workQueues![0], { name: 'queue', order: 'fifo' }] }, 'workQueues')

    fireEvent.change(within(queues).getByLabelText('Order'), { target: { value: 'priority' } })
    expect(onBaseChange.mock.lastCall?.[0].workQueues[0]).toMatchObject({ name: 'orders', order: 'priority' })
    fireEvent.change(within(queues).getByLabelText('Maximum size'), { target: { value: '25' } })
    expect(onBaseChange.mock.lastCall?.[0].workQueues[0]).toMatchObject({ maxSize: 25 })

    fireEvent.change(within(screen.getByLabelText('Queries')).getAllByLabelText('Returns')[0]!, { target: { value: 'steps.wait.output' } })
    expect(onBaseChange.mock.lastCall?.[0].queries[0]).toEqual({ name: 'lastHandled', description: 'The last handled item', returns: 'steps.wait.output' })

    fireEvent.click(screen.getByRole('button', { name: 'Remove signal approve' }))
    expect(onBaseChange).toHaveBeenLastCalledWith({ signals: undefined }, 'signals')
  })

  it('shows validation problems under the field they name', () => {
    const definition = workQueueDefinition()
    definition.workQueues = [{ name: 'orders' }, { name: 'orders' }]
    const problems = validateWorkflow(definition)
      .filter((p) => p.field.startsWith('workQueues'))
      .map((p) => ({ nodeId: p.nodeId ?? null, edgeId: p.edgeId ?? null, field: p.field, code: p.code, message: p.message }))
    expect(problems.length).toBeGreaterThan(0)
    render(<MessagesSection base={base(definition)} problems={problems} readOnly={false} onBaseChange={() => undefined} />)
    const second = within(screen.getByLabelText('Work queues')).getAllByRole('group')[1]!
    expect(second.textContent).toContain('work queue "orders" is declared twice')
  })

  it('offers no editing controls when read-only', () => {
    render(<MessagesSection base={base(workQueueDefinition())} problems={[]} readOnly onBaseChange={() => undefined} />)
    expect(screen.queryByRole('button', { name: /^Add / })).toBeNull()
    expect(screen.queryByRole('button', { name: /^Remove / })).toBeNull()
  })
})
