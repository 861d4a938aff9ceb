/**
 * Editing a batch blueprint: the ordered list of a workstream's step slugs each item runs
 * through. Pure functions; a slug appears at most once (the API rejects duplicates).
 */

/** At most this many steps per blueprint (the API's limit). */
export const MAX_BLUEPRINT_STEPS = 20

/**
 * Appends a step unless it is already there or the blueprint is full.
 *
 * @example
 * addStep(['normalize'], 'score') // ['normalize', 'score']
 */
export function addStep(blueprint: readonly string[], slug: string): string[] {
  if (slug === '' || blueprint.includes(slug) || blueprint.length >= MAX_BLUEPRINT_STEPS) return [...blueprint]
  return [...blueprint, slug]
}

/** The blueprint without the step at `index`. */
export function removeStep(blueprint: readonly string[], index: number): string[] {
  return blueprint.filter((_, i) => i !== index)
}

/**
 * Moves the step at `index` by `delta` places (-1 up, +1 down); out-of-range moves change nothing.
 *
 * @example
 * moveStep(['a', 'b', 'c'], 2, -1) // ['a', 'c', 'b']
 */
export function moveStep(blueprint: readonly string[], index: number, delta: number): string[] {
  const to = index + delta
  if (index < 0 || index >= blueprint.length || to < 0 || to >= blueprint.length) return [...blueprint]
  const next = [...blueprint]
  const [step] = next.splice(index, 1)
  next.splice(to, 0, step!)
  return next
}

/** The registered slugs not yet in the blueprint, in registry order. */
export function availableSteps(slugs: readonly string[], blueprint: readonly string[]): string[] {
  return slugs.filter((slug) => !blueprint.includes(slug))
}

/** Keeps only the steps still registered (after switching workstream or a step was deleted). */
export function keepRegistered(blueprint: readonly string[], slugs: readonly string[]): string[] {
  return blueprint.filter((slug) => slugs.includes(slug))
}
