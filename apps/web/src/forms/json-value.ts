/**
 * Text ↔ value for "any JSON value" fields: text that parses as JSON becomes that value,
 * anything else (including templates such as `{{ steps.a.output }}`) stays a string.
 *
 * @example
 * parseJsonOrText('{"a": 1}') // { a: 1 }
 * parseJsonOrText('hello') // 'hello'
 * parseJsonOrText('') // undefined
 */
export function parseJsonOrText(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * The text a value is edited as: strings as they are (unless they would read back as another
 * JSON value, then quoted), other values as pretty JSON.
 *
 * @example
 * formatJsonOrText('hello') // 'hello'
 * formatJsonOrText('42') // '"42"'
 * formatJsonOrText({ a: 1 }) // '{\n  "a": 1\n}'
 */
export function formatJsonOrText(value: unknown): string {
  if (value === undefined) return ''
  if (typeof value === 'string') return parseJsonOrText(value) === value || value.trim() === '' ? value : JSON.stringify(value)
  return JSON.stringify(value, null, 2)
}
