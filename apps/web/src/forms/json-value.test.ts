import { describe, expect, it } from 'vitest'
import { formatJsonOrText, parseJsonOrText } from './json-value.ts'

describe('JSON-or-text values', () => {
  it('parses JSON and keeps other text', () => {
    expect(parseJsonOrText('{"a": 1}')).toEqual({ a: 1 })
    expect(parseJsonOrText('42')).toBe(42)
    expect(parseJsonOrText('true')).toBe(true)
    expect(parseJsonOrText('"quoted"')).toBe('quoted')
    expect(parseJsonOrText('gold')).toBe('gold')
    expect(parseJsonOrText('{{ steps.a.output }}')).toBe('{{ steps.a.output }}')
    expect(parseJsonOrText('  ')).toBeUndefined()
  })

  it('formats values so they read back the same', () => {
    for (const value of ['gold', '42', 'true', 'null', '{{ x }}', 42, true, null, { a: [1, 2] }, ['x']]) {
      expect(parseJsonOrText(formatJsonOrText(value))).toEqual(value)
    }
    expect(formatJsonOrText('gold')).toBe('gold')
    expect(formatJsonOrText(undefined)).toBe('')
  })
})
