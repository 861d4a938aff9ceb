import { locateField, pointerToSegments, type WorkflowDefinition } from '@workflow-builder/definition'
import type { FieldError } from '../api/http.ts'

/** A problem with where it applies: a node, an edge, or the workflow as a whole. */
export interface LocatedProblem {
  readonly nodeId: string | null
  readonly edgeId: string | null
  /** Relative to the node or edge when one is set, else to the definition. */
  readonly field: string
  readonly code: string
  readonly message: string
}

/** Problems split by where the editor shows them. */
export interface ProblemIndex {
  readonly byNode: ReadonlyMap<string, readonly LocatedProblem[]>
  readonly byEdge: ReadonlyMap<string, readonly LocatedProblem[]>
  readonly general: readonly LocatedProblem[]
  readonly all: readonly LocatedProblem[]
}

const DEFINITION_POINTER = '/definition'

/**
 * Locates the field errors of an API problem document: pointers into the saved definition
 * (`/definition/nodes/3/config/url`) become `{ nodeId, field: 'config.url' }` using the
 * definition that was sent (an error's own `nodeId`/`edgeId` wins); other pointers stay
 * whole-workflow problems.
 *
 * @example
 * locateFieldErrors([{ field: '/definition/nodes/1/label', code: 'too_long', message: '...' }], definition)
 * // [{ nodeId: 'fetch', edgeId: null, field: 'label', code: 'too_long', message: '...' }]
 */
export function locateFieldErrors(errors: readonly FieldError[], definition: WorkflowDefinition): LocatedProblem[] {
  return errors.map((error) => {
    const underDefinition = error.field === DEFINITION_POINTER || error.field.startsWith(`${DEFINITION_POINTER}/`)
    const located = underDefinition
      ? locateField(definition, pointerToSegments(error.field.slice(DEFINITION_POINTER.length), definition))
      : { field: error.field }
    // Engine problems name their node or edge; the pointer then gives the field within it.
    const nodeId = error.nodeId ?? located.nodeId ?? null
    const edgeId = error.nodeId === undefined ? (error.edgeId ?? located.edgeId ?? null) : null
    const pointsAtIt = (nodeId !== null && located.nodeId === nodeId) || (edgeId !== null && located.edgeId === edgeId)
    const field = nodeId === null && edgeId === null ? located.field : pointsAtIt ? located.field : ''
    return { nodeId, edgeId, field, code: error.code, message: error.message }
  })
}

/**
 * Groups problems by node and edge; problems naming a node or edge that is not on the canvas
 * (any more) count as general.
 *
 * @example
 * indexProblems(result.problems, new Set(nodes.map((n) => n.id)), new Set(edges.map((e) => e.id))).byNode.get('fetch')
 */
export function indexProblems(problems: readonly LocatedProblem[], nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string>): ProblemIndex {
  const byNode = new Map<string, LocatedProblem[]>()
  const byEdge = new Map<string, LocatedProblem[]>()
  const general: LocatedProblem[] = []
  for (const problem of problems) {
    if (problem.nodeId !== null && nodeIds.has(problem.nodeId)) {
      byNode.set(problem.nodeId, [...(byNode.get(problem.nodeId) ?? []), problem])
    } else if (problem.edgeId !== null && edgeIds.has(problem.edgeId)) {
      byEdge.set(problem.edgeId, [...(byEdge.get(problem.edgeId) ?? []), problem])
    } else {
      general.push(problem)
    }
  }
  return { byNode, byEdge, general, all: problems }
}

/** An empty index. */
export const NO_PROBLEMS: ProblemIndex = { byNode: new Map(), byEdge: new Map(), general: [], all: [] }
