// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import type { WorkflowFlowNode, WorkflowNodeData } from '../canvas/flow-types.ts'
import { NodePanel } from './SidePanel.tsx'

afterEach(cleanup)

const node = (data: Partial<WorkflowNodeData> & Pick<WorkflowNodeData, 'kind'>): WorkflowFlowNode => ({
  id: 'fetch', type: 'workflow', position: { x: 0, y: 0 }, data: { label: 'Fetch', config: { url: 'https://x.test' }, ...data },
})

const panel = (n: WorkflowFlowNode, onChange = vi.fn()) => {
  render(<NodePanel node={n} problems={[]} references={[]} readOnly={false} onChange={onChange} onDelete={() => undefined} />)
  return onChange
}

describe('node panel: Cache result', () => {
  it('turns the step cache on and off for activity nodes', () => {
    const onChange = panel(node({ kind: 'http.request' }))
    fireEvent.click(screen.getByRole('checkbox', { name: 'Cache result' }))
    expect(onChange).toHaveBeenLastCalledWith({ cache: {} }, 'cache:fetch')
    cleanup()
    const again = panel(node({ kind: 'http.request', cache: { ttlSeconds: 60 } }))
    fireEvent.click(screen.getByRole('checkbox', { name: 'Cache result' }))
    expect(again).toHaveBeenLastCalledWith({ cache: undefined }, 'cache:fetch')
  })

  it('edits the lifetime and the key', () => {
    const onChange = panel(node({ kind: 'http.request', cache: { key: '{{ input.id }}' } }))
    fireEvent.change(screen.getByLabelText('Keep for (seconds)'), { target: { value: '3600' } })
    expect(onChange).toHaveBeenLastCalledWith({ cache: { key: '{{ input.id }}', ttlSeconds: 3600 } }, 'cache:fetch')
    fireEvent.change(screen.getByLabelText('Cache key'), { target: { value: '' } })
    expect(onChange).toHaveBeenLastCalledWith({ cache: {} }, 'cache:fetch')
  })

  it('is not offered for nodes that run in the workflow', () => {
    panel(node({ kind: 'transform', config: { mapping: {} } }))
    expect(screen.queryByRole('checkbox', { name: 'Cache result' })).toBeNull()
  })
})
