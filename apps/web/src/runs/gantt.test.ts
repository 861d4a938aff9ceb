import { describe, expect, it } from 'vitest'
import type { RunStep } from '../api/client.ts'
import { ganttLayout } from './gantt.ts'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const at = (s: number) => new Date(T0 + s * 1000).toISOString()
function step(n: number, start: number | null, end: number | null, status = 'succeeded', retryCount = 0): RunStep {
  return {
    stepNumber: n, nodeId: `n${n}`, nodeKind: 'transform', status, retryCount, startedAt: start === null ? null : at(start), endedAt: end === null ? null : at(end),
    durationMs: start !== null && end !== null ? (end - start) * 1000 : null, input: null, output: null, events: [], errorMessage: null, iterationKey: null,
  }
}

describe('ganttLayout', () => {
  it('places finished steps on the run span', () => {
    const layout = ganttLayout([step(2, 5, 10), step(1, 0, 5, 'succeeded', 2)], at(0), at(10), T0 + 99_000)
    expect(layout.totalMs).toBe(10_000)
    expect(layout.bars.map((b) => [b.step.stepNumber, b.startPct, b.widthPct, b.status])).toEqual([
      [1, 0, 50, 'retried'],
      [2, 50, 50, 'succeeded'],
    ])
    expect(layout.ticks.map((t) => t.offsetMs)).toEqual([0, 2000, 4000, 6000, 8000, 10000])
  })

  it('stretches running steps to now and keeps unstarted ones at zero width', () => {
    const layout = ganttLayout([step(1, 0, 2), step(2, 2, null, 'running'), step(3, null, null, 'pending')], at(0), null, T0 + 4000)
    expect(layout.totalMs).toBe(4000)
    const [a, b, c] = layout.bars
    expect(a?.widthPct).toBe(50)
    expect(b).toMatchObject({ startPct: 50, widthPct: 50, durationMs: 2000 })
    expect(c).toMatchObject({ startPct: 0, widthPct: 0, durationMs: undefined, status: 'pending' })
  })

  it('gives instant steps a visible sliver and copes with no steps', () => {
    expect(ganttLayout([step(1, 0, 0)], at(0), at(100), T0).bars[0]?.widthPct).toBe(0.5)
    expect(ganttLayout([], null, null, T0).bars).toEqual([])
  })
})
