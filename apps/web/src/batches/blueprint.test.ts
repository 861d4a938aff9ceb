import { describe, expect, it } from 'vitest'
import { addStep, availableSteps, keepRegistered, MAX_BLUEPRINT_STEPS, moveStep, removeStep } from './blueprint.ts'

describe('blueprint editing', () => {
  it('adds a step once, never past the limit', () => {
    expect(addStep([], 'a')).toEqual(['a'])
    expect(addStep(['a'], 'a')).toEqual(['a'])
    expect(addStep(['a'], '')).toEqual(['a'])
    const full = Array.from({ length: MAX_BLUEPRINT_STEPS }, (_, i) => `s${i}`)
    expect(addStep(full, 'more')).toEqual(full)
  })

  it('removes by position', () => {
    expect(removeStep(['a', 'b', 'c'], 1)).toEqual(['a', 'c'])
    expect(removeStep(['a'], 5)).toEqual(['a'])
  })

  it('moves up and down, ignoring moves off either end', () => {
    expect(moveStep(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(moveStep(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(moveStep(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
    expect(moveStep(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c'])
  })

  it('lists the steps left to add and drops unregistered ones', () => {
    expect(availableSteps(['a', 'b', 'c'], ['b'])).toEqual(['a', 'c'])
    expect(keepRegistered(['c', 'x', 'a'], ['a', 'b', 'c'])).toEqual(['c', 'a'])
  })
})
