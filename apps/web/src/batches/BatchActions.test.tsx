// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { ApiError } from '../api/http.ts'
import { BatchActions } from './BatchActions.tsx'
import { batchActions } from './batch-status.ts'

afterEach(cleanup)

const names = () => within(screen.getByRole('group', { name: 'Batch actions' })).queryAllByRole('button').map((b) => b.textContent)

describe('BatchActions', () => {
  it('shows only the controls that apply', () => {
    render(<BatchActions allowed={batchActions('RUNNING', 1, true)} failedItems={1} onAction={async () => undefined} />)
    expect(names()).toEqual(['Pause', 'Retry failed (1)', 'Cancel batch'])
    cleanup()
    render(<BatchActions allowed={batchActions('PAUSED', 0, true)} failedItems={0} onAction={async () => undefined} />)
    expect(names()).toEqual(['Resume', 'Cancel batch'])
    cleanup()
    // FAILED by its orchestrator, no item failed: restarting is the one control.
    render(<BatchActions allowed={batchActions('FAILED', 0, true)} failedItems={0} onAction={async () => undefined} />)
    expect(names()).toEqual(['Restart batch'])
  })

  it('renders nothing for a viewer or a finished batch', () => {
    const { container } = render(<BatchActions allowed={batchActions('RUNNING', 3, false)} failedItems={3} onAction={async () => undefined} />)
    expect(container.innerHTML).toBe('')
    cleanup()
    const done = render(<BatchActions allowed={batchActions('COMPLETED', 0, true)} failedItems={0} onAction={async () => undefined} />)
    expect(done.container.innerHTML).toBe('')
  })

  it('cancels only after confirmation', async () => {
    const onAction = vi.fn(async () => undefined)
    render(<BatchActions allowed={batchActions('RUNNING', 0, true)} failedItems={0} onAction={onAction} />)
    fireEvent.click(screen.getByRole('button', { name: 'Cancel batch' }))
    const dialog = screen.getByRole('dialog', { name: 'Cancel this batch?' })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(onAction).not.toHaveBeenCalled()
    fireEvent.click(screen.getByRole('button', { name: 'Cancel batch' }))
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Cancel this batch?' })).getByRole('button', { name: 'Cancel batch' }))
    await waitFor(() => expect(onAction).toHaveBeenCalledWith('cancel'))
  })

  it('shows the API\'s reason when an action is refused', async () => {
    const onAction = vi.fn(async () => {
      throw new ApiError(409, { code: 'conflict', detail: 'The batch is COMPLETED; only running batches can be paused' })
    })
    render(<BatchActions allowed={batchActions('RUNNING', 0, true)} failedItems={0} onAction={onAction} />)
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('only running batches can be paused'))
    expect(onAction).toHaveBeenCalledWith('pause')
  })
})
