import { createContext, useContext } from 'react'
import type { LocatedProblem } from '../editor/problem-locations.ts'
import type { StepStatus } from '../runs/step-status.ts'

/**
 * What nodes show besides their data: validation problems (editor) or step status (run view).
 * Kept out of node data so undo snapshots and saving never see it.
 */
export interface CanvasDecorations {
  readonly problemsByNode: ReadonlyMap<string, readonly LocatedProblem[]>
  /** Set on the run view only. */
  readonly statusByNode?: ReadonlyMap<string, StepStatus>
}

export const CanvasDecorationsContext = createContext<CanvasDecorations>({ problemsByNode: new Map() })

export const useCanvasDecorations = (): CanvasDecorations => useContext(CanvasDecorationsContext)
