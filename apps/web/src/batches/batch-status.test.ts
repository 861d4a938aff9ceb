import { describe, expect, it } from 'vitest'
import { batchActions, batchProgress, batchStatusStyle, isBatchOpen } from './batch-status.ts'

const items = (c: Partial<Record<'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED', number>>) => ({
  PENDING: 0, RUNNING: 0, COMPLETED: 0, FAILED: 0, CANCELLED: 0, ...c,
})

describe('batchProgress', () => {
  it('counts succeeded and failed items as processed and floors the percent', () => {
    const p = batchProgress({ totalItems: 3, progress: { items: items({ PENDING: 1, COMPLETED: 1, FAILED: 1 }) } })
    expect(p).toMatchObject({ total: 3, processed: 2, percent: 66, counts: { PENDING: 1, RUNNING: 0, SUCCEEDED: 1, FAILED: 1, CANCELLED: 0 } })
    expect(p.succeededWidth).toBeCloseTo(100 / 3)
    expect(p.failedWidth).toBeCloseTo(100 / 3)
  })

  it('reaches 100 only when every item was processed', () => {
    expect(batchProgress({ totalItems: 1000, progress: { items: items({ COMPLETED: 999, RUNNING: 1 }) } }).percent).toBe(99)
    expect(batchProgress({ totalItems: 1000, progress: { items: items({ COMPLETED: 990, FAILED: 10 }) } }).percent).toBe(100)
  })

  it('does not move the bar for cancelled items', () => {
    const p = batchProgress({ totalItems: 4, progress: { items: items({ COMPLETED: 1, CANCELLED: 3 }) } })
    expect(p.percent).toBe(25)
    expect(p.counts.CANCELLED).toBe(3)
  })

  it('never passes 100 % when the counts run ahead of the total, and treats an empty batch as done', () => {
    const p = batchProgress({ totalItems: 2, progress: { items: items({ COMPLETED: 3 }) } })
    expect(p.percent).toBe(100)
    expect(p.succeededWidth).toBe(100)
    expect(batchProgress({ totalItems: 0, progress: { items: items({}) } })).toMatchObject({ percent: 100, succeededWidth: 0 })
  })
})

describe('batch statuses and actions', () => {
  it('polls while pending, running or paused', () => {
    expect(['PENDING', 'RUNNING', 'PAUSED'].map(isBatchOpen)).toEqual([true, true, true])
    expect(['COMPLETED', 'FAILED', 'CANCELLED'].map(isBatchOpen)).toEqual([false, false, false])
  })

  it('offers each control only in the statuses the API accepts', () => {
    expect(batchActions('RUNNING', 0, true)).toEqual({ pause: true, resume: false, cancel: true, retryFailed: false })
    expect(batchActions('RUNNING', 2, true)).toEqual({ pause: true, resume: false, cancel: true, retryFailed: true })
    expect(batchActions('PAUSED', 0, true)).toEqual({ pause: false, resume: true, cancel: true, retryFailed: false })
    expect(batchActions('FAILED', 1, true)).toEqual({ pause: false, resume: false, cancel: false, retryFailed: true })
    // The orchestrator failed before any item did: the batch can still be restarted.
    expect(batchActions('FAILED', 0, true)).toEqual({ pause: false, resume: false, cancel: false, retryFailed: true })
    expect(batchActions('COMPLETED', 0, true)).toEqual({ pause: false, resume: false, cancel: false, retryFailed: false })
    expect(batchActions('CANCELLED', 5, true)).toEqual({ pause: false, resume: false, cancel: false, retryFailed: false })
  })

  it('offers nothing to members who may not write', () => {
    expect(batchActions('RUNNING', 3, false)).toEqual({ pause: false, resume: false, cancel: false, retryFailed: false })
  })

  it('labels every status', () => {
    expect(batchStatusStyle('COMPLETED').label).toBe('Completed')
    expect(batchStatusStyle('PAUSED').label).toBe('Paused')
    expect(batchStatusStyle('SUCCEEDED').label).toBe('Succeeded')
    expect(batchStatusStyle('SOMETHING').label).toBe('SOMETHING')
  })
})
