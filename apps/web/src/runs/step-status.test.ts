import { describe, expect, it } from 'vitest'
import { isRunInFlight, nodeStatuses, runStatusStyle, STEP_STATUS_STYLES, STEP_STATUSES, stepStatus, stepStatusStyle } from './step-status.ts'

describe('step status', () => {
  it('maps stored statuses to display statuses', () => {
    expect(stepStatus({ status: 'pending' })).toBe('pending')
    expect(stepStatus({ status: 'running' })).toBe('running')
    expect(stepStatus({ status: 'succeeded', retryCount: 0 })).toBe('succeeded')
    expect(stepStatus({ status: 'succeeded', retryCount: 2 })).toBe('retried')
    expect(stepStatus({ status: 'retried' })).toBe('retried')
    // A step cache hit is shown as such (canvas, inspector, Gantt all read this).
    expect(stepStatus({ status: 'cached' })).toBe('cached')
    expect(STEP_STATUS_STYLES.cached.label).toBe('Cached')
    expect(stepStatus({ status: 'failed', retryCount: 3 })).toBe('failed')
    expect(stepStatus({ status: 'skipped' })).toBe('skipped')
    expect(stepStatus({ status: 'cancelled' })).toBe('cancelled')
    expect(stepStatus({ status: 'something-new' })).toBe('pending')
  })

  it('gives every status a distinct colour and a label', () => {
    const colors = STEP_STATUSES.map((status) => STEP_STATUS_STYLES[status].color)
    expect(new Set(colors).size).toBe(STEP_STATUSES.length)
    for (const status of STEP_STATUSES) expect(STEP_STATUS_STYLES[status].label).not.toBe('')
    expect(stepStatusStyle({ status: 'succeeded', retryCount: 1 })).toBe(STEP_STATUS_STYLES.retried)
  })

  it('combines iterations per node and fills in nodes without steps', () => {
    const steps = [
      { nodeId: 'a', status: 'succeeded' },
      { nodeId: 'loop_body', status: 'succeeded' },
      { nodeId: 'loop_body', status: 'failed' },
      { nodeId: 'c', status: 'running' },
    ]
    const ids = ['a', 'loop_body', 'c', 'd']
    expect(Object.fromEntries(nodeStatuses(ids, steps, true))).toEqual({ a: 'succeeded', loop_body: 'failed', c: 'running', d: 'pending' })
    expect(nodeStatuses(ids, steps, false).get('d')).toBe('skipped')
  })

  it('knows which runs are in flight and styles run statuses', () => {
    expect(isRunInFlight('running')).toBe(true)
    expect(isRunInFlight('pending')).toBe(true)
    expect(isRunInFlight('completed')).toBe(false)
    expect(runStatusStyle('completed').color).toBe(STEP_STATUS_STYLES.succeeded.color)
    expect(runStatusStyle('timed_out').label).toBe('Timed out')
  })
})
