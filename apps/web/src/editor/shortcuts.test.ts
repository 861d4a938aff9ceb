import { describe, expect, it } from 'vitest'
import { shortcutFor, type KeyInput } from './shortcuts.ts'

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods })

describe('shortcutFor', () => {
  it('maps Ctrl shortcuts off the Mac and ⌘ shortcuts on it', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }), false)).toBe('undo')
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo')
    expect(shortcutFor(key('y', { ctrlKey: true }), false)).toBe('redo')
    expect(shortcutFor(key('z', { metaKey: true }), true)).toBe('undo')
    expect(shortcutFor(key('z', { ctrlKey: true }), true)).toBeUndefined()
    expect(shortcutFor(key('s', { ctrlKey: true }), false)).toBe('save')
    expect(shortcutFor(key('c', { ctrlKey: true }), false)).toBe('copy')
    expect(shortcutFor(key('v', { ctrlKey: true }), false)).toBe('paste')
    expect(shortcutFor(key('x', { ctrlKey: true }), false)).toBe('cut')
    expect(shortcutFor(key('d', { ctrlKey: true }), false)).toBe('duplicate')
    expect(shortcutFor(key('a', { ctrlKey: true }), false)).toBe('selectAll')
  })

  it('maps plain keys', () => {
    expect(shortcutFor(key('Delete'), false)).toBe('delete')
    expect(shortcutFor(key('Backspace'), false)).toBe('delete')
    expect(shortcutFor(key('Escape'), false)).toBe('deselect')
    expect(shortcutFor(key('L', { shiftKey: true }), false)).toBe('layout')
    expect(shortcutFor(key('!', { shiftKey: true, code: 'Digit1' }), false)).toBe('fitView')
    expect(shortcutFor(key('l'), false)).toBeUndefined()
    expect(shortcutFor(key('Delete', { altKey: true }), false)).toBeUndefined()
  })
})
