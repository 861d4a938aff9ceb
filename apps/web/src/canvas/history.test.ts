import { describe, expect, it } from 'vitest'
import { emptyHistory, record, redo, undo } from './history.ts'

describe('history', () => {
  it('undoes and redoes in order', () => {
    let history = emptyHistory<number>()
    let present = 0
    for (const next of [1, 2, 3]) {
      history = record(history, present)
      present = next
    }
    const back = undo(history, present)!
    expect(back.state).toBe(2)
    const back2 = undo(back.history, back.state)!
    expect(back2.state).toBe(1)
    const forward = redo(back2.history, back2.state)!
    expect(forward.state).toBe(2)
    expect(redo(forward.history, forward.state)?.state).toBe(3)
  })

  it('returns undefined at either end and clears redo on a new change', () => {
    const history = emptyHistory<string>()
    expect(undo(history, 'a')).toBeUndefined()
    expect(redo(history, 'a')).toBeUndefined()
    const h1 = record(history, 'a')
    const back = undo(h1, 'b')!
    expect(back.history.future).toEqual(['b'])
    expect(record(back.history, 'a').future).toEqual([])
  })

  it('keeps at most `limit` snapshots', () => {
    let history = emptyHistory<number>()
    for (let i = 0; i < 10; i++) history = record(history, i, 3)
    expect(history.past).toEqual([7, 8, 9])
  })
})
