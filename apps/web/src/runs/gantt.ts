import type { RunStep } from '../api/client.ts'
import { stepStatus, type StepStatus } from './step-status.ts'

/** One step's bar on the timeline, in percent of the run's span. */
export interface GanttBar {
  readonly step: RunStep
  readonly startPct: number
  readonly widthPct: number
  readonly status: StepStatus
  /** Duration shown (still running: so far). */
  readonly durationMs: number | undefined
}

export interface GanttLayout {
  readonly bars: readonly GanttBar[]
  readonly startMs: number
  readonly totalMs: number
  /** Evenly spaced time marks (offset from the start). */
  readonly ticks: ReadonlyArray<{ readonly pct: number; readonly offsetMs: number }>
}

const MIN_WIDTH_PCT = 0.5
const time = (iso: string | null | undefined): number | undefined => {
  if (iso === null || iso === undefined) return undefined
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * Lays steps out on a shared time axis from the run's start to its end (or `now` while it
 * runs). Steps that have not started sit at the start with no width; running ones reach `now`.
 * Bars are ordered by step number.
 *
 * @example
 * ganttLayout(steps, run.startedAt, run.endedAt, Date.now()).bars[0].startPct // 0
 */
export function ganttLayout(steps: readonly RunStep[], runStartedAt: string | null, runEndedAt: string | null, now: number, tickCount = 5): GanttLayout {
  const starts = steps.map((step) => time(step.startedAt)).filter((t): t is number => t !== undefined)
  const ends = steps.map((step) => time(step.endedAt)).filter((t): t is number => t !== undefined)
  const start = Math.min(time(runStartedAt) ?? Infinity, ...starts)
  const startMs = Number.isFinite(start) ? start : now
  const runEnd = time(runEndedAt)
  const anyOpen = steps.some((step) => step.startedAt !== null && step.endedAt === null)
  const endMs = runEnd ?? Math.max(startMs, ...ends, anyOpen || runEnd === undefined ? now : startMs)
  const totalMs = Math.max(1, endMs - startMs)
  const pct = (ms: number) => Math.min(100, Math.max(0, ((ms - startMs) / totalMs) * 100))

  const bars = [...steps]
    .sort((a, b) => a.stepNumber - b.stepNumber)
    .map((step): GanttBar => {
      const status = stepStatus(step)
      const stepStart = time(step.startedAt)
      if (stepStart === undefined) return { step, startPct: 0, widthPct: 0, status, durationMs: undefined }
      const stepEnd = time(step.endedAt) ?? (status === 'running' ? now : stepStart)
      const startPct = pct(stepStart)
      const widthPct = Math.min(100 - startPct, Math.max(MIN_WIDTH_PCT, pct(stepEnd) - startPct))
      return { step, startPct, widthPct, status, durationMs: step.durationMs ?? Math.max(0, stepEnd - stepStart) }
    })

  const ticks = Array.from({ length: tickCount + 1 }, (_, i) => ({ pct: (i / tickCount) * 100, offsetMs: Math.round((i / tickCount) * totalMs) }))
  return { bars, startMs, totalMs, ticks }
}
